"""Reading numbers from forms and query strings without trusting them.

``str.isdigit`` accepts "²" and 5,000-digit strings, on which ``int`` fails or SQLite overflows;
every view reads small whole numbers through here instead, and answers 400 for anything else.
"""

from __future__ import annotations

# SQLite's INTEGER is 64-bit: route converters cap ids at this.
MAX_ID = 2**63 - 1


def small_int(raw: str | None, *, limit: int = 10**9) -> int | None:
    """The whole number in ``raw`` if it is plain ASCII digits below ``limit``, else None."""
    # The length check keeps int() off a forged megabyte of digits; the limit does the rest.
    if not raw or len(raw) > len(str(limit)) or not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if value < limit else None
