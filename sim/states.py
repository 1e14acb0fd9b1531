"""The states a person can be in, and the transitions the model allows (data only).

Example:
    >>> State.ASSISTANCE.value
    'assistance'
    >>> State.EMPLOYMENT in WORK_STATES
    True
"""

from __future__ import annotations

from enum import Enum

__all__ = ["State", "WORK_STATES", "ASSISTANCE_STATES", "ACTIVITY_STATES", "ALLOWED", "STATE_INDEX", "STATES"]


class State(str, Enum):
    """A person's situation; exactly one at a time (glossary in the design card)."""

    ASSISTANCE = "assistance"
    MUNICIPAL_ACTIVITY = "municipal_activity"
    AF_PROGRAMME = "af_programme"
    COMBINED_PROGRAMME = "combined_programme"
    EMPLOYMENT = "employment"
    SUBSIDISED_EMPLOYMENT = "subsidised_employment"
    STUDIES = "studies"
    OTHER_EXIT = "other_exit"


#: Integer codes used in the spell log (position in this tuple).
STATES: tuple[State, ...] = tuple(State)
STATE_INDEX: dict[State, int] = {s: i for i, s in enumerate(STATES)}

#: States in which a person counts as "in work".
WORK_STATES = frozenset({State.EMPLOYMENT, State.SUBSIDISED_EMPLOYMENT})

#: States in which the household's income is tested against the norm every month,
#: so assistance is paid whenever income falls short of it.
ASSISTANCE_STATES = frozenset(
    {State.ASSISTANCE, State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME, State.COMBINED_PROGRAMME}
)

#: Activities: states with hours of activity whose intensity matters.
ACTIVITY_STATES = frozenset(
    {State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME, State.COMBINED_PROGRAMME}
)

#: Transitions the model allows, from -> destinations. The combined programme's
#: transitions arrive with its lever.
ALLOWED: dict[State, frozenset[State]] = {
    State.ASSISTANCE: frozenset(
        {
            State.MUNICIPAL_ACTIVITY,
            State.AF_PROGRAMME,
            State.COMBINED_PROGRAMME,
            State.EMPLOYMENT,
            State.SUBSIDISED_EMPLOYMENT,
            State.STUDIES,
            State.OTHER_EXIT,
        }
    ),
    State.MUNICIPAL_ACTIVITY: frozenset(
        {
            State.ASSISTANCE,
            State.AF_PROGRAMME,
            State.EMPLOYMENT,
            State.SUBSIDISED_EMPLOYMENT,
            State.STUDIES,
            State.OTHER_EXIT,
        }
    ),
    State.AF_PROGRAMME: frozenset(
        {
            State.ASSISTANCE,
            State.MUNICIPAL_ACTIVITY,
            State.EMPLOYMENT,
            State.SUBSIDISED_EMPLOYMENT,
            State.STUDIES,
            State.OTHER_EXIT,
        }
    ),
    State.COMBINED_PROGRAMME: frozenset(
        {
            State.ASSISTANCE,
            State.EMPLOYMENT,
            State.SUBSIDISED_EMPLOYMENT,
            State.STUDIES,
            State.OTHER_EXIT,
        }
    ),
    State.EMPLOYMENT: frozenset({State.ASSISTANCE, State.OTHER_EXIT}),
    State.SUBSIDISED_EMPLOYMENT: frozenset(
        {State.EMPLOYMENT, State.ASSISTANCE, State.OTHER_EXIT}
    ),
    State.STUDIES: frozenset({State.ASSISTANCE, State.EMPLOYMENT, State.OTHER_EXIT}),
    State.OTHER_EXIT: frozenset({State.ASSISTANCE}),
}
