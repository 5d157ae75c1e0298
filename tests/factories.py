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


def make_proposal_on(document, label: str, kind: str, text: str = "", *, by, **fields):
    """A proposal by ``by``'s delegation on the paragraph ``label`` of ``document``, written
    straight to the database, accepted unless ``state`` says otherwise."""
    from resolutions.models import Proposal

    paragraph = Paragraph.objects.get(document=document, label=label)
    fields.setdefault("state", Proposal.State.ACCEPTED)
    return Proposal.objects.create(
        document=document,
        paragraph=paragraph,
        kind=kind,
        text=text,
        base_text=paragraph.text,
        author=by,
        delegation=by.delegation,
        **fields,
    )


def make_circle_of_delegates(name: str, creator, *members):
    """A circle created by ``creator`` whose delegation and ``members`` (delegates, whose
    delegations join) have all accepted."""
    from django.utils import timezone

    from resolutions.models import Circle, CircleMembership

    circle = Circle.objects.create(name=name, created_by=creator)
    delegations = {creator.delegation_id: creator.delegation}
    delegations.update({member.delegation_id: member.delegation for member in members})
    CircleMembership.objects.bulk_create(
        [
            CircleMembership(
                circle=circle, delegation=delegation, invited_by=creator, joined_at=timezone.now()
            )
            for delegation in delegations.values()
        ]
    )
    return circle


def make_proposal_directly(author, paragraph, kind="amend", text="", *, state="tabled", **fields):
    """A proposal by ``author``'s delegation, tabled unless ``state`` says otherwise, made
    directly (the negotiation services are not needed to build a compilation)."""
    from django.utils import timezone

    from resolutions.models import Proposal

    tabled = state != Proposal.State.DRAFT
    return Proposal.objects.create(
        document=paragraph.document,
        paragraph=paragraph,
        kind=kind,
        text=text,
        base_text=paragraph.text,
        author=author,
        delegation=author.delegation,
        state=state,
        tabled_at=fields.pop("tabled_at", timezone.now() if tabled else None),
        **fields,
    )


def make_stance(proposal, delegate, position="supports"):
    from resolutions.models import Stance

    return Stance.objects.create(
        proposal=proposal, delegation=delegate.delegation, position=position, recorded_by=delegate
    )


def make_negotiation(seed_document, lars, amina):
    """The seed draft in informal consultations: Norway amends OP3 for the Nordic group
    (five supports, one can accept, one objection), Japan amends OP3 too, Ghana proposes to
    delete OP5 for a core group, Brazil a new paragraph after OP6, Germany's amendment of
    OP6(a) was rejected, Poland withdrew one of PP4, and Norway keeps a draft of OP1. The
    pen holder marked PP1–PP13 but PP4 agreed ad ref and OP1 agreed."""
    from types import SimpleNamespace

    from django.utils import timezone

    from resolutions.models import Proposal

    people = SimpleNamespace(lars=lars, amina=amina)
    for username, state in [
        ("sven", "Sweden"),
        ("fiona", "Finland"),
        ("kwame", "Ghana"),
        ("yuki", "Japan"),
        ("bruno", "Brazil"),
        ("piotr", "Poland"),
        ("carla", "Chile"),
        ("greta", "Germany"),
    ]:
        setattr(people, username, make_delegate(username, state))
    text = {p.label: p for p in seed_document.paragraphs.all()}
    nordic = make_circle_of_delegates("Nordic group", lars, people.sven, people.fiona)
    core = make_circle_of_delegates("Core group on ICT", amina, people.kwame, people.bruno)
    tabled = timezone.now() - datetime.timedelta(days=2)
    op3 = text["op3"]
    norway = make_proposal_directly(
        lars,
        op3,
        "amend",
        op3.text.replace("Calls upon", "Encourages").replace(
            "to be guided", "to be guided, as appropriate,"
        ),
        reason="Softer language agreed in the Nordic group.",
        on_behalf_of=nordic,
        tabled_at=tabled,
    )
    for person, position in [
        (people.sven, "supports"),
        (people.fiona, "supports"),
        (people.greta, "supports"),
        (people.piotr, "supports"),
        (people.kwame, "supports"),
        (people.carla, "can_accept"),
        (people.yuki, "objects"),
    ]:
        make_stance(norway, person, position)
    japan = make_proposal_directly(
        people.yuki,
        op3,
        "amend",
        op3.text.removesuffix(";") + " and to report thereon;",
        reason="A report helps the follow-up.",
        tabled_at=tabled + datetime.timedelta(hours=1),
    )
    make_stance(japan, people.bruno, "objects")
    ghana = make_proposal_directly(
        people.kwame, text["op5"], "delete", reason="Duplicates OP4.", on_behalf_of=core
    )
    brazil = make_proposal_directly(
        people.bruno,
        text["op6"],
        "insert",
        "Encourages Member States to support capacity-building for developing countries;",
        reason="Capacity-building was a priority of the working group.",
        on_behalf_of=core,
    )
    germany = make_proposal_directly(
        people.greta,
        text["op6-a"],
        "amend",
        "Efforts taken at the national level, including lessons learned;",
        reason="Lessons learned.",
        state=Proposal.State.REJECTED,
        decided_by=amina,
        decision_reason="No support in the room.",
    )
    poland = make_proposal_directly(
        people.piotr,
        text["pp4"],
        "amend",
        text["pp4"].text.replace("Noting", "Welcoming"),
        state=Proposal.State.WITHDRAWN,
    )
    draft = make_proposal_directly(
        lars,
        text["op1"],
        "amend",
        "Nordic draft wording never tabled",
        reason="Draft reason canary",
        state=Proposal.State.DRAFT,
    )
    marked = timezone.now()
    Paragraph.objects.filter(document=seed_document, label__startswith="pp").exclude(
        label="pp4"
    ).update(status="agreed_ad_ref", status_changed_by=amina, status_changed_at=marked)
    Paragraph.objects.filter(document=seed_document, label="op1").update(
        status="agreed", status_changed_by=amina, status_changed_at=marked
    )
    return SimpleNamespace(
        document=seed_document,
        people=people,
        nordic=nordic,
        core=core,
        norway=norway,
        japan=japan,
        ghana=ghana,
        brazil=brazil,
        germany=germany,
        poland=poland,
        draft=draft,
    )


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


def admin_save(staff, url: str, **changes) -> None:
    """Save the admin's form at ``url`` (with its inlines) as it stands, but for
    ``changes``, as a person would who changed those fields only."""
    page = staff.get(url)
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is not None and value is not False:
                data[field.html_name] = value
    data.update(changes)
    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
