"""A paragraph as a delegate types it ("OP6", "op 6 (a)", "pp3", "6") matched to the labels
a document's paragraphs carry ("op6", "op6-a", "pp3")."""

import re
from collections.abc import Iterable


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
