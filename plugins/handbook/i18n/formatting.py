"""Numbers, lists and dates as each language writes them (2,75 in French and German, the Arabic
comma between list items), with Babel's locale data rather than string joins."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal


@cache
def locale_of(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def number(value: Fraction | Decimal | int | float, language: str) -> str:
    """``value`` with the language's decimal sign, to at most two places (2.75 -> "2,75")."""
    exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
    return format_decimal(exact.quantize(Decimal("0.01")).normalize() if exact % 1 else int(exact),
                          format="#,##0.##", locale=locale_of(language))


def listing(items: list[str], language: str) -> str:
    """Items joined as the language joins them ("a, b and c"; "أ، ب و ج")."""
    return format_list(list(items), style="standard", locale=locale_of(language)) if items else ""


def date(iso: str, language: str) -> str:
    """An ISO date ("2026-10-19") written out in the language; anything else unchanged."""
    try:
        day = datetime.date.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return format_date(day, format="long", locale=locale_of(language))


def text_direction(language: str) -> str:
    """"rtl" for a language written right to left (Arabic, Hebrew...), else "ltr"."""
    return "rtl" if locale_of(language).character_order == "right-to-left" else "ltr"
