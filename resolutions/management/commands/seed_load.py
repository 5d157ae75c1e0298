"""``python manage.py seed_load --annotations N --users U --delegations D [--proposals P]
[--circles C] [--seed S] [--force]``

Fills the database with synthetic but realistic data for measuring the app at a
delegation's scale (``make bench``, ``make load``): delegations of real Member States, their
delegates, notes spread over the seed draft's paragraphs (with the mix of visibilities, tags,
quotes, replies and edits delegates produce), each delegation's follow-up actions, a later
sponsor list of the seed draft and four more drafts with sponsor lists to compare; and, with
``--proposals``, the negotiation of the seed draft: circles of delegations, tabled proposals
(amendments, deletions, new paragraphs, some on behalf of a circle) with the other
delegations' stances, and paragraphs marked agreed ad ref.

Everything it makes is recognisable (usernames starting ``load-``, the symbols in
``SYNTHETIC_SYMBOLS``, the label ``EXTRA_LIST_LABEL``) and is removed before it is made
again, so running it twice leaves what one run leaves. The same ``--seed`` gives the same
data. It refuses to run when ``DEBUG`` is off (a production database) unless ``--force``.
"""

import datetime
import itertools
import random
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from resolutions import services
from resolutions.models import (
    AgendaItem,
    Annotation,
    AnnotationRevision,
    Circle,
    CircleMembership,
    Delegation,
    Document,
    FollowUpAction,
    MemberState,
    Paragraph,
    Proposal,
    SponsorList,
    Stance,
    Tag,
    User,
)

SEED_SLUG = "a-c1-76-l13"
AGENDA_SLUG = "ict-international-security"
USERNAME_PREFIX = "load-"
SYNTHETIC_SYMBOLS = [f"A/C.1/76/L.{n}" for n in (901, 902, 903, 904)]
EXTRA_LIST_LABEL = "Additional sponsors at action (synthetic)"
BATCH = 2_000

TAGS = [
    "red line",
    "capital to confirm",
    "agreed language",
    "OEWG",
    "norms",
    "capacity-building",
    "confidence-building",
    "international law",
    "compromise text",
    "sponsor outreach",
    "EU coordination",
    "G77 position",
    "budget implications",
    "follow-up",
    "fallback",
]

OPENINGS = [
    "Capital wants",
    "Our instructions are",
    "The EU position is",
    "Several delegations asked",
    "In the informals the facilitator proposed",
    "Legal advisers suggest",
    "We can live with",
    "We cannot accept",
    "Check with the Ministry",
    "Point raised at the group meeting:",
]
POINTS = [
    "to keep this paragraph as agreed language from resolution 75/240",
    "to align this with the consensus report of the open-ended working group (A/75/816)",
    "to strengthen the reference to the applicability of international law",
    "to delete the reference to a programme of action until the working group has met",
    "a softer verb here: 'encourages' rather than 'calls upon'",
    "to add a reference to capacity-building for developing countries",
    "to ask the Secretary-General for a report at the seventy-seventh session",
    "to retain the balance between the two processes",
    "to mention the role of regional organizations",
    "an explicit reference to the protection of critical infrastructure",
    "to avoid new budget implications in this paragraph",
    "to keep the timeline of the working group 2021-2025 unchanged",
]
CLOSINGS = [
    "",
    " To be raised at the next informal consultation.",
    " Fallback: accept the facilitator's text.",
    " Flag for the Ambassador before the vote.",
    " Coordinate with like-minded delegations first.",
    " See the explanation of vote we gave last year.",
]
REPLIES = [
    "Agreed; I will raise it tomorrow.",
    "Capital confirmed this morning.",
    "The facilitator is not receptive; let us keep it as a fallback.",
    "Done: sent to the group coordinator.",
    "I disagree: the current text is better for us.",
    "Noted. Can we live with the compromise if the reference to 75/240 stays?",
    "The legal office has cleared this wording.",
    "Let us discuss at the delegation meeting on Thursday.",
]
ACTIONS = [
    ("op6", "Send our views to the Secretary-General"),
    ("op6", "Draft the national submission on efforts to strengthen information security"),
    ("op4", "Brief capital on the open-ended working group 2021–2025"),
    ("op4", "Attend the organizational session of the open-ended working group"),
    ("op7", "Prepare the explanation of vote for the seventy-seventh session"),
    ("op2", "Report on national implementation of the norms"),
    ("op1", "Coordinate the position with the regional group"),
]
# (visibility, weight): most notes are for the delegation, many are public, some private.
VISIBILITIES = [
    (Annotation.Visibility.DELEGATION, 55),
    (Annotation.Visibility.PUBLIC, 30),
    (Annotation.Visibility.PRIVATE, 15),
]
REPLY_SHARE = 0.25
QUOTE_SHARE = 0.35
RESOLVED_SHARE = 0.10
EDITED_SHARE = 0.03
DELETED_SHARE = 0.01

# The negotiation (--proposals): what delegations propose, and how the others answer.
CIRCLE_NAMES = [
    "Nordic group",
    "EU",
    "African Group",
    "Core group on ICT",
    "Like-minded group",
    "Friends of the OEWG",
    "Group of 77",
    "Small island States",
    "Latin American coordination",
    "Capacity-building partners",
]
PROPOSAL_KINDS = [
    (Proposal.Kind.AMEND, 60),
    (Proposal.Kind.INSERT, 25),
    (Proposal.Kind.DELETE, 15),
]
REWORDINGS = [
    ("Calls upon", "Encourages"),
    ("Welcomes", "Takes note of"),
    ("Decides", "Recommends"),
    ("Supports", "Welcomes"),
    ("Invites", "Calls upon"),
    ("Recalling", "Recalling also"),
    ("Noting", "Noting with concern"),
    ("information and communications technologies", "ICTs"),
]
ADDITIONS = [
    ", as appropriate,",
    ", in accordance with international law,",
    ", in particular for developing countries,",
    ", on a voluntary basis,",
    ", including the protection of critical infrastructure,",
]
NEW_PARAGRAPHS = [
    "Encourages Member States to support capacity-building in the security of information and "
    "communications technologies, in particular for developing countries;",
    "Requests the Secretary-General to submit a report on the implementation of the present "
    "resolution at its seventy-seventh session;",
    "Recognizes the role of regional organizations in confidence-building measures;",
    "Underlines the importance of the protection of critical infrastructure;",
]
STANCE_POSITIONS = [
    (Stance.Position.SUPPORTS, 5),
    (Stance.Position.CAN_ACCEPT, 2),
    (Stance.Position.OBJECTS, 2),
]
ON_BEHALF_SHARE = 0.4
AGREED_AD_REF_SHARE = 0.5


class Command(BaseCommand):
    help = "Fill the database with synthetic data for benchmarks (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--annotations", type=int, default=1_000, help="Notes, replies in.")
        parser.add_argument("--users", type=int, default=50, help="Synthetic delegates.")
        parser.add_argument("--delegations", type=int, default=20, help="Member States' teams.")
        parser.add_argument(
            "--proposals", type=int, default=0, help="Tabled proposals on the seed draft."
        )
        parser.add_argument(
            "--circles", type=int, default=0, help="Circles of the synthetic delegations."
        )
        parser.add_argument("--seed", type=int, default=76, help="The same seed, the same data.")
        parser.add_argument(
            "--password",
            help="Give every synthetic delegate this password (default: none can log in).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (production)."
        )

    def handle(
        self,
        *args,
        annotations,
        users,
        delegations,
        seed,
        password,
        force,
        proposals=0,
        circles=0,
        **options,
    ):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a production database; seed_load fills it "
                "with synthetic notes and accounts. Pass --force if that is what you want."
            )
        if annotations < 0 or proposals < 0 or circles < 0 or users < 1 or delegations < 1:
            raise CommandError("Give at least one user and one delegation, and no negative counts.")
        if delegations > users:
            raise CommandError("Give at least as many users as delegations (one each at least).")
        document = Document.objects.filter(slug=SEED_SLUG).first()
        if document is None:
            raise CommandError(
                "The seed draft A/C.1/76/L.13 is not in the database: load the fixtures first "
                "(make setup-db)."
            )
        started = time.perf_counter()
        rng = random.Random(seed)
        with transaction.atomic():
            self.clear(document)
            teams = self.make_delegations(rng, delegations)
            members = self.make_users(teams, users, password)
            tags = self.make_tags()
            self.make_documents(rng, document)
            self.make_follow_up_actions(rng, document, teams, members)
            made = self.make_annotations(rng, document, members, tags, annotations)
            made_circles = self.make_circles(rng, teams, members, circles)
            self.make_negotiation(rng, document, members, made_circles, proposals)
            # Accounts and notes were replaced wholesale: no margin cached before still holds;
            # the drafts made are listed on their agenda item's tracker.
            Document.objects.mark_changed()
            AgendaItem.objects.mark_changed()
            # The planner's statistics, as autovacuum would gather them on a database in use:
            # a table filled in one go is otherwise planned as if nearly empty. Before the
            # commit, whose deferred checks of the notes' foreign keys (100,000 of them)
            # would each scan the whole table, as planned for the empty one; and pages read
            # at once would join every note in nested loops where a hash join reads them once.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Seeded {made:,} annotations by {len(members)} users in {len(teams)} delegations, "
            f"{len(SYNTHETIC_SYMBOLS)} synthetic drafts and their sponsor lists, "
            f"{proposals:,} tabled proposals and {circles:,} circles "
            f"in {time.perf_counter() - started:.1f} s."
        )

    # What an earlier run made --------------------------------------------------------------

    def clear(self, document):
        """Remove everything an earlier run made: the same command twice leaves one run's data."""
        synthetic_users = User.objects.filter(username__startswith=USERNAME_PREFIX)
        notes = Annotation.objects.filter(
            Q(author__in=synthetic_users) | Q(reply_to__author__in=synthetic_users)
        )
        # What points at the notes (tag links, revisions, replies) goes first, so that the
        # notes themselves can go in one DELETE each: ``delete()`` would fetch 100,000 notes
        # into memory to look for cascades there are none left of.
        Annotation.tags.through.objects.filter(annotation__in=notes).delete()
        AnnotationRevision.objects.filter(
            Q(annotation__in=notes) | Q(edited_by__in=synthetic_users)
        ).delete()
        replies = Annotation.objects.filter(reply_to__in=notes.values("pk"))
        replies._raw_delete(replies.db)
        notes._raw_delete(notes.db)
        FollowUpAction.objects.filter(created_by__in=synthetic_users).delete()
        # The negotiation: proposals (their stances and history go with them), circles, and
        # the statuses the synthetic pen holder set.
        Stance.objects.filter(recorded_by__in=synthetic_users).delete()
        Proposal.objects.filter(author__in=synthetic_users).delete()
        Circle.objects.filter(created_by__in=synthetic_users).delete()
        Paragraph.objects.filter(status_changed_by__in=synthetic_users).update(
            status=Paragraph.Status.OPEN, status_changed_by=None, status_changed_at=None
        )
        synthetic_users.delete()
        Document.objects.filter(symbol__in=SYNTHETIC_SYMBOLS).delete()
        SponsorList.objects.filter(document=document, label=EXTRA_LIST_LABEL).delete()

    # Who -----------------------------------------------------------------------------------

    def make_delegations(self, rng, count) -> list[Delegation]:
        """``count`` delegations of real Member States, the same ones for the same seed."""
        states = list(MemberState.objects.order_by("name"))
        if count > len(states):
            raise CommandError(f"There are only {len(states)} Member States.")
        teams = []
        for state in rng.sample(states, count):
            team, _ = Delegation.objects.get_or_create(state=state, defaults={"name": state.name})
            teams.append(team)
        return teams

    def make_users(self, teams, count, password) -> list[User]:
        """``count`` delegates, spread round-robin over the delegations. The password is
        hashed once: hashing it for each user would take most of the run."""
        hashed = make_password(password)  # an unusable password when None
        User.objects.bulk_create(
            User(
                username=f"{USERNAME_PREFIX}{i:05d}",
                password=hashed,
                first_name="Delegate",
                last_name=f"{i}",
                delegation=teams[(i - 1) % len(teams)],
            )
            for i in range(1, count + 1)
        )
        return list(User.objects.filter(username__startswith=USERNAME_PREFIX).order_by("username"))

    def make_tags(self) -> list[Tag]:
        existing = {tag.name for tag in Tag.objects.filter(name__in=TAGS)}
        Tag.objects.bulk_create(Tag(name=name) for name in TAGS if name not in existing)
        by_name = {tag.name: tag for tag in Tag.objects.filter(name__in=TAGS)}
        return [by_name[name] for name in TAGS]

    # Documents and sponsor lists -----------------------------------------------------------

    def make_documents(self, rng, seed_document):
        """A later sponsor list of the seed draft, and four more drafts under the same agenda
        item, each with the seed's paragraphs and a printed and a later sponsor list."""
        states = list(MemberState.objects.order_by("name"))
        printed = [
            (s.name_as_printed, s.state.iso3)
            for s in seed_document.sponsor_lists.order_by("as_of", "pk")
            .first()
            .sponsorships.select_related("state")
            .order_by("position")
        ]
        joining = [s for s in states if s.iso3 not in {iso3 for _, iso3 in printed}]
        services.sponsor_list_record(
            document=seed_document,
            label=EXTRA_LIST_LABEL,
            as_of=seed_document.date + datetime.timedelta(days=27),
            source="Synthetic: made by seed_load for benchmarks",
            names=[(s.name, s.iso3) for s in rng.sample(joining, 12)],
            additional=True,
        )
        paragraphs = list(seed_document.paragraphs.order_by("order"))
        for n, symbol in enumerate(SYNTHETIC_SYMBOLS, start=1):
            draft = Document.objects.create(
                symbol=symbol,
                kind=Document.Kind.DRAFT,
                title=f"Synthetic draft {n} for benchmarks: {seed_document.title}",
                date=seed_document.date + datetime.timedelta(days=n),
                session=seed_document.session,
                committee=seed_document.committee,
                distribution=seed_document.distribution,
                agenda_listing=seed_document.agenda_listing,
            )
            self.copy_paragraphs(paragraphs, draft)
            sponsors = rng.sample(states, rng.randint(20, 90))
            services.sponsor_list_record(
                document=draft,
                label=SponsorList.PRINTED_LABEL,
                as_of=draft.date,
                source=symbol,
                names=[(s.name, s.iso3) for s in sponsors],
                additional=False,
            )
            sponsor_isos = {s.iso3 for s in sponsors}
            later = [s for s in states if s.iso3 not in sponsor_isos]
            services.sponsor_list_record(
                document=draft,
                label="Additional sponsors at action",
                as_of=draft.date + datetime.timedelta(days=30),
                source="Synthetic",
                names=[(s.name, s.iso3) for s in rng.sample(later, rng.randint(3, 15))],
                additional=True,
            )

    def copy_paragraphs(self, paragraphs, draft):
        copies = {}
        for paragraph in paragraphs:  # parents come before their sub-paragraphs
            copies[paragraph.pk] = Paragraph.objects.create(
                document=draft,
                part=paragraph.part,
                label=paragraph.label,
                number=paragraph.number,
                order=paragraph.order,
                parent=copies.get(paragraph.parent_id),
                lead=paragraph.lead,
                text=paragraph.text,
            )

    # Follow-up -----------------------------------------------------------------------------

    def make_follow_up_actions(self, rng, document, teams, members):
        """Three to six actions per delegation, due around today: some overdue, some due
        soon, some later, some done."""
        agenda_item = AgendaItem.objects.filter(slug=AGENDA_SLUG).first()
        if agenda_item is None:
            return
        paragraphs = {p.label: p for p in document.paragraphs.all()}
        today = timezone.localdate()
        by_team = {}
        for member in members:
            by_team.setdefault(member.delegation_id, []).append(member)
        actions = []
        for team in teams:
            for label, title in rng.sample(ACTIONS, rng.randint(3, 6)):
                owner = rng.choice(by_team[team.pk])
                actions.append(
                    FollowUpAction(
                        agenda_item=agenda_item,
                        delegation=team,
                        title=title,
                        due_date=today + datetime.timedelta(days=rng.randint(-90, 180)),
                        owner=owner,
                        status=rng.choices(
                            [s for s, _ in FollowUpAction.Status.choices], weights=[4, 3, 3]
                        )[0],
                        note=rng.choice(["", "", "Ask the legal office.", "Draft with capital."]),
                        paragraph=paragraphs.get(label),
                        created_by=owner,
                    )
                )
        FollowUpAction.objects.bulk_create(actions, batch_size=BATCH)

    # The negotiation -----------------------------------------------------------------------

    def make_circles(self, rng, teams, members, count) -> list[tuple[Circle, list[int]]]:
        """``count`` circles of three to eight delegations that have all joined:
        (circle, its delegations' ids)."""
        if count == 0:
            return []
        by_team = {}
        for member in members:
            by_team.setdefault(member.delegation_id, []).append(member)
        now = timezone.now()
        circles, memberships, member_ids = [], [], []
        for n in range(count):
            creator_team = rng.choice(teams)
            circles.append(
                Circle(
                    name=f"{CIRCLE_NAMES[n % len(CIRCLE_NAMES)]} {n // len(CIRCLE_NAMES) + 1}",
                    created_by=rng.choice(by_team[creator_team.pk]),
                )
            )
            others = [team for team in teams if team.pk != creator_team.pk]
            joined = [creator_team, *rng.sample(others, min(len(others), rng.randint(2, 7)))]
            member_ids.append([team.pk for team in joined])
        Circle.objects.bulk_create(circles, batch_size=BATCH)
        for circle, team_ids in zip(circles, member_ids, strict=True):
            memberships += [
                CircleMembership(
                    circle=circle,
                    delegation_id=team_id,
                    invited_by=circle.created_by,
                    joined_at=now,
                )
                for team_id in team_ids
            ]
        CircleMembership.objects.bulk_create(memberships, batch_size=BATCH)
        return list(zip(circles, member_ids, strict=True))

    def make_negotiation(self, rng, document, members, circles, count) -> None:
        """``count`` tabled proposals on the seed draft's paragraphs, each with stances of a
        few other delegations, and half the preamble marked agreed ad ref."""
        if count == 0:
            return
        paragraphs = list(document.paragraphs.order_by("order"))
        kinds = [kind for kind, _ in PROPOSAL_KINDS]
        kind_weights = [weight for _, weight in PROPOSAL_KINDS]
        teams = sorted({member.delegation_id for member in members})
        circles_of: dict[int, list[Circle]] = {}
        for circle, team_ids in circles:
            for team_id in team_ids:
                circles_of.setdefault(team_id, []).append(circle)
        now = timezone.now()
        proposals = []
        for n in range(count):
            paragraph = rng.choice(paragraphs)
            author = rng.choice(members)
            kind = rng.choices(kinds, weights=kind_weights)[0]
            own_circles = circles_of.get(author.delegation_id, [])
            proposals.append(
                Proposal(
                    document=document,
                    paragraph=paragraph,
                    kind=kind,
                    text=self.proposed_text(rng, kind, paragraph.text),
                    base_text=paragraph.text,
                    reason=f"{rng.choice(OPENINGS)} {rng.choice(POINTS)}.",
                    author=author,
                    delegation_id=author.delegation_id,
                    on_behalf_of=(
                        rng.choice(own_circles)
                        if own_circles and rng.random() < ON_BEHALF_SHARE
                        else None
                    ),
                    state=Proposal.State.TABLED,
                    tabled_at=now - datetime.timedelta(minutes=count - n),
                )
            )
        Proposal.objects.bulk_create(proposals, batch_size=BATCH)
        recorder = {member.delegation_id: member for member in members}
        positions = [position for position, _ in STANCE_POSITIONS]
        position_weights = [weight for _, weight in STANCE_POSITIONS]
        stances = []
        for proposal in proposals:
            others = [team for team in teams if team != proposal.delegation_id]
            for team in rng.sample(others, rng.randint(0, min(len(others), 12))):
                stances.append(
                    Stance(
                        proposal=proposal,
                        delegation_id=team,
                        position=rng.choices(positions, weights=position_weights)[0],
                        recorded_by=recorder[team],
                    )
                )
        Stance.objects.bulk_create(stances, batch_size=BATCH)
        pen_holder = members[0]
        preamble = [p.pk for p in paragraphs if p.part == Paragraph.Part.PREAMBULAR]
        agreed = preamble[: int(len(preamble) * AGREED_AD_REF_SHARE)]
        Paragraph.objects.filter(pk__in=agreed).update(
            status=Paragraph.Status.AGREED_AD_REF,
            status_changed_by=pen_holder,
            status_changed_at=now,
        )

    def proposed_text(self, rng, kind: str, current: str) -> str:
        if kind == Proposal.Kind.DELETE:
            return ""
        if kind == Proposal.Kind.INSERT:
            return rng.choice(NEW_PARAGRAPHS)
        old, new = rng.choice(REWORDINGS)
        text = current.replace(old, new, 1) if old in current else current
        words = text.split(" ")
        at = rng.randint(1, max(1, len(words) - 1))
        return " ".join([*words[:at], rng.choice(ADDITIONS).lstrip(", ").rstrip(","), *words[at:]])

    # Notes ---------------------------------------------------------------------------------

    def make_annotations(self, rng, document, members, tags, count) -> int:
        """``count`` notes (a quarter of them replies) on the seed draft's paragraphs, busier
        in the operative part, in batches."""
        if count == 0:
            return 0
        paragraphs = list(document.paragraphs.order_by("order"))
        paragraph_weights = list(
            itertools.accumulate(
                (3 if p.part == Paragraph.Part.OPERATIVE else 1) * rng.uniform(0.5, 1.5)
                for p in paragraphs
            )
        )
        words = {p.pk: p.text.split() for p in paragraphs}
        visibilities = [v for v, _ in VISIBILITIES]
        visibility_weights = [w for _, w in VISIBILITIES]
        by_team = {}
        for member in members:
            by_team.setdefault(member.delegation_id, []).append(member)
        author_of = {member.pk: member for member in members}
        now = timezone.now()

        replies_wanted = int(count * REPLY_SHARE)
        threads_wanted = count - replies_wanted
        threads = []  # (pk, paragraph id, visibility, author, deleted)
        revisions = []
        for start in range(0, threads_wanted, BATCH):
            batch = []
            for _ in range(min(BATCH, threads_wanted - start)):
                paragraph = rng.choices(paragraphs, cum_weights=paragraph_weights)[0]
                author = rng.choice(members)
                edits = rng.randint(1, 2) if rng.random() < EDITED_SHARE else 0
                batch.append(
                    Annotation(
                        paragraph_id=paragraph.pk,
                        author_id=author.pk,
                        delegation_id=author.delegation_id,
                        body=self.note_body(rng),
                        quote=self.quote(rng, words[paragraph.pk]),
                        visibility=rng.choices(visibilities, weights=visibility_weights)[0],
                        resolved=rng.random() < RESOLVED_SHARE,
                        version=1 + edits,
                        deleted_at=now if rng.random() < DELETED_SHARE else None,
                    )
                )
            Annotation.objects.bulk_create(batch, batch_size=BATCH)
            self.tag(rng, batch, tags, mean=1)
            for note in batch:
                threads.append(
                    (
                        note.pk,
                        note.paragraph_id,
                        note.visibility,
                        author_of[note.author_id],
                        note.deleted_at is not None,
                    )
                )
                for version in range(1, note.version):
                    revisions.append(
                        AnnotationRevision(
                            annotation=note,
                            version=version,
                            body=self.note_body(rng),
                            quote=note.quote,
                            tags="",
                            visibility=note.visibility,
                            edited_by_id=note.author_id,
                        )
                    )
        AnnotationRevision.objects.bulk_create(revisions, batch_size=BATCH)

        # Busy threads attract more replies: a few threads get many, most get none.
        # A deleted thread takes no replies (no one could see them).
        thread_weights = list(
            itertools.accumulate(
                0 if deleted else rng.paretovariate(1.5) for *_, deleted in threads
            )
        )
        for start in range(0, replies_wanted, BATCH):
            batch = []
            for _ in range(min(BATCH, replies_wanted - start)):
                pk, paragraph_id, visibility, thread_author, _ = rng.choices(
                    threads, cum_weights=thread_weights
                )[0]
                # A reply comes from someone who can see the thread.
                if visibility == Annotation.Visibility.PRIVATE:
                    author = thread_author
                elif visibility == Annotation.Visibility.DELEGATION:
                    author = rng.choice(by_team[thread_author.delegation_id])
                else:
                    author = rng.choice(members)
                batch.append(
                    Annotation(
                        paragraph_id=paragraph_id,
                        author_id=author.pk,
                        delegation_id=author.delegation_id,
                        body=rng.choice(REPLIES),
                        visibility=visibility,
                        reply_to_id=pk,
                    )
                )
            Annotation.objects.bulk_create(batch, batch_size=BATCH)
            self.tag(rng, batch, tags, mean=0.1)
        return count

    def note_body(self, rng) -> str:
        return f"{rng.choice(OPENINGS)} {rng.choice(POINTS)}.{rng.choice(CLOSINGS)}"

    def quote(self, rng, words: list[str]) -> str:
        """A run of words from the paragraph, as the quote form accepts it (single spaces)."""
        if rng.random() >= QUOTE_SHARE or len(words) < 3:
            return ""
        length = rng.randint(3, min(12, len(words)))
        start = rng.randint(0, len(words) - length)
        return " ".join(words[start : start + length])

    def tag(self, rng, notes, tags, *, mean: float):
        links = []
        through = Annotation.tags.through
        for note in notes:
            k = min(len(tags), int(rng.expovariate(1 / mean))) if mean else 0
            for tag in rng.sample(tags, k):
                links.append(through(annotation_id=note.pk, tag_id=tag.pk))
        through.objects.bulk_create(links, batch_size=BATCH)
