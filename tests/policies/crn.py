"""Where two runs under common random numbers part ways, person by person."""

from __future__ import annotations

import numpy as np
import pandas as pd

_COLUMNS = ["state", "start", "end", "next_state"]


def first_differences(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """For each person whose path differs, the first spell that differs in each run.

    Times are compared to 1e-9 months: a hazard with a window goes through the
    piecewise inverse, which may round differently even where its factor is 1.

    Returns:
        One row per changed person: ``person_id`` and ``state``, ``start``, ``end``,
        ``next_state`` of the first differing spell before (suffix ``_0``) and after
        (suffix ``_1``); NaN where one path has no such spell.
    """
    rows = []
    groups = dict(tuple(after.groupby("person_id")))
    for pid, a in before.groupby("person_id"):
        b = groups.get(pid, after.iloc[:0])
        x, y = a[_COLUMNS].to_numpy(float), b[_COLUMNS].to_numpy(float)
        n = min(len(x), len(y))
        same = np.isclose(x[:n], y[:n], rtol=0.0, atol=1e-9).all(axis=1)
        if same.all() and len(x) == len(y):
            continue
        k = int(np.argmin(same)) if not same.all() else n
        nan = np.full(len(_COLUMNS), np.nan)
        first_0, first_1 = (x[k] if k < len(x) else nan), (y[k] if k < len(y) else nan)
        rows.append([pid, *first_0, *first_1])
    names = [f"{c}_{s}" for s in (0, 1) for c in _COLUMNS]
    return pd.DataFrame(rows, columns=["person_id", *names])
