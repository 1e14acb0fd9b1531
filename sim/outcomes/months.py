"""The spell log cut into calendar months, and the events in it that cost caseworker time.

The engine logs spells (stays in a state); money is paid per calendar month.
:func:`person_months` cuts spells into calendar-month pieces; :func:`spell_context`
says when each household's current run of assistance began (the levers' after-run
hooks need it); :func:`assessment_events` finds the applications and referrals a
caseworker assesses. Everything is vectorised over rows.

Example:
    >>> from datetime import date
    >>> spells = pd.DataFrame({"person_id": [1], "state": [0], "start": [10.5], "end": [13.25], "next_state": [-1]})
    >>> persons = pd.DataFrame({"person_id": [1], "weight": [20.0]})
    >>> person_months(spells, persons, date(2025, 1, 1), 24)[["month", "year", "fraction"]].values.tolist()
    [[10.0, 2025.0, 0.5], [11.0, 2025.0, 1.0], [12.0, 2026.0, 1.0], [13.0, 2026.0, 0.25]]
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sim.rules.calendar import Calendar
from sim.states import ASSISTANCE_STATES, State, code_array

__all__ = ["person_months", "spell_context", "assessment_events", "positions"]

#: Spell-level columns carried into every month piece when present.
SPELL_CONTEXT = ("intensity", "spell_start", "run_start")
_ASSISTED = code_array(*ASSISTANCE_STATES)
_REFERRED = code_array(State.MUNICIPAL_ACTIVITY, State.AF_PROGRAMME)


def positions(persons: pd.DataFrame, person_id: pd.Series | np.ndarray) -> np.ndarray:
    """The row of ``persons`` of each ``person_id``.

    Raises:
        ValueError: if a person is missing from ``persons``.
    """
    pos = pd.Index(persons["person_id"]).get_indexer(person_id)
    if (pos < 0).any():
        raise ValueError("spells refer to person_id(s) missing from the persons table")
    return pos


def person_months(spells: pd.DataFrame, persons: pd.DataFrame, start_date: date, horizon: float) -> pd.DataFrame:
    """Cut every spell into its calendar-month pieces within [0, horizon).

    Returns:
        One row per spell and month it touches: ``person_id`` (int64), ``month``
        (int64 month index), ``year`` (int64 calendar year), ``state`` (int8),
        ``fraction`` (months spent in the state in that month, in (0, 1]) and
        ``weight`` (the person's weight), plus the columns of ``SPELL_CONTEXT``
        that the spells have.

    Raises:
        ValueError: if the start date is not the first of a month, or a spell's
            person is missing from ``persons``.
    """
    start = spells["start"].to_numpy(float)
    end = np.minimum(spells["end"].to_numpy(float), horizon)
    keep = end > start
    start, end = start[keep], end[keep]
    first = np.floor(start).astype(np.int64)
    count = np.ceil(end).astype(np.int64) - first
    piece = np.repeat(np.arange(len(start)), count)
    month = first[piece] + np.arange(piece.size) - np.repeat(np.cumsum(count) - count, count)
    fraction = np.minimum(end[piece], month + 1) - np.maximum(start[piece], month)
    person_id = spells["person_id"].to_numpy(np.int64)[keep][piece]
    calendar = Calendar.covering(start_date, month)
    table = pd.DataFrame(
        {
            "person_id": person_id,
            "month": month,
            "year": calendar.year(month),
            "state": spells["state"].to_numpy(np.int8)[keep][piece],
            "fraction": fraction,
            "weight": persons["weight"].to_numpy(float)[positions(persons, person_id)],
        }
    )
    for column in SPELL_CONTEXT:
        if column in spells:
            table[column] = spells[column].to_numpy()[keep][piece]
    return table[table["fraction"] > 0].reset_index(drop=True)


def spell_context(spells: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """The spells, sorted by person and start, with ``spell_start`` and ``run_start`` added.

    ``run_start`` is when the household's current run of assistance-state spells
    began (for a spell outside those states: the run that just ended before it;
    NaN if none). Households on assistance at the start began their run
    ``elapsed_months`` before time 0.
    """
    order = np.lexsort((spells["start"].to_numpy(), spells["person_id"].to_numpy()))
    s = spells.iloc[order].reset_index(drop=True)
    person_id = s["person_id"].to_numpy(np.int64)
    start = s["start"].to_numpy(float)
    first = np.r_[True, person_id[1:] != person_id[:-1]]
    assisted = np.isin(s["state"].to_numpy(), _ASSISTED)
    rows = positions(persons, s["person_id"])
    initial = persons["initial"].to_numpy(bool)[rows] if "initial" in persons else np.zeros(len(s), bool)
    elapsed = persons["elapsed_months"].to_numpy(float)[rows] if "elapsed_months" in persons else 0.0
    begins = assisted & (first | ~np.r_[False, assisted[:-1]])
    run_origin = np.where(first & initial, start - elapsed, start)
    marker = pd.Series(np.where(begins, run_origin, np.nan)).groupby(person_id).ffill().to_numpy()
    follows_run = ~assisted & ~first & np.r_[False, assisted[:-1]]
    previous = np.r_[np.nan, marker[:-1]]
    run_start = np.where(assisted, marker, np.where(follows_run, previous, np.nan))
    return s.assign(spell_start=start, run_start=run_start)


def assessment_events(spells: pd.DataFrame, persons: pd.DataFrame, horizon: float) -> pd.DataFrame:
    """Caseworker assessments: referrals to activities and new applications.

    A referral is the start of a municipal_activity or af_programme spell. An
    application is the start of an assistance-state spell that is the person's first
    spell with ``entry_time > 0``, or that follows a spell outside the assistance
    states. A spell start that is both counts as two assessments.

    Returns:
        ``person_id``, ``time`` (months) and ``count`` (1 or 2), for starts before the horizon.
    """
    order = np.lexsort((spells["start"].to_numpy(), spells["person_id"].to_numpy()))
    s = spells.iloc[order]
    person_id = s["person_id"].to_numpy(np.int64)
    state = s["state"].to_numpy()
    first = np.r_[True, person_id[1:] != person_id[:-1]]
    previous_assisted = np.r_[False, np.isin(state[:-1], _ASSISTED)]
    entry = persons["entry_time"].to_numpy(float)[positions(persons, s["person_id"])]
    new_case = np.where(first, entry > 0, ~previous_assisted)
    application = np.isin(state, _ASSISTED) & new_case
    referral = np.isin(state, _REFERRED)
    count = application.astype(np.int64) + referral
    start = s["start"].to_numpy(float)
    keep = (count > 0) & (start < horizon)
    return pd.DataFrame({"person_id": person_id[keep], "time": start[keep], "count": count[keep]})
