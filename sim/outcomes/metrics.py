"""Outcome metrics of one replication, for everyone and for subgroups.

The metrics are those the scenarios are compared on (named in
:mod:`sim.outcomes.catalogue`): work and studies 6–48 months after entry, time to
work, months with assistance, the long-term share and AF registration as
Socialstyrelsen counts them (person-years of full calendar years), exits from
municipal labour-market activities, and costs. Every share is a weighted mean
(weights are the national households each simulated one stands for), so
replications with mixed weights remain correct.

Per-person facts are computed once; each subgroup is a mask over persons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.outcomes.accounts import Accounts
from sim.outcomes.catalogue import HORIZONS, subgroup_masks
from sim.outcomes.costs import PAYERS, REVENUE_ITEMS, REVENUE_RECEIVERS
from sim.outcomes.survival import km_median, time_to_work
from sim.rules.calendar import Calendar, full_years
from sim.scenario.schema import CostItem, Scenario
from sim.states import CENSORED, STATE_INDEX, WORK_STATES, State, code_array

__all__ = ["metrics"]

#: Main reasons for assistance (försörjningshinder) whose share of recipients is a metric.
_REASONS = ("unemployment", "sick", "social")
_LONG_TERM_MONTHS = 10
_AME_SUCCESS = code_array(State.EMPLOYMENT, State.SUBSIDISED_EMPLOYMENT, State.STUDIES)
_NOT_OBSERVED = -2
_WORK = code_array(*WORK_STATES)
#: (metric prefix, states that count, months after entry)
_RATES = (
    ("employment_rate", {State.EMPLOYMENT}, HORIZONS),
    ("work_rate", set(WORK_STATES), HORIZONS),
    ("studies_rate", {State.STUDIES}, (12,)),
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
    for k in HORIZONS:
        observed = entry + k <= horizon
        facts[f"state_{k}"] = np.where(observed, _state_at(spells, ids, entry + k), _NOT_OBSERVED)
    time, worked = time_to_work(spells, persons, horizon)
    facts["worked"] = worked
    facts["time_to_work"] = time
    facts["assistance_months"] = paid.reindex(ids, fill_value=0.0).to_numpy()
    revenue = [item for item in REVENUE_ITEMS if item in ledger]
    spent = ledger.groupby("person_id")[[*payers, *revenue]].sum().reindex(ids, fill_value=0.0)
    for payer in PAYERS:
        items = [item for item, who in payers.items() if who == payer]
        facts[f"cost_{payer}"] = spent[items].sum(axis=1).to_numpy()
        received = [item for item in revenue if REVENUE_RECEIVERS[item] == payer]
        facts[f"revenue_{payer}"] = spent[received].sum(axis=1).to_numpy()
    facts["work_months"] = _months_in(spells, ids, horizon, _WORK)
    return facts


def _months_in(spells: pd.DataFrame, ids: np.ndarray, horizon: float, states: np.ndarray) -> np.ndarray:
    """Months each person (rows of ``ids``) spent in ``states`` within the horizon."""
    spans = spells[np.isin(spells["state"].to_numpy(), states)]
    start = spans["start"].to_numpy(float)
    end = np.minimum(spans["end"].fillna(horizon).to_numpy(float), horizon)
    length = pd.Series(np.maximum(end - start, 0.0)).groupby(spans["person_id"].to_numpy(np.int64)).sum()
    return length.reindex(ids, fill_value=0.0).to_numpy()


def _facts(
    spells: pd.DataFrame,
    persons: pd.DataFrame,
    scenario: Scenario,
    horizon: float,
    books: Accounts,
) -> _Facts:
    position = pd.Index(persons["person_id"])
    full = full_years(scenario.simulation.start_date, horizon)
    years = books.paid_months_by_year
    years = years[years["year"].isin(full)].reset_index(drop=True)
    years["pos"] = position.get_indexer(years["person_id"])
    years["af_registered"] = persons["af_registered"].to_numpy(bool)[years["pos"]]
    years["barrier"] = persons["barrier"].to_numpy(object)[years["pos"]]
    years["in_af_programme"] = _years_in_state(spells, scenario, State.AF_PROGRAMME, years, horizon)
    ended = spells["next_state"] != CENSORED
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
    # numpy's own pairwise sum, not a BLAS dot product: BLAS adds in an order that depends on its number
    # of threads, and the results must be the same bits on any machine and with any number of workers.
    return float(np.sum(weight * np.asarray(flag, dtype=float)) / total) if total > 0 else float("nan")


def _rates(person: pd.DataFrame) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, states, horizons in _RATES:
        for k in horizons:
            seen = person[person[f"state_{k}"] != _NOT_OBSERVED]
            hit = np.isin(seen[f"state_{k}"], code_array(*states))
            out[f"{name}_{k}m"] = _share(hit, seen["weight"])
    return out


def _year_metrics(years: pd.DataFrame, full: np.ndarray) -> dict[str, float]:
    long_term = years["months"] >= _LONG_TERM_MONTHS
    out = {"long_term_share": _share(long_term, years["weight"])}
    for year in full:
        in_year = (years["year"] == year).to_numpy()
        out[f"long_term_share_{year}"] = _share(long_term[in_year], years["weight"][in_year])
    out["af_registration_share"] = _share(years["af_registered"], years["weight"])
    registered = years["af_registered"].to_numpy(bool)
    out["af_programme_share_of_registered"] = _share(
        years["in_af_programme"][registered], years["weight"][registered]
    )
    for reason in _REASONS:
        out[f"reason_{reason}_share"] = _share(years["barrier"] == reason, years["weight"])
    households = years["weight"].sum() / full.size if full.size else float("nan")
    out["households_with_assistance_per_year"] = float(households)
    return out


def _cost_metrics(person: pd.DataFrame) -> dict[str, float]:
    """Spending, revenue and net cost by payer over the run (national SEK), and today's cost per exit."""
    spending = {payer: float(np.sum(person[f"cost_{payer}"].to_numpy())) for payer in PAYERS}
    revenue = {payer: float(np.sum(person[f"revenue_{payer}"].to_numpy())) for payer in PAYERS}
    total = sum(spending.values())
    exits = float(person.loc[person["worked"], "weight"].sum())
    out = {"cost_total_sek": total, **{f"cost_{payer}_sek": spending[payer] for payer in PAYERS},
           "cost_per_exit_to_work_sek": total / exits if exits > 0 else float("nan"),
           "revenue_total_sek": sum(revenue.values()), **{f"revenue_{payer}_sek": revenue[payer] for payer in PAYERS},
           "net_cost_total_sek": total - sum(revenue.values())}  # fmt: skip
    out.update({f"net_cost_{payer}_sek": spending[payer] - revenue[payer] for payer in PAYERS})
    return out


def _work_counts(person: pd.DataFrame) -> dict[str, float]:
    """National persons in work 24 months after entry (of those observed then), and person-years in work."""
    weight = person["weight"].to_numpy()
    seen = person["state_24"].to_numpy() != _NOT_OBSERVED
    in_work = seen & np.isin(person["state_24"].to_numpy(), _WORK)
    return {
        "persons_in_work_24m": float(np.sum(weight[in_work])) if seen.any() else float("nan"),
        "work_person_years": float(np.sum(weight * person["work_months"].to_numpy())) / 12.0,
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
        **_work_counts(person),
    }


def metrics(
    spells: pd.DataFrame, persons: pd.DataFrame, scenario: Scenario, horizon: float, accounts: Accounts
) -> pd.DataFrame:
    """Every metric for every subgroup in ``SUBGROUPS``.

    Args:
        spells, persons, scenario, horizon: a replication's record (:class:`sim.outcomes.record.Record`).
        accounts: the sums of its household budgets (``Record.accounts``).

    Returns:
        Long table with columns ``metric``, ``subgroup``, ``value`` (NaN where a
        metric has no one to be computed over).
    """
    facts = _facts(spells, persons, scenario, horizon, accounts)
    rows = [
        (metric, name, value)
        for name, mask in subgroup_masks(persons).items()
        for metric, value in _subgroup_metrics(facts, mask).items()
    ]
    return pd.DataFrame(rows, columns=["metric", "subgroup", "value"])
