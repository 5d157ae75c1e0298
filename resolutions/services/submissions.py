"""A form sent twice saves once.

Every form that adds a row (a note, a reply, an action, a milestone) carries a random
submission key, unique per sender in the database. A double click or a request the browser
sends again arrives with the same key: the row the first copy saved is the answer, and
nothing new is saved. The same key with other words is a new row: the form came back from
the browser's history and was used again, and what the delegate typed must not be lost.
"""

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction

Row = TypeVar("Row", bound=models.Model)


def create_once(
    sent_before: "models.QuerySet[Row]",
    key_field: str,
    key: str,
    same: Callable[[Row], bool],
    create: Callable[[str], Row],
) -> tuple[Row, bool]:
    """``(row, created)``: the row ``sent_before`` (the sender's rows) holds under ``key``
    when ``same`` says it is this submission, otherwise ``create(key)``'s new row (with the
    key dropped when another submission holds it). Two copies sent at the same moment both
    look before either saves; the database lets the first through and the second is
    answered with it."""
    if key:
        earlier = sent_before.filter(**{key_field: key}).first()
        if earlier is not None and same(earlier):
            return earlier, False
        if earlier is not None:
            key = ""
    try:
        with transaction.atomic():
            return create(key), True
    except IntegrityError:
        if not key:
            raise
        return sent_before.get(**{key_field: key}), False
