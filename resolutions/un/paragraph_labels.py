"""A paragraph as a delegate types it ("OP6", "op 6 (a)", "pp3", "6") matched to the labels
a document's paragraphs carry ("op6", "op6-a", "pp3")."""

import re
from collections.abc import Iterable


def display_label(label: str) -> str:
    """The label a delegate quotes in a meeting, from the one a paragraph carries: "pp3" is
    PP3, "op6-a" OP6(a), "op2-b-i" OP2(b)(i)."""
    head, *subs = label.split("-")
    return head.upper() + "".join(f"({sub})" for sub in subs)


def typed_key(text: str) -> str:
    """What is compared: letters and digits only, in lower case, so that "OP6(a)", "op6 a"
    and the label "op6-a" are all "op6a". A bare number is an operative paragraph's, the
    one delegates quote by number ("6" is OP6)."""
    key = re.sub(r"[^0-9a-z]", "", text.casefold())
    return f"op{key}" if key.isdigit() else key


def find_label(typed: str, labels: Iterable[str]) -> str | None:
    """The label among ``labels`` that ``typed`` names, or None when it names none."""
    key = typed_key(typed)
    if not key:
        return None
    return next((label for label in labels if typed_key(label) == key), None)
