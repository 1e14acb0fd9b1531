"""Outcome metrics of one replication, for everyone and for subgroups.

The metrics are those the scenarios are compared on: work and studies after 12 and
24 months, time to work, months with assistance, the long-term share and AF
registration as Socialstyrelsen counts them (person-years of full calendar years),
exits from municipal labour-market activities, and costs. Every share is a
weighted mean (weights are the national households each simulated one stands
for), so replications with mixed weights remain correct.

The spell log is expanded into person-months once; per-person facts are then
computed once and each subgroup is a mask over persons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sim.accounting import Accounts, assistance_table, state_codes
from sim.norm import Calendar
from sim.scenario.schema import CostItem, Scenario
from sim.states import STATE_INDEX, WORK_STATES, State

__all__ = [
    "METRICS", "SUBGROUPS", "metrics", "km_median", "km_curve", "subgroup_masks", "work_survival", "queue_lengths",
]  # fmt: skip

SUBGROUPS = (
    "all", "women", "men", "born_sweden", "born_abroad", "single_parent", "with_children",
    "born_sweden_women", "born_sweden_men", "born_abroad_women", "born_abroad_men",
)  # fmt: skip
#: Main reasons for assistance (försörjningshinder) whose share of recipients is a metric.
_REASONS = ("unemployment", "sick", "social")
_LONG_TERM_MONTHS = 10
_AME_SUCCESS = state_codes({State.EMPLOYMENT, State.SUBSIDISED_EMPLOYMENT, State.STUDIES})
_NOT_OBSERVED = -2
#: (metric prefix, states that count, months after entry)
_RATES = (
    ("employment_rate", {State.EMPLOYMENT}, (6, 12, 24, 36, 48)),
    ("work_rate", set(WORK_STATES), (6, 12, 24, 36, 48)),
    ("studies_rate", {State.STUDIES}, (12,)),
)
_HORIZONS = (6, 12, 24, 36, 48)

#: Every metric :func:`metrics` computes, besides ``long_term_share_<year>`` for each full simulated year.
METRICS: tuple[str, ...] = (
    *(f"employment_rate_{k}m" for k in _HORIZONS),
    *(f"work_rate_{k}m" for k in _HORIZONS),
    "studies_rate_12m",
    "median_months_to_work",
    "assistance_months_per_person",
    "long_term_share",
    "af_registration_share",
    "af_programme_share_of_registered",
    "reason_unemployment_share",
    "reason_sick_share",
    "reason_social_share",
    "households_with_assistance_per_year",
    "ame_exit_to_work_or_studies_share",
    "cost_total_sek",
    "cost_municipality_sek",
    "cost_state_sek",
    "cost_per_exit_to_work_sek",
)


@dataclass(frozen=True)
class _Facts:
    """Per-person facts (rows aligned with persons) and per-person-year and per-spell tables.

    ``years`` and ``ame`` carry ``pos``, the row of their person in ``person``.
    """

    person: pd.DataFrame
    years: pd.DataFrame
    ame: pd.DataFrame
    full_years: np.ndarray


def subgroup_masks(persons: pd.DataFrame) -> dict[str, np.ndarray]:
    """Boolean masks over the rows of ``persons``, one per name in ``SUBGROUPS``."""
    woman = persons["woman"].to_numpy(bool)
    abroad = persons["born_abroad"].to_numpy(bool)
    return {
        "all": np.ones(len(persons), dtype=bool),
        "women": woman,
        "men": ~woman,
        "born_sweden": ~abroad,
        "born_abroad": abroad,
        "single_parent": (persons["household"] == "single_parent").to_numpy(bool),
        "with_children": persons["n_children"].to_numpy() > 0,
        "born_sweden_women": ~abroad & woman,
        "born_sweden_men": ~abroad & ~woman,
        "born_abroad_women": abroad & woman,
        "born_abroad_men": abroad & ~woman,
    }


def km_curve(time: ArrayLike, event: ArrayLike, at: ArrayLike, weight: ArrayLike | None = None) -> np.ndarray:
    """Kaplan–Meier survival S(t) evaluated at the times ``at`` (right-continuous).

    Example:
        >>> km_curve([1, 2, 3, 4], [1, 1, 0, 1], at=[0, 1.5, 4]).round(3).tolist()
        [1.0, 0.75, 0.0]
    """
    time = np.asarray(time, dtype=float)
    weight = np.ones_like(time) if weight is None else np.asarray(weight, dtype=float)
    times, inverse = np.unique(time, return_inverse=True)
    deaths = np.bincount(inverse, weights=weight * np.asarray(event, dtype=bool), minlength=times.size)
    at_risk = np.bincount(inverse, weights=weight, minlength=times.size)[::-1].cumsum()[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(at_risk > 0, 1.0 - deaths / at_risk, 1.0)
    survival = np.cumprod(factor)
    index = np.searchsorted(times, np.asarray(at, dtype=float), side="right") - 1
    return np.where(index >= 0, survival[np.maximum(index, 0)], 1.0)


def work_survival(spells: pd.DataFrame, persons: pd.DataFrame, horizon: float) -> pd.DataFrame:
    """Share not yet in work by whole months since entry (Kaplan–Meier, censored at the horizon).

    Returns:
        Long table ``subgroup, month, not_in_work``.
    """
    ids = persons["person_id"].to_numpy(np.int64)
    entry = persons["entry_time"].to_numpy(float)
    work = spells[np.isin(spells["state"], state_codes(WORK_STATES)) & (spells["start"] < horizon)]
    first = work.groupby("person_id")["start"].min().reindex(ids).to_numpy()
    worked = ~np.isnan(first)
    time = np.where(worked, first, horizon) - entry
    weight = persons["weight"].to_numpy(float)
    months = np.arange(int(np.floor(horizon)) + 1)
    frames = [
        pd.DataFrame(
            {"subgroup": name, "month": months, "not_in_work": km_curve(time[m], worked[m], months, weight[m])}
        )
        for name, m in subgroup_masks(persons).items()
        if m.any()
    ]
    return pd.concat(frames, ignore_index=True)


def queue_lengths(waits: pd.DataFrame, months: int, weight: float) -> pd.DataFrame:
    """People waiting for each resource at each whole month (national, weighted).

    A wait counts at month ``m`` when ``start <= m < end``.

    Returns:
        Long table ``resource, month, waiting``.
    """
    out = []
    grid = np.arange(months + 1)
    for resource, group in waits.groupby("resource", sort=True):
        start = np.sort(group["start"].to_numpy())
        end = np.sort(group["end"].to_numpy())
        waiting = np.searchsorted(start, grid, side="right") - np.searchsorted(end, grid, side="right")
        out.append(pd.DataFrame({"resource": resource, "month": grid, "waiting": waiting * weight}))
    if not out:
        return pd.DataFrame(columns=["resource", "month", "waiting"])
    return pd.concat(out, ignore_index=True)


def km_median(time: ArrayLike, event: ArrayLike, weight: ArrayLike | None = None) -> float:
    """Kaplan–Meier median: the first event time at which survival falls to 0.5 or below.

    Censored observations are at risk at their own time. Returns NaN if survival
    never falls to 0.5.
    """
    time = np.asarray(time, dtype=float)
    weight = np.ones_like(time) if weight is None else np.asarray(weight, dtype=float)
    times, inverse = np.unique(time, return_inverse=True)
    events = weight * np.asarray(event, dtype=bool)
    deaths = np.bincount(inverse, weights=events, minlength=times.size)
    at_risk = np.bincount(inverse, weights=weight, minlength=times.size)[::-1].cumsum()[::-1]
    hazard = np.divide(deaths, at_risk, out=np.zeros(times.size), where=at_risk > 0)
    survival = np.cumprod(1.0 - hazard)
    reached = np.flatnonzero((survival <= 0.5 + 1e-12) & (deaths > 0))
    return float(times[reached[0]]) if reached.size else float("nan")


def _state_at(spells: pd.DataFrame, person_id: np.ndarray, time: np.ndarray) -> np.ndarray:
    """State code at ``time`` for each (person, time): the last spell started at or before it."""
    query = pd.DataFrame({"row": np.arange(time.size), "person_id": person_id, "t": time})
    log = spells[["person_id", "start", "state"]].sort_values("start", kind="stable")
    found = pd.merge_asof(
        query.sort_values("t"), log, left_on="t", right_on="start", by="person_id"
    )
    state = np.full(time.size, -1, dtype=np.int64)
    state[found["row"].to_numpy()] = found["state"].fillna(-1).to_numpy(np.int64)
    return state


def _person_facts(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    horizon: float,
    paid: pd.Series,
    ledger: pd.DataFrame,
    payers: Mapping[CostItem, str],
) -> pd.DataFrame:
    ids = persons["person_id"].to_numpy(np.int64)
    entry = persons["entry_time"].to_numpy(float)
    facts = pd.DataFrame({"weight": persons["weight"].to_numpy(float)})
    for k in _HORIZONS:
        observed = entry + k <= horizon
        facts[f"state_{k}"] = np.where(observed, _state_at(spells, ids, entry + k), _NOT_OBSERVED)
    work = spells[np.isin(spells["state"], state_codes(WORK_STATES)) & (spells["start"] < horizon)]
    first_work = work.groupby("person_id")["start"].min().reindex(ids).to_numpy()
    facts["worked"] = ~np.isnan(first_work)
    facts["time_to_work"] = np.where(facts["worked"], first_work, horizon) - entry
    facts["assistance_months"] = paid.reindex(ids, fill_value=0.0).to_numpy()
    spent = ledger.groupby("person_id")[list(payers)].sum().reindex(ids, fill_value=0.0)
    for payer in ("municipality", "state"):
        items = [item for item, who in payers.items() if who == payer]
        facts[f"cost_{payer}"] = spent[items].sum(axis=1).to_numpy()
    return facts


def _full_years(scenario: Scenario, horizon: float) -> np.ndarray:
    months = np.arange(int(np.floor(horizon)))
    calendar = Calendar(scenario.simulation.start_date, 0)
    years, count = np.unique(calendar.year(months), return_counts=True)
    return years[count == 12]


def _facts(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    scenario: Scenario,
    horizon: float,
    books: Accounts,
) -> _Facts:
    position = pd.Index(persons["person_id"])
    full = _full_years(scenario, horizon)
    years = books.paid_months_by_year
    years = years[years["year"].isin(full)].reset_index(drop=True)
    years["pos"] = position.get_indexer(years["person_id"])
    years["af_registered"] = persons["af_registered"].to_numpy(bool)[years["pos"]]
    years["barrier"] = persons["barrier"].to_numpy(object)[years["pos"]]
    years["in_af_programme"] = _years_in_state(spells, scenario, State.AF_PROGRAMME, years, horizon)
    ended = spells["next_state"] != -1
    ame = spells[(spells["state"] == STATE_INDEX[State.MUNICIPAL_ACTIVITY]) & ended]
    ame = pd.DataFrame(
        {
            "pos": position.get_indexer(ame["person_id"]),
            "success": np.isin(ame["next_state"], _AME_SUCCESS),
        }
    )
    person = _person_facts(spells, persons, horizon, books.paid_months, books.ledger, dict(scenario.costs.payers))
    weight = person["weight"].to_numpy()
    years["weight"], ame["weight"] = weight[years["pos"]], weight[ame["pos"]]
    return _Facts(person=person, years=years, ame=ame, full_years=full)


def _years_in_state(
    spells: pd.DataFrame, scenario: Scenario, state: State, years: pd.DataFrame, horizon: float
) -> np.ndarray:
    """For each row (person, year) of ``years``: did the person spend any time in ``state`` that year?"""
    spans = spells[(spells["state"] == STATE_INDEX[state]) & (spells["start"] < horizon)]
    if spans.empty or years.empty:
        return np.zeros(len(years), dtype=bool)
    start = spans["start"].to_numpy(float)
    end = np.minimum(spans["end"].fillna(horizon).to_numpy(float), horizon)
    calendar = Calendar(scenario.simulation.start_date, 0)
    first = calendar.year(np.floor(start).astype(np.int64))
    # The month holding the spell's last instant (a spell ending on a month boundary is not in the next).
    last = calendar.year(np.maximum(np.ceil(end).astype(np.int64) - 1, np.floor(start).astype(np.int64)))
    count = last - first + 1
    person = np.repeat(spans["person_id"].to_numpy(np.int64), count)
    year = np.repeat(first, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    touched = pd.MultiIndex.from_arrays([person, year]).unique()
    return pd.MultiIndex.from_arrays([years["person_id"], years["year"]]).isin(touched)


def _share(flag: np.ndarray | pd.Series, weight: np.ndarray | pd.Series) -> float:
    weight = np.asarray(weight, dtype=float)
    total = weight.sum()
    return float(weight @ np.asarray(flag, dtype=float) / total) if total > 0 else float("nan")


def _rates(person: pd.DataFrame) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, states, horizons in _RATES:
        for k in horizons:
            seen = person[person[f"state_{k}"] != _NOT_OBSERVED]
            hit = np.isin(seen[f"state_{k}"], state_codes(states))
            out[f"{name}_{k}m"] = _share(hit, seen["weight"])
    return out


def _year_metrics(years: pd.DataFrame, full_years: np.ndarray) -> dict[str, float]:
    long_term = years["months"] >= _LONG_TERM_MONTHS
    out = {"long_term_share": _share(long_term, years["weight"])}
    for year in full_years:
        in_year = (years["year"] == year).to_numpy()
        out[f"long_term_share_{year}"] = _share(long_term[in_year], years["weight"][in_year])
    out["af_registration_share"] = _share(years["af_registered"], years["weight"])
    registered = years["af_registered"].to_numpy(bool)
    out["af_programme_share_of_registered"] = _share(
        years["in_af_programme"][registered], years["weight"][registered]
    )
    for reason in _REASONS:
        out[f"reason_{reason}_share"] = _share(years["barrier"] == reason, years["weight"])
    households = years["weight"].sum() / full_years.size if full_years.size else float("nan")
    out["households_with_assistance_per_year"] = float(households)
    return out


def _cost_metrics(person: pd.DataFrame) -> dict[str, float]:
    municipality = float(person["cost_municipality"].sum())
    state = float(person["cost_state"].sum())
    exits = float(person.loc[person["worked"], "weight"].sum())
    return {
        "cost_total_sek": municipality + state,
        "cost_municipality_sek": municipality,
        "cost_state_sek": state,
        "cost_per_exit_to_work_sek": (municipality + state) / exits if exits > 0 else float("nan"),
    }


def _subgroup_metrics(facts: _Facts, mask: np.ndarray) -> dict[str, float]:
    person = facts.person[mask]
    years = facts.years[mask[facts.years["pos"].to_numpy()]]
    ame = facts.ame[mask[facts.ame["pos"].to_numpy()]]
    return {
        **_rates(person),
        "median_months_to_work": km_median(
            person["time_to_work"], person["worked"], person["weight"]
        ),
        "assistance_months_per_person": _share(person["assistance_months"], person["weight"]),
        **_year_metrics(years, facts.full_years),
        "ame_exit_to_work_or_studies_share": _share(ame["success"], ame["weight"]),
        **_cost_metrics(person),
    }


def metrics(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    scenario: Scenario,
    horizon: float,
    table: pd.DataFrame | None = None,
    ledger: pd.DataFrame | None = None,
    books: Accounts | None = None,
) -> pd.DataFrame:
    """Every metric for every subgroup in ``SUBGROUPS``.

    Args:
        table: :func:`sim.accounting.assistance_table` of the same inputs, if already computed.
        ledger: :func:`sim.accounting.cost_ledger` of the same inputs, if already computed.
        books: :func:`sim.accounting.accounts` of the same inputs (used instead of
            ``table`` and ``ledger``, which are then not needed).

    Returns:
        Long table with columns ``metric``, ``subgroup``, ``value`` (NaN where a
        metric has no one to be computed over).
    """
    if books is None:
        table = assistance_table(spells, persons, scenario, horizon) if table is None else table
        books = Accounts.from_table(spells, persons, scenario, horizon, table, ledger)
    facts = _facts(spells, persons, scenario, horizon, books)
    rows = [
        (metric, name, value)
        for name, mask in subgroup_masks(persons).items()
        for metric, value in _subgroup_metrics(facts, mask).items()
    ]
    return pd.DataFrame(rows, columns=["metric", "subgroup", "value"])
