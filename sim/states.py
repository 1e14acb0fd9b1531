"""The states a person can be in, and the transitions the model allows (data only).

Example:
    >>> State.ASSISTANCE.value
    'assistance'
    >>> State.EMPLOYMENT in WORK_STATES
    True
    >>> sorted(codes(*WORK_STATES)), code_array(*WORK_STATES).tolist()
    ([4, 5], [4, 5])
"""

from __future__ import annotations

from enum import Enum

import numpy as np

__all__ = [
    "State", "WORK_STATES", "ASSISTANCE_STATES", "ACTIVITY_STATES", "ALLOWED", "STATE_INDEX", "STATES", "CENSORED",
    "codes", "code_array",
]  # fmt: skip


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
#: ``next_state`` of a spell still open at the horizon (in the spell log and its tables).
CENSORED = -1



def codes(*states: State) -> frozenset[int]:
    """The integer codes of ``states``, as the engine and the spell log use them."""
    return frozenset(STATE_INDEX[s] for s in states)


def code_array(*states: State) -> np.ndarray:
    """The integer codes of ``states`` as a sorted array (for ``np.isin`` over a spell table's ``state``)."""
    return np.array(sorted(STATE_INDEX[s] for s in states), dtype=np.int8)


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
