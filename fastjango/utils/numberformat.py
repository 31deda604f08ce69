"""Number formatting with a decimal separator, decimal places and digit grouping."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from fastjango.conf import settings
from fastjango.utils.safestring import mark_safe

__all__ = ["format"]

# Decimals with more digits than this are shown in scientific notation rather
# than expanded, which would cost memory for no reader's benefit.
_MAX_DIGITS = 200


def format(
    number: Any,
    decimal_sep: str,
    decimal_pos: int | None = None,
    grouping: int | Sequence[int] = 0,
    thousand_sep: str = "",
    force_grouping: bool = False,
    use_l10n: bool | None = None,
) -> str:
    """Return ``number`` as a string with the given separators.

    ``decimal_pos`` fixes the number of decimal places (cut, never rounded);
    ``grouping`` is a group size (3) or a sequence of sizes from the right,
    where a trailing 0 repeats the previous size (Indian style: ``(3, 2, 0)``).
    Digits are grouped when ``force_grouping`` is set, or when ``use_l10n``
    (default on) and ``settings.USE_THOUSAND_SEPARATOR`` are.
    """
    if number is None or number == "":
        return mark_safe(number)  # type: ignore[no-any-return]
    if use_l10n is None:
        use_l10n = True
    use_grouping = (use_l10n and settings.USE_THOUSAND_SEPARATOR) or force_grouping
    use_grouping = use_grouping and grouping != 0
    if isinstance(number, int) and not use_grouping and not decimal_pos:
        return mark_safe(str(number))  # type: ignore[no-any-return]
    if isinstance(number, float) and "e" in str(number).lower():
        number = Decimal(str(number))
    if isinstance(number, Decimal):
        if decimal_pos is not None:
            # Values too small for the requested places would show as "-0.00".
            cutoff = Decimal("0." + "1".rjust(decimal_pos, "0"))
            if abs(number) < cutoff:
                number = Decimal("0")
        _, digits, exponent = number.as_tuple()
        if isinstance(exponent, int) and abs(exponent) + len(digits) > _MAX_DIGITS:
            coefficient, exp = f"{number:e}".split("e")
            coefficient = format(
                coefficient,
                decimal_sep,
                decimal_pos,
                grouping,
                thousand_sep,
                force_grouping,
                use_l10n,
            )
            return f"{coefficient}e{exp}"
        str_number = f"{number:f}"
    else:
        str_number = str(number)
    sign = ""
    if str_number[0] == "-":
        sign = "-"
        str_number = str_number[1:]
    int_part, _, dec_part = str_number.partition(".")
    if decimal_pos is not None:
        dec_part = dec_part[:decimal_pos].ljust(decimal_pos, "0")
    if dec_part:
        dec_part = decimal_sep + dec_part
    if use_grouping:
        int_part = _group(int_part, grouping, thousand_sep)
    return sign + int_part + dec_part


def _group(int_part: str, grouping: int | Sequence[int], thousand_sep: str) -> str:
    sizes = [grouping, 0] if isinstance(grouping, int) else list(grouping)
    size = sizes.pop(0)
    groups: list[str] = []
    end = len(int_part)
    while end > 0:
        start = max(0, end - size) if size else 0
        groups.append(int_part[start:end])
        end = start
        if sizes:
            # A 0 (or a missing size) repeats the last size for the rest.
            size = sizes.pop(0) or size
    return thousand_sep.join(reversed(groups))
