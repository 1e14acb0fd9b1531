"""Builders of small scenarios, persons and spell tables for the accounting and metrics tests.

The scenario uses the baseline's 2025 amounts (aktivitetsstöd 223 SEK/day until
2025-09-30, 365 from 2025-10-01) without reading any YAML, so the tests do not
depend on the scenario loader.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.scenario.schema import Scenario
from sim.states import STATE_INDEX, State

_NORM_2025 = {
    "adult_single": 3900,
    "adult_couple": 7040,
    "child_0": 2700,
    "child_1_2": 3010,
    "child_3": 2690,
    "child_4_6": 3010,
    "child_7_10": 3770,
    "child_11_14": 4350,
    "child_15_18": 4900,
    "household_1": 1260,
    "household_2": 1400,
    "household_3": 1770,
    "household_4": 2000,
    "household_5": 2300,
    "household_6": 2600,
    "household_7": 2810,
}

_SCENARIO: dict[str, Any] = {
    "name": "test",
    "simulation": {"start_date": "2025-01-01", "months": 24, "scale": 0.05},
    "population": {
        "initial_households": 100,
        "inflow_per_year": 50,
        "women_share": 0.5,
        "born_abroad_share": 0.5,
        "barrier_shares": {},
        "household_shares": {},
        "children_count_shares": {1: 0.4, 2: 0.3, 3: 0.18, 4: 0.12},
        "age_band_shares": {"18-24": 0.2, "25-34": 0.2, "35-44": 0.2, "45-54": 0.2, "55-64": 0.2},
        "af_registration_by_barrier": {"unemployment": 0.9, "sick": 0.3, "social": 0.3, "other": 0.4},
        "rent_per_month": {"single": 4700, "single_parent": 6700, "couple": 5700, "couple_children": 7700},
        "elapsed_months": {"long_term_share": 0.5, "long_max": 96},
    },
    "transitions": {},
    "covariate_effects": {"applies_to": ["employment"], "barrier": {"unemployment": 1.0}},
    "caseworker": {
        "assessment_hours": 6,
        "hours_per_month": 160,
        "decision_delay_months": 0.5,
        "households_per_caseworker": 50,
    },
    "allowances": {
        "activity_support_per_day": {"values": {"2024-01-01": 223, "2025-10-01": 365}},
        "days_per_month": 21.67,
        "child_allowance": {1: 1250, 2: 2650, 3: 4480, 4: 6740},
    },
    "norm": {
        name: {"values": {"2024-01-01": round(value * 0.97, -1), "2025-01-01": value}}
        for name, value in _NORM_2025.items()
    },
    "price_base_amount": 58800,
    "costs": {
        "municipal_activity_per_month": 12900,
        "af_programme_per_month": 3200,
        "subsidised_employment_per_month": 11000,
        "caseworker_cost_per_month": 56000,
        "payers": {
            "assistance": "municipality",
            "municipal_activity": "municipality",
            "af_programme": "state",
            "activity_support": "state",
            "subsidised_employment": "state",
            "caseworker": "municipality",
            "combined_programme": "municipality",
            "programme_allowance": "state",
            "childcare": "municipality",
            "pathway": "municipality",
            "job_premium": "state",
            "housing_allowance": "state",
            "maintenance_support": "state",
        },
    },
    "activity": {
        "full_time_hours": 40,
        "usual_hours": {"municipal_activity": 20, "af_programme": 30, "combined_programme": 40},
        "hours_independent_share": 0.5,
    },
}

_PERSON_DEFAULTS: dict[str, Any] = {
    "entry_time": 0.0,
    "initial": True,
    "woman": False,
    "born_abroad": False,
    "age": 35.0,
    "barrier": "unemployment",
    "household": "single",
    "n_children": 0,
    "child_age_1": np.nan,
    "child_age_2": np.nan,
    "child_age_3": np.nan,
    "child_age_4": np.nan,
    "rent": 4700.0,
    "af_registered": False,
    "elapsed_months": 0.0,
    "weight": 20.0,
}


_BASE = Scenario.model_validate(_SCENARIO)


def scenario(**sections: Any) -> Scenario:
    """A valid scenario with baseline-like 2025 amounts; each keyword section's keys replace the base's.

    The changes go through :meth:`Scenario.with_changes` (``policies={"childcare": {...}}`` sets
    ``policies.childcare``), as every change of a scenario does.
    """
    changes = {
        f"{section}.{key}": value
        for section, entries in sections.items() for key, value in (entries if isinstance(entries, dict) else {}).items()
    }  # fmt: skip
    changes.update({section: value for section, value in sections.items() if not isinstance(value, dict)})
    return _BASE.with_changes(changes) if changes else _BASE


def persons(*rows: dict[str, Any]) -> pd.DataFrame:
    """A persons table; each row gives ``person_id`` and any attributes that differ from the defaults."""
    table = pd.DataFrame([{**_PERSON_DEFAULTS, **row} for row in rows])
    ages = table[[f"child_age_{k}" for k in range(1, 5)]]
    table["n_children"] = ages.notna().sum(axis=1).astype(np.int64)
    return table.astype({"person_id": np.int64, "n_children": np.int64})


def spells(person_id: int, *path: tuple[State, float], end: float) -> pd.DataFrame:
    """Contiguous spells of one person: ``path`` holds (state, start); the last spell ends at ``end``.

    The last spell is censored (``next_state`` −1).
    """
    states = [STATE_INDEX[s] for s, _ in path]
    starts = [float(t) for _, t in path]
    return pd.DataFrame(
        {
            "person_id": np.full(len(path), person_id, dtype=np.int64),
            "state": np.array(states, dtype=np.int8),
            "start": starts,
            "end": starts[1:] + [float(end)],
            "next_state": np.array(states[1:] + [-1], dtype=np.int8),
        }
    )


def log(*parts: pd.DataFrame) -> pd.DataFrame:
    """Concatenate the spells of several persons into one spell log."""
    return pd.concat(parts, ignore_index=True)
