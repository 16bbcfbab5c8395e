"""Numbers as people write them in spreadsheets: the one parser every import uses.

"2,7 %", "87%", "1 234" (also with a non-breaking or thin space), "−5" (Unicode minus) or "–5" (en dash),
"12 st", "1 234,50 kr", "1.5" and Excel's own floats ("0.30000000000000004"). A text that is not a number
is a Swedish error that quotes it; never a library's message."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MINUS_SIGNS = "\u2212\u2013\u2012\u2014"  # minus, en dash, figure dash, em dash
SPACES = "\u00a0\u202f\u2009\u2007 '"  # non-breaking, narrow no-break, thin, figure space, space, apostrophe
UNIT_WORDS = {"procent": "%", "%": "%", "st": "st", "st.": "st", "stycken": "st"}
NUMBER = re.compile(r"^(?P<sign>[-+]?)(?P<digits>[\d.,]*\d[\d.,]*)\s*(?P<unit>[^\d\s][^\d]*)?$")
# Float noise from a spreadsheet cell ("2.7000000000000002"): many decimals, rounded to two.
FLOAT_NOISE_DECIMALS = 9
HINT = "skriv t.ex. 2,7 %, 1 234 eller 12 st"


@dataclass(frozen=True)
class Number:
    value: Decimal
    unit: str = ""  # what followed the number, e.g. "%", "st", "kr"


def _digits(text: str) -> str | None:
    """Digits with the separators resolved to a plain decimal point, or None when they cannot be read."""
    if "," in text and "." in text:
        decimal_sign = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sign == "," else ","
        text = text.replace(thousands, "")
        return text.replace(",", ".") if text.count(decimal_sign) == 1 else None
    if text.count(",") > 1:
        return None
    if text.count(".") > 1:  # 1.234.567: points as thousands separators
        return text.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) else None
    return text.replace(",", ".")


def parse_number(text, *, column: str = "", decimals: int = 2, max_digits: int = 14) -> Number:
    """``text`` as a number and the unit written after it. A Swedish ValidationError naming ``column``
    when it is not a number or has more decimals or digits than the field holds."""
    raw = "" if text is None else str(text)
    cleaned = raw.strip()
    for space in SPACES:
        cleaned = cleaned.replace(space, " ")
    if cleaned[:1] in MINUS_SIGNS:
        cleaned = "-" + cleaned[1:].lstrip()
    cleaned = re.sub(r"(?<=\d) (?=\d{3}\b)", "", cleaned)  # thousands separated by spaces
    cleaned = re.sub(r"^([-+]?)\s+", r"\1", cleaned)
    prefix = f"{column}: " if column else ""
    match = NUMBER.match(cleaned)
    digits = _digits(match["digits"]) if match else None
    try:
        value = Decimal(digits) if digits is not None else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            _("%(prefix)s”%(text)s” är inte ett tal (%(hint)s).")
            % {"prefix": prefix, "text": raw.strip(), "hint": HINT}
        )
    if match["sign"] == "-":
        value = -value
    exponent = value.as_tuple().exponent
    if -exponent > decimals:
        if -exponent >= FLOAT_NOISE_DECIMALS:
            value = round(value, decimals)
        else:
            raise ValidationError(
                _("%(prefix)s”%(text)s” har fler än %(n)s decimaler.")
                % {"prefix": prefix, "text": raw.strip(), "n": decimals}
            )
    if abs(value) >= Decimal(10) ** (max_digits - decimals):
        raise ValidationError(_("%(prefix)s”%(text)s” är ett för stort tal.") % {"prefix": prefix, "text": raw.strip()})
    unit = (match["unit"] or "").strip()
    return Number(value=value, unit=UNIT_WORDS.get(unit.lower(), unit))
