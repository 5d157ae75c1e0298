"""UN document symbols and the words around them: the URL slug of a symbol, the title of a
session, the link to the UN document system, and white space as one space."""

import re

UNDOCS_URL = "https://undocs.org/"


def normalise_space(text: str) -> str:
    """``text`` with every run of white space (line breaks and tabs too) as one space, and
    none at either end."""
    return " ".join(text.split())


def undocs_url(symbol: str) -> str:
    """The document's permanent address on the UN document system."""
    return UNDOCS_URL + symbol


def slug_for_symbol(symbol: str) -> str:
    """The URL slug of a UN symbol: lower case, ``/`` turned into ``-``, ``.`` dropped.

    ``A/C.1/76/L.13`` is ``a-c1-76-l13``; ``A/RES/76/19`` is ``a-res-76-19``.
    """
    return re.sub(r"\s+", "", symbol).lower().replace("/", "-").replace(".", "")


_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = ["twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]


def _ordinal(number: int) -> str:
    if number < 10:
        return _UNITS[number - 1]
    if number < 20:
        return _TEENS[number - 10]
    tens, units = divmod(number, 10)
    stem = _TENS[tens - 2]
    return f"{stem}ieth" if units == 0 else f"{stem}y-{_UNITS[units - 1]}"


def session_title(session: int) -> str:
    """The session as UN documents print it: 76 gives "Seventy-sixth session", 101 gives
    "One hundred and first session"."""
    if session < 1 or session > 199:
        return f"Session {session}"
    if session == 100:
        word = "one hundredth"
    elif session > 100:
        word = f"one hundred and {_ordinal(session - 100)}"
    else:
        word = _ordinal(session)
    return f"{word[0].upper()}{word[1:]} session"
