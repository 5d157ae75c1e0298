"""Small factories for test data. JSON fixtures are seed data only."""

import datetime
import itertools
import json
import re

from resolutions.models import Document, Paragraph
from resolutions.un.reference import REAL_TEXTS_DIR

_counter = itertools.count(1)


def make_document(*, paragraphs: int = 3, symbol: str | None = None, **fields) -> Document:
    """A document with ``paragraphs`` preambular and as many operative paragraphs."""
    n = next(_counter)
    document = Document.objects.create(
        symbol=symbol or f"A/C.1/99/L.{n}",
        title=fields.pop("title", f"Test draft {n}"),
        date=fields.pop("date", datetime.date(2024, 10, 1)),
        session=fields.pop("session", 79),
        committee=fields.pop("committee", "First Committee"),
        **fields,
    )
    order = itertools.count(1)
    Paragraph.objects.bulk_create(
        [
            Paragraph(
                document=document,
                part=Paragraph.Part.PREAMBULAR,
                label=f"pp{i}",
                order=next(order),
                lead="Recalling",
                text=f"Recalling paragraph {i} of the preamble,",
            )
            for i in range(1, paragraphs + 1)
        ]
        + [
            Paragraph(
                document=document,
                part=Paragraph.Part.OPERATIVE,
                label=f"op{i}",
                number=str(i),
                order=next(order),
                lead="Decides",
                text=f"Decides on operative matter {i};",
            )
            for i in range(1, paragraphs + 1)
        ]
    )
    return document


def expected_reading(stem: str) -> dict:
    """The expected reading of the real text ``stem`` (e.g. ``"A-C.6-80-L.10"``)."""
    path = REAL_TEXTS_DIR / f"{stem}.expected.json"
    return json.loads(path.read_text(encoding="utf-8"))


def make_real_document(stem: str, **fields) -> Document:
    """The real document ``stem`` with every paragraph exactly as its expected reading gives
    it (label, part, number, parent, text), whatever the parser makes of the text today."""
    reading = expected_reading(stem)
    heading = reading["heading"]
    document = Document.objects.create(
        symbol=reading["symbol"],
        title=heading["title"],
        kind=heading["kind"],
        date=datetime.datetime.strptime(heading["date"], "%d %B %Y").date(),
        session=int(re.search(r"/(\d+)/", reading["symbol"])[1]),
        committee=heading["committee"],
        distribution=heading["distribution"],
        **fields,
    )
    saved: dict[str, Paragraph] = {}
    for order, row in enumerate(reading["paragraphs"], start=1):
        parent_label = row["label"].rpartition("-")[0]
        number = row["number"]
        saved[row["label"]] = Paragraph.objects.create(
            document=document,
            part=row["part"],
            label=row["label"],
            number=f"({number})" if parent_label else number,
            order=order,
            parent=saved.get(parent_label),
            text=row["text"],
        )
    return document


def make_delegate(username: str, state_name: str = "Norway", *, editor: bool = False):
    """A user in the delegation of ``state_name`` (created when missing)."""
    from django.contrib.auth.models import Group

    from resolutions.models import Delegation, MemberState, User

    state = MemberState.objects.get(name=state_name)
    delegation, _ = Delegation.objects.get_or_create(state=state, defaults={"name": state.name})
    user = User.objects.create_user(username=username, password=PASSWORD, delegation=delegation)
    if editor:
        # get_or_create: transactional tests flush the group the migration made.
        user.groups.add(Group.objects.get_or_create(name="editor")[0])
    return user


PASSWORD = "a-long-test-password-76"


def make_annotation(author, paragraph, body="A note", **fields):
    from resolutions.services import annotation_create

    return annotation_create(author=author, paragraph=paragraph, body=body, **fields)


def make_circle(name: str, creator, *delegations, joined: bool = True):
    """A circle of ``delegations`` (they have accepted, unless ``joined`` is false)."""
    from django.utils import timezone

    from resolutions.models import Circle, CircleMembership

    circle = Circle.objects.create(name=name, created_by=creator)
    for delegation in delegations:
        CircleMembership.objects.create(
            circle=circle,
            delegation=delegation,
            invited_by=creator,
            joined_at=timezone.now() if joined else None,
        )
    return circle


def make_proposal(author, paragraph, text=None, *, kind="amend", state="tabled", **fields):
    """A proposal made through the service; an amendment puts "Strongly" before the
    paragraph's words unless ``text`` says otherwise."""
    from resolutions.services import proposal_create

    if text is None:
        text = "" if kind == "delete" else f"Strongly {paragraph.text}"
    return proposal_create(
        author=author, paragraph=paragraph, kind=kind, text=text, state=state, **fields
    )
