"""Parameter uncertainty: a distribution written next to a value, in the quantity's own scale.

A number in a scenario may carry ``distribution:`` beside ``value`` and ``source``::

    frailty_variance:
      value: 0.5
      note: "Assumption: ..."
      distribution: {type: uniform, low: 0.25, high: 0.75}

Types and their parameters (all in the natural scale of the quantity, so a
reader can check them against the source): ``normal`` (mean, sd), ``lognormal``
(mean, sd of the quantity itself), ``beta`` (mean, sd; for shares), ``gamma``
(mean, sd), ``uniform`` (low, high), ``triangular`` (low, mode, high). The
probabilistic sensitivity analysis (:mod:`sim.experiments.psa`) and the sensitivity methods
(:mod:`sim.experiments.sensitivity`) draw from them.

Example:
    >>> d = parse_distribution({"type": "beta", "mean": 0.4, "sd": 0.05})
    >>> round(d.ppf(0.5), 3), round(d.mean(), 3)
    (0.399, 0.4)
    >>> parse_distribution({"type": "normal", "mean": 1.0})
    Traceback (most recent call last):
    ...
    ValueError: distribution normal needs mean and sd (missing: sd)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scipy import stats

__all__ = ["DISTRIBUTIONS", "Distribution", "parse_distribution"]

#: Each type and the parameters it takes, in the quantity's own scale.
DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "normal": ("mean", "sd"),
    "lognormal": ("mean", "sd"),
    "beta": ("mean", "sd"),
    "gamma": ("mean", "sd"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
}


@dataclass(frozen=True)
class Distribution:
    """A distribution of one parameter: its type and its parameters (natural scale)."""

    kind: str
    params: tuple[tuple[str, float], ...]

    def __getitem__(self, name: str) -> float:
        return dict(self.params)[name]

    def frozen(self) -> Any:
        """The scipy.stats frozen distribution."""
        p = dict(self.params)
        if self.kind == "normal":
            return stats.norm(loc=p["mean"], scale=p["sd"])
        if self.kind == "lognormal":
            sigma2 = math.log(1.0 + (p["sd"] / p["mean"]) ** 2)
            return stats.lognorm(s=math.sqrt(sigma2), scale=math.exp(math.log(p["mean"]) - sigma2 / 2))
        if self.kind == "beta":
            k = p["mean"] * (1 - p["mean"]) / p["sd"] ** 2 - 1
            return stats.beta(p["mean"] * k, (1 - p["mean"]) * k)
        if self.kind == "gamma":
            return stats.gamma((p["mean"] / p["sd"]) ** 2, scale=p["sd"] ** 2 / p["mean"])
        if self.kind == "uniform":
            return stats.uniform(loc=p["low"], scale=p["high"] - p["low"])
        width = p["high"] - p["low"]
        return stats.triang((p["mode"] - p["low"]) / width, loc=p["low"], scale=width)

    def ppf(self, u: float) -> float:
        """The quantile at ``u`` in (0, 1)."""
        return float(self.frozen().ppf(u))

    def mean(self) -> float:
        """The distribution's mean."""
        return float(self.frozen().mean())

    def interval(self, coverage: float = 0.95) -> tuple[float, float]:
        """The central interval holding ``coverage`` of the probability."""
        low, high = self.frozen().interval(coverage)
        return float(low), float(high)

    def describe(self) -> str:
        """E.g. ``beta(mean=0.4, sd=0.05)``."""
        return f"{self.kind}({', '.join(f'{k}={v:g}' for k, v in self.params)})"


def parse_distribution(raw: Any) -> Distribution:
    """Check a ``distribution:`` mapping and build the :class:`Distribution`.

    Raises:
        ValueError: with a message a scenario author can act on.
    """
    if not isinstance(raw, dict):
        raise ValueError("distribution must be a mapping such as {type: uniform, low: 0.2, high: 0.8}")
    kind = raw.get("type")
    if kind not in DISTRIBUTIONS:
        raise ValueError(f"distribution type must be one of {', '.join(DISTRIBUTIONS)} (got {kind!r})")
    names = DISTRIBUTIONS[kind]
    missing = [n for n in names if n not in raw]
    if missing:
        raise ValueError(f"distribution {kind} needs {' and '.join(names)} (missing: {', '.join(missing)})")
    extra = sorted(set(raw) - set(names) - {"type"})
    if extra:
        raise ValueError(f"distribution {kind} takes {', '.join(names)}; unknown: {', '.join(map(str, extra))}")
    params: dict[str, float] = {}
    for name in names:
        value = raw[name]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"distribution {kind}: {name} must be a finite number (got {value!r})")
        params[name] = float(value)
    _check(kind, params)
    return Distribution(kind, tuple((n, params[n]) for n in names))


def _check(kind: str, p: dict[str, float]) -> None:
    if kind in ("normal", "lognormal", "beta", "gamma") and p["sd"] <= 0:
        raise ValueError(f"distribution {kind}: sd must be positive (got {p['sd']:g})")
    if kind in ("lognormal", "gamma") and p["mean"] <= 0:
        raise ValueError(f"distribution {kind}: mean must be positive (got {p['mean']:g})")
    if kind == "beta":
        if not 0 < p["mean"] < 1:
            raise ValueError(f"distribution beta: mean must be between 0 and 1 (got {p['mean']:g})")
        if p["sd"] ** 2 >= p["mean"] * (1 - p["mean"]):
            raise ValueError(f"distribution beta: sd {p['sd']:g} is too large for mean {p['mean']:g} "
                             f"(must be below {math.sqrt(p['mean'] * (1 - p['mean'])):.4g})")
    if kind == "uniform" and not p["low"] < p["high"]:
        raise ValueError(f"distribution uniform: low must be below high (got {p['low']:g}, {p['high']:g})")
    if kind == "triangular" and not (p["low"] <= p["mode"] <= p["high"] and p["low"] < p["high"]):
        raise ValueError("distribution triangular: needs low <= mode <= high and low < high")
