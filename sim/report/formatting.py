"""Numbers as Swedish and English readers write them: ``1 234,5`` and ``1,234.5``.

Shares show as percent (differences as percentage points), amounts of SEK in
kr, mnkr or mdkr (SEK, MSEK, SEK bn), months with their unit; a missing value
is an en dash.

Example:
    >>> fmt_number(1234.5, "sv", 1), fmt_number(1234.5, "en", 1)
    ('1 234,5', '1,234.5')
    >>> fmt_share(0.2734, "sv"), fmt_sek(12_345_000_000, "sv"), fmt_sek(-4_560_000, "en")
    ('27,3 %', '12,3 mdkr', '−4.56 MSEK')
    >>> fmt_sig(0.04123, "sv"), fmt_sig(27.04, "sv"), fmt_sig(123456.0, "en")
    ('0,0412', '27,0', '123,456')
"""

from __future__ import annotations

import math

__all__ = [
    "LANGS", "check_lang", "metric_kind", "fmt_number", "fmt_sig", "sig_decimals", "fmt_share", "fmt_sek", "fmt_value",
    "fmt_diff", "fmt_sci", "sek_unit",
]  # fmt: skip

LANGS = ("sv", "en")
_MINUS = "\u2212"
_SHARE_METRICS = ("employment_rate_", "work_rate_", "studies_rate_", "long_term_share")
_MONTH_METRICS = ("median_months_to_work", "assistance_months_per_person")


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise ValueError."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)} (got {lang!r})")
    return lang


def metric_kind(metric: str) -> str:
    """How a metric's values read: ``share``, ``months``, ``sek`` or ``count``."""
    if metric.startswith("cost_"):
        return "sek"
    if metric in _MONTH_METRICS:
        return "months"
    if metric.startswith(_SHARE_METRICS) or metric.endswith("_share"):
        return "share"
    return "count"


def fmt_number(value: float, lang: str = "sv", decimals: int = 0, sign: bool = False) -> str:
    """``1 234,5`` (sv) or ``1,234.5`` (en); ``–`` for a missing value; ``sign`` adds ``+``."""
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    if check_lang(lang) == "sv":
        text = text.replace(",", " ").replace(".", ",")
    if value < 0 and text.strip("0,. ") != "":
        return _MINUS + text
    return ("+" + text) if sign else text


def sig_decimals(value: float, digits: int = 3, max_decimals: int = 4) -> int:
    """Decimals that show ``value`` with about ``digits`` significant digits (0 to ``max_decimals``)."""
    if value is None or not math.isfinite(value) or value == 0:
        return 0
    return max(0, min(max_decimals, digits - 1 - int(math.floor(math.log10(abs(value))))))


def fmt_sig(value: float, lang: str = "sv", digits: int = 3, max_decimals: int = 4, sign: bool = False) -> str:
    """A number with about ``digits`` significant digits (at least the integer part, at most ``max_decimals``)."""
    return fmt_number(value, lang, sig_decimals(value, digits, max_decimals), sign=sign)


def fmt_share(value: float, lang: str = "sv", decimals: int = 1, points: bool = False) -> str:
    """A share as percent (``27,3 %``); with ``points`` a difference in percentage points."""
    number = fmt_number(100 * value, lang, decimals, sign=points)
    if number == "–":
        return number
    if points:
        return number + (" %-enh." if lang == "sv" else " pp")
    return number + (" %" if lang == "sv" else "%")


def sek_unit(value: float, lang: str = "sv") -> tuple[float, str]:
    """The divisor and unit name to show an amount of ``value`` SEK (mdkr, mnkr or kr)."""
    size = abs(value) if math.isfinite(value) else 0.0
    if size >= 1e9:
        return 1e9, "mdkr" if lang == "sv" else "SEK bn"
    if size >= 1e6:
        return 1e6, "mnkr" if lang == "sv" else "MSEK"
    return 1.0, "kr" if lang == "sv" else "SEK"


def fmt_sek(value: float, lang: str = "sv", sign: bool = False) -> str:
    """An amount in SEK with about three significant digits: ``12,3 mdkr``, ``456 mnkr``, ``8 900 kr``."""
    divisor, unit = sek_unit(value, lang)
    scaled = value / divisor if math.isfinite(value) else value
    decimals = 0 if divisor == 1.0 or abs(scaled) >= 100 else (1 if abs(scaled) >= 10 else 2)
    number = fmt_number(scaled, lang, decimals, sign=sign)
    return number if number == "–" else f"{number} {unit}"


def fmt_value(metric: str, value: float, lang: str = "sv") -> str:
    """A metric's value with its unit (percent, months, SEK or a count)."""
    kind = metric_kind(metric)
    if kind == "share":
        return fmt_share(value, lang)
    if kind == "sek":
        return fmt_sek(value, lang)
    if kind == "months":
        number = fmt_number(value, lang, 1)
        return number if number == "–" else number + (" mån" if lang == "sv" else " months")
    return fmt_number(value, lang, 0)


def fmt_diff(metric: str, value: float, lang: str = "sv") -> str:
    """A difference of a metric with its sign and unit (percentage points for shares)."""
    kind = metric_kind(metric)
    if kind == "share":
        return fmt_share(value, lang, points=True)
    if kind == "sek":
        return fmt_sek(value, lang, sign=True)
    decimals = 1 if kind == "months" else 0
    number = fmt_number(value, lang, decimals, sign=True)
    if kind == "months" and number != "–":
        number += " mån" if lang == "sv" else " months"
    return number


def fmt_sci(value: float, lang: str = "sv") -> str:
    """A number of any size in scientific notation, ``1,23·10⁻⁷`` (sv) or ``1.23·10⁻⁷`` (en)."""
    if value is None or not math.isfinite(value):
        return "–"
    if value == 0:
        return "0"
    exponent = int(math.floor(math.log10(abs(value))))
    mantissa = fmt_number(value / 10**exponent, lang, 2)
    if exponent == 0:
        return mantissa
    superscript = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa}·10{superscript}"
