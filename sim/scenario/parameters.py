"""Dated parameter values: amounts that change on a date (OpenFisca's shape).

A dated series holds ``(valid_from, value)`` pairs in ascending date order; the
value in force on a date is the last one that took effect on or before it. A
plain number is a series with a single value valid from the beginning of time.

Example:
    >>> from datetime import date
    >>> s = DatedSeries.parse({"values": {"2024-01-01": 223, "2025-10-01": 365}})
    >>> s.at(date(2025, 9, 30)), s.at(date(2025, 10, 1))
    (223.0, 365.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

__all__ = ["DatedSeries", "DatedCurve", "Day", "FIRST_YEAR", "LAST_YEAR", "as_day", "finite"]

#: Dates a scenario may name: the model's rules and statistics span decades, not millennia.
FIRST_YEAR, LAST_YEAR = 1900, 2200


@dataclass(frozen=True)
class DatedSeries:
    """A value that changes on given dates.

    Attributes:
        dates: the dates on which each value takes effect, ascending.
        values: the values, one per date.
    """

    dates: tuple[date, ...]
    values: tuple[float, ...]

    @classmethod
    def constant(cls, value: float) -> DatedSeries:
        """A series with one value in force at every date."""
        return cls((date.min,), (float(value),))

    @classmethod
    def parse(cls, raw: Any) -> DatedSeries:
        """Build a series from a number or from ``{"values": {date: number, ...}}``.

        Raises:
            ValueError: with a message a scenario author can act on.
        """
        if isinstance(raw, DatedSeries):
            return raw
        if isinstance(raw, bool):
            raise ValueError("expected a number or a dated series, got a boolean")
        if isinstance(raw, (int, float)):
            return cls.constant(finite(raw, "value"))
        if not isinstance(raw, dict) or set(raw) != {"values"}:
            raise ValueError(
                "expected a number or a dated series {values: {YYYY-MM-DD: number, ...}}"
            )
        entries = raw["values"]
        if not isinstance(entries, dict) or not entries:
            raise ValueError("'values' must map dates (YYYY-MM-DD) to numbers")
        dates: list[date] = []
        values: list[float] = []
        for key, value in entries.items():
            dates.append(as_day(key))
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"value for {dates[-1].isoformat()} must be a number")
            values.append(finite(value, dates[-1].isoformat()))
        for earlier, later in zip(dates, dates[1:]):
            if later <= earlier:
                raise ValueError(
                    f"dates must be in ascending order: {later.isoformat()} "
                    f"comes after {earlier.isoformat()}"
                )
        return cls(tuple(dates), tuple(values))

    def at(self, when: date) -> float:
        """The value in force on ``when`` (the first value if ``when`` precedes all dates)."""
        current = self.values[0]
        for start, value in zip(self.dates, self.values):
            if start <= when:
                current = value
            else:
                break
        return current

    def to_raw(self) -> float | dict[str, dict[str, float]]:
        """The plain form :meth:`parse` accepts (a number when constant)."""
        if self.dates == (date.min,):
            return self.values[0]
        return {"values": {d.isoformat(): v for d, v in zip(self.dates, self.values)}}

    def minimum(self) -> float:
        """The smallest value the series takes."""
        return min(self.values)


def as_day(value: Any) -> date:
    """A calendar date from a date or a ``YYYY-MM-DD`` text, between :data:`FIRST_YEAR` and :data:`LAST_YEAR`.

    A time of day, a number or any other text is refused: a date in a scenario is a day.

    Raises:
        ValueError: with a message a scenario author can act on.
    """
    if isinstance(value, datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, got a date and time ({value.isoformat(sep=' ')})")
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and len(value) == 10:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD") from None
    else:
        shown = f"'{value}'" if isinstance(value, str) else f"{type(value).__name__} {value!r}"[:60]
        raise ValueError(f"expected a date YYYY-MM-DD, got {shown}")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"the year {day.year} is outside {FIRST_YEAR}–{LAST_YEAR}, the years a scenario may name")
    return day


def finite(value: float, what: str) -> float:
    """``value`` as a float; an infinite, undefined or too large number is refused."""
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{what} is too large to be a number of this model") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{what} must be a finite number")
    return number


#: A calendar day in a scenario (a date or a YYYY-MM-DD text; no time of day, no number).
Day = Annotated[date, BeforeValidator(as_day)]


@dataclass(frozen=True)
class DatedCurve:
    """A piecewise-linear function that changes on given dates (a tax rule's schedule, say).

    Each date's curve is a list of ``(x, y)`` points with increasing ``x``; between points
    the value is interpolated linearly, and beyond the last point it stays at the last value.
    A point may repeat the previous ``x`` once: the curve steps there (the new value holds
    from that ``x`` on), as the law's schedules do where a segment's formula changes.

    Example:
        >>> c = DatedCurve.parse({"values": {"2025-01-01": [[0, 0.423], [0.99, 0.423], [2.72, 0.769]]}})
        >>> round(float(c.value(date(2025, 6, 1), 1.5)), 4)
        0.525
    """

    dates: tuple[date, ...]
    points: tuple[tuple[tuple[float, float], ...], ...]

    @classmethod
    def parse(cls, raw: Any) -> DatedCurve:
        """Build a curve from ``{"values": {date: [[x, y], ...], ...}}``.

        Raises:
            ValueError: with a message a scenario author can act on.
        """
        if isinstance(raw, DatedCurve):
            return raw
        if not isinstance(raw, dict) or set(raw) != {"values"} or not isinstance(raw["values"], dict) or not raw["values"]:
            raise ValueError("expected a dated curve {values: {YYYY-MM-DD: [[x, y], ...], ...}}")
        dates, curves = [], []
        for key, points in raw["values"].items():
            day = as_day(key)
            if not isinstance(points, (list, tuple)) or len(points) < 1:
                raise ValueError(f"the curve of {day.isoformat()} must be a list of [x, y] points")
            parsed: list[tuple[float, float]] = []
            for point in points:
                if not isinstance(point, (list, tuple)) or len(point) != 2:
                    raise ValueError(f"the curve of {day.isoformat()}: each point is [x, y], got {point!r}"[:120])
                x, y = (finite(v, f"a point of {day.isoformat()}") for v in point)
                if parsed and (x < parsed[-1][0] or (len(parsed) > 1 and x == parsed[-1][0] == parsed[-2][0])):
                    raise ValueError(f"the curve of {day.isoformat()}: x must increase, or repeat once for a step "
                                     f"({x:g} after {parsed[-1][0]:g})")  # fmt: skip
                parsed.append((x, y))
            dates.append(day)
            curves.append(tuple(parsed))
        for earlier, later in zip(dates, dates[1:]):
            if later <= earlier:
                raise ValueError(f"dates must be in ascending order: {later.isoformat()} comes after {earlier.isoformat()}")
        return cls(tuple(dates), tuple(curves))

    def curve_at(self, when: date) -> tuple[tuple[float, float], ...]:
        """The points in force on ``when`` (the first curve before the first date)."""
        current = self.points[0]
        for start, points in zip(self.dates, self.points):
            if start <= when:
                current = points
            else:
                break
        return current

    def value(self, when: date, x: Any) -> Any:
        """The curve in force on ``when`` at ``x`` (a number or an array)."""
        import numpy as np

        points = self.curve_at(when)
        return np.interp(x, [p[0] for p in points], [p[1] for p in points])

    def to_raw(self) -> dict[str, dict[str, list[list[float]]]]:
        """The plain form :meth:`parse` accepts."""
        return {"values": {d.isoformat(): [list(p) for p in pts] for d, pts in zip(self.dates, self.points)}}
