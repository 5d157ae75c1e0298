"""The margins' counts come from the notes' tallies (``NoteTally``), and the notes list's
from theirs (``NoteListTally``), kept with every write: for every kind of reader they say
what counting the notes themselves through ``Annotation.objects.visible_to`` says, after
every kind of write, and a reader who leaves a circle stops counting its notes at once."""

import importlib
import threading
from collections import Counter
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolutions import services
from resolutions.models import Annotation, Document, NoteListTally, NoteTally, Paragraph, User
from resolutions.services import CircleRefused, EditConflict, importing
from tests.conftest import SEED_SLUG, SEED_TEXT_PATH, load_seed_fixtures
from tests.factories import make_annotation, make_delegate
from tests.note_counts import listed, listed_directly

LABELS = ["pp1", "op3", "op6"]
AUDIENCES = ["private", "delegation", "circle", "public"]
TAGS = [[], ["red line"], ["red line", "capital to confirm"]]


@pytest.fixture
def world(db):
    """Two Norwegians and a Swede in a circle, a Finn who joined it, a Japanese delegate
    outside it, and a delegate with no delegation."""
    people = [
        make_delegate("norway-1", "Norway"),
        make_delegate("norway-2", "Norway"),
        make_delegate("sweden", "Sweden"),
        make_delegate("finland", "Finland"),
        make_delegate("japan", "Japan"),
        User.objects.create_user(username="nobody", password="a-long-test-password-76"),
    ]
    circle = services.circle_create(creator=people[0], name="Nordic group")
    for person in (people[2], people[3]):
        services.circle_invite(
            circle=circle, inviter=people[0], delegation_name=person.delegation.name
        )
        services.circle_invitation_accept(user=person, circle=circle)
    paragraphs = list(
        Paragraph.objects.filter(document__slug=SEED_SLUG, label__in=LABELS).order_by("pk")
    )
    return people, circle, paragraphs


def counted(reader, paragraphs) -> dict:
    """Each paragraph's (threads, replies) as the reading page counts them, from the tallies."""
    ids = [paragraph.pk for paragraph in paragraphs]
    return NoteTally.objects.visible_to(reader).counts_by_paragraph(ids)


def counted_directly(reader, paragraphs) -> dict:
    """The same, counted from every note the reader may see and its thread."""
    ids = [paragraph.pk for paragraph in paragraphs]
    visible = Annotation.objects.visible_to(reader).filter(paragraph__in=ids).in_margin()
    return visible.counts_by_paragraph()


def assert_counts_agree(people, paragraphs) -> None:
    for reader in people:
        assert counted(reader, paragraphs) == counted_directly(reader, paragraphs), reader
        assert listed(reader, paragraphs) == listed_directly(reader, paragraphs), reader


def audience(visibility: str, circle) -> dict:
    return {"visibility": visibility, "circle": circle if visibility == "circle" else None}


def test_every_audience_of_threads_and_replies_is_counted_as_its_readers_see_it(world):
    people, circle, paragraphs = world
    norway, colleague, sweden, finland, japan, nobody = people
    op3 = paragraphs[1]
    threads = {
        visibility: make_annotation(
            norway, op3, f"A {visibility} note", **audience(visibility, circle)
        )
        for visibility in AUDIENCES
    }
    for thread in threads.values():
        for replier in (colleague, sweden, japan, norway):
            make_annotation(replier, op3, "A reply", reply_to=thread)
    make_annotation(nobody, op3, "A note with no delegation", visibility="delegation")

    # Who sees what, counted by hand: the threads of their audiences with every reply in
    # them, and their own replies in the threads they cannot see.
    assert counted(norway, paragraphs) == {op3.pk: (4, 16)}
    assert counted(colleague, paragraphs) == {op3.pk: (3, 12 + 1)}
    assert counted(sweden, paragraphs) == {op3.pk: (2, 8 + 2)}
    assert counted(japan, paragraphs) == {op3.pk: (1, 4 + 3)}
    assert counted(nobody, paragraphs) == {op3.pk: (2, 4)}
    assert_counts_agree(people, paragraphs)


def test_narrowing_deleting_orphaning_and_leaving_a_circle_keep_the_counts_right(world):
    people, circle, paragraphs = world
    norway, colleague, sweden, finland, japan, nobody = people
    pp1, op3, op6 = paragraphs
    public = make_annotation(norway, op6, "Public", visibility="public")
    replies = [make_annotation(person, op6, "Reply", reply_to=public) for person in people]
    circled = make_annotation(sweden, op3, "For the circle", **audience("circle", circle))
    make_annotation(finland, op3, "Reply in the circle", reply_to=circled)
    assert counted(japan, paragraphs) == {op6.pk: (1, 6)}
    assert counted(finland, paragraphs) == {op3.pk: (1, 1), op6.pk: (1, 6)}

    # The thread narrowed to its delegation: to the others, only their own replies stay.
    services.annotation_update(
        public,
        editor=norway,
        version=public.version,
        body="Now for Norway",
        tags=[],
        quote="",
        visibility="delegation",
    )
    assert counted(japan, paragraphs) == {op6.pk: (0, 1)}
    assert counted(colleague, paragraphs)[op6.pk] == (1, 6)
    assert_counts_agree(people, paragraphs)

    # A reply deleted, then its thread; restored, the thread brings its replies back.
    services.annotation_delete(replies[0])
    assert counted(colleague, paragraphs)[op6.pk] == (1, 5)
    services.annotation_delete(public)
    assert op6.pk not in counted(colleague, paragraphs)
    services.annotation_restore(public)
    assert counted(colleague, paragraphs)[op6.pk] == (1, 5)
    assert_counts_agree(people, paragraphs)

    # Finland leaves the circle: its own reply stays counted for it, the thread does not.
    services.circle_leave(user=finland, circle=circle)
    assert counted(finland, paragraphs) == {op3.pk: (0, 1), op6.pk: (0, 1)}
    assert_counts_agree(people, paragraphs)

    # Carried to a revision that has no paragraph for it, a note leaves the margin: the
    # write that orphans it marks its document changed.
    Annotation.objects.filter(pk=circled.pk).update(
        orphan_reason=Annotation.OrphanReason.PARAGRAPH_DELETED, orphaned_since="A/C.1/76/L.12"
    )
    Document.objects.filter(slug=SEED_SLUG).mark_changed()
    assert op3.pk not in counted(sweden, paragraphs)
    assert_counts_agree(people, paragraphs)


def test_a_paragraph_whose_last_reply_is_deleted_counts_nothing_for_its_readers(world):
    people, circle, paragraphs = world
    norway, colleague = people[:2]
    thread = make_annotation(norway, paragraphs[0], "Private", visibility="private")
    reply = make_annotation(colleague, None, "A reply", reply_to=thread)
    services.annotation_delete(reply)
    # Not (0, 0): a margin with a count, even of none, is opened.
    assert counted(colleague, paragraphs) == {}
    assert_counts_agree(people, paragraphs)


def test_a_reply_with_two_tags_deleted_and_restored_leaves_and_comes_back_under_each(world):
    """The notes list counts a note once as itself and once under each of its tags: a reply
    deleted leaves all three of its tallies, restored it comes back to them, and an edit of
    its tags alone moves it from one tag to the other."""
    people, circle, paragraphs = world
    norway, colleague = people[0], people[1]
    op3 = paragraphs[1]
    thread = make_annotation(norway, op3, "A thread", visibility="delegation")
    reply = make_annotation(
        colleague, op3, "A reply", reply_to=thread, tags=["red line", "capital to confirm"]
    )
    assert_counts_agree(people, paragraphs)
    threads, tagged = listed(norway, [op3])
    assert sum(tagged.values()) == 2
    services.annotation_delete(reply)
    assert_counts_agree(people, paragraphs)
    assert sum(listed(norway, [op3])[1].values()) == 0
    services.annotation_restore(reply)
    assert listed(norway, [op3]) == (threads, tagged)
    reply = Annotation.objects.get(pk=reply.pk)
    services.annotation_update(
        reply,
        editor=colleague,
        version=reply.version,
        body=reply.body,
        tags=["red line", "agreed"],
        quote="",
        visibility=reply.visibility,
        circle=None,
    )
    assert_counts_agree(people, paragraphs)
    assert {group[-1] for group in listed(norway, [op3])[1]} == {"red line", "agreed"}


def test_a_thread_resolved_and_opened_again_moves_its_replies_and_tags_with_it(world):
    """Resolving a thread moves it and its replies, under each of their tags, from the open
    notes to the resolved ones in the list's counts, and opening it again moves them back;
    a reply's own flag moves nothing."""
    people, circle, paragraphs = world
    norway, colleague, sweden = people[:3]
    op3 = paragraphs[1]
    thread = make_annotation(norway, op3, "A thread", visibility="public", tags=["red line"])
    make_annotation(colleague, op3, "A reply", reply_to=thread, tags=["red line", "agreed"])
    reply = make_annotation(sweden, op3, "Another reply", reply_to=thread)
    make_annotation(sweden, op3, "Another thread", visibility="public")

    def states(reader) -> Counter:
        """How many of the reader's notes on OP3 are open, and how many resolved."""
        counts: Counter = Counter()
        for group, n in listed(reader, [op3])[0].items():
            counts[group[5], group[6]] += n  # in_open, in_resolved
        return counts

    assert states(sweden) == Counter({(True, False): 4})
    services.thread_set_resolved(thread, True)
    assert_counts_agree(people, paragraphs)
    assert states(sweden) == Counter({(False, True): 3, (True, False): 1})
    services.thread_set_resolved(thread, True)  # already resolved: nothing moves
    services.thread_set_resolved(reply, False)  # a reply's own flag: nothing moves
    assert_counts_agree(people, paragraphs)
    services.thread_set_resolved(thread, False)
    assert_counts_agree(people, paragraphs)
    assert states(sweden) == Counter({(True, False): 4})


def test_anonymous_visitors_count_nothing(world):
    people, circle, paragraphs = world
    make_annotation(people[0], paragraphs[0], "Public", visibility="public")
    assert counted(AnonymousUser(), paragraphs) == {}


def test_notes_carried_to_a_revision_are_counted_there_as_their_readers_see_them(world):
    people, circle, paragraphs = world
    norway, colleague, sweden, finland, japan, nobody = people
    seed = Document.objects.get(slug=SEED_SLUG)
    pp8 = seed.paragraphs.get(label="pp8")
    for visibility in AUDIENCES:
        thread = make_annotation(norway, paragraphs[1], visibility, **audience(visibility, circle))
        make_annotation(colleague, None, "A reply", reply_to=thread)
        make_annotation(sweden, None, "A reply", reply_to=thread)
    make_annotation(norway, pp8, "On a paragraph the revision deletes", visibility="public")
    text = SEED_TEXT_PATH.read_text(encoding="utf-8")
    start = text.index("Underlining the importance")
    text = text[:start] + text[text.index("\n\n", start) + 2 :]
    revision = importing.import_document(
        importing.prepare_import(text, symbol="A/C.1/76/L.13/Rev.1", revision_of=seed)
    )

    carried = services.annotations_carry_forward(user=norway, source=seed, target=revision)

    assert carried.copied == 5
    assert len(carried.orphaned) == 1
    on_revision = list(revision.paragraphs.all())
    op3 = revision.paragraphs.get(label="op3")
    # The orphan stays out of the margins; the threads on OP3 and the replies the
    # delegation wrote in them come across, each reader counting what they may see.
    assert counted(norway, on_revision) == {op3.pk: (4, 4)}
    assert counted(japan, on_revision) == {op3.pk: (1, 1)}
    assert_counts_agree(people, on_revision)


# One write: (kind, who, what, on which paragraph or note, the audience).
writes = st.tuples(
    st.sampled_from(
        ["note", "reply", "audience", "tags", "resolve", "delete", "restore", "leave", "rejoin"]
    ),
    st.integers(0, 5),
    st.integers(0, 50),
    st.sampled_from(AUDIENCES),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(writes, min_size=1, max_size=14))
def test_after_any_writes_the_tallies_count_what_the_notes_do(world, steps):
    people, circle, paragraphs = world
    with transaction.atomic():
        notes: list[Annotation] = []
        for kind, who, which, visibility in steps:
            person = people[who]
            try:
                if kind == "note":
                    paragraph = paragraphs[which % len(paragraphs)]
                    notes.append(
                        make_annotation(
                            person,
                            paragraph,
                            "A note",
                            tags=TAGS[which % len(TAGS)],
                            **audience(visibility, circle),
                        )
                    )
                elif kind == "reply" and notes:
                    thread = notes[which % len(notes)]
                    thread = thread.reply_to or thread
                    notes.append(
                        make_annotation(person, thread.paragraph, "A reply", reply_to=thread)
                    )
                elif kind == "audience" and notes:
                    note = Annotation.objects.get(pk=notes[which % len(notes)].pk)
                    if note.is_reply:
                        continue
                    services.annotation_update(
                        note,
                        editor=note.author,
                        version=note.version,
                        body=note.body,
                        tags=[],
                        quote=note.quote,
                        **audience(visibility, circle),
                    )
                elif kind == "tags" and notes:
                    note = Annotation.objects.get(pk=notes[which % len(notes)].pk)
                    services.annotation_update(
                        note,
                        editor=note.author,
                        version=note.version,
                        body=note.body,
                        tags=TAGS[which % len(TAGS)],
                        quote=note.quote,
                        visibility=note.visibility,
                        circle=note.circle,
                    )
                elif kind == "resolve" and notes:
                    note = notes[which % len(notes)]
                    services.thread_set_resolved(note.reply_to or note, bool(which % 2))
                elif kind == "delete" and notes:
                    services.annotation_delete(notes[which % len(notes)])
                elif kind == "restore" and notes:
                    services.annotation_restore(notes[which % len(notes)])
                elif kind == "leave":
                    services.circle_leave(user=person, circle=circle)
                elif kind == "rejoin" and person.delegation_id:
                    services.circle_invite(
                        circle=circle, inviter=people[0], delegation_name=person.delegation.name
                    )
                    services.circle_invitation_accept(user=person, circle=circle)
            except (CircleRefused, EditConflict):
                # Not the author's circle, already in it, or an edit of a deleted note:
                # refused, nothing was written.
                continue
            assert_counts_agree(people, paragraphs)
        transaction.set_rollback(True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite takes one writer at a time: no row locks"
)
def test_two_writes_on_one_paragraph_at_once_both_count(transactional_db):
    """Two notes deleted on one paragraph at once: the second deletion waits for the first
    to be saved, then counts the paragraph's notes with both gone (counting at once, both
    would write their own tallies, and the notes would be counted twice)."""
    load_seed_fixtures()
    norway, sweden = make_delegate("norway-1", "Norway"), make_delegate("sweden", "Sweden")
    op3 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op3")
    kept = make_annotation(norway, op3, "Kept", visibility="public")
    make_annotation(sweden, op3, "A reply, kept", reply_to=kept)
    first_gone = make_annotation(norway, op3, "Deleted first", visibility="delegation")
    second_gone = make_annotation(sweden, op3, "Deleted second", visibility="public")
    saved, release = threading.Event(), threading.Event()

    def first_write():
        try:
            with transaction.atomic():
                services.annotation_delete(first_gone)
                saved.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    def second_write():
        try:
            services.annotation_delete(second_gone)
        finally:
            connections.close_all()

    first, second = threading.Thread(target=first_write), threading.Thread(target=second_write)
    first.start()
    try:
        assert saved.wait(timeout=30)
        second.start()
        second.join(timeout=1)
        assert second.is_alive(), "the second deletion waits for the paragraph's row"
    finally:
        release.set()
        first.join(timeout=30)
        second.join(timeout=30)
    for reader in (norway, sweden):
        assert counted(reader, [op3]) == {op3.pk: (1, 1)}
        assert counted(reader, [op3]) == counted_directly(reader, [op3])
        assert listed(reader, [op3]) == listed_directly(reader, [op3])


def test_the_migration_counts_the_notes_already_written_as_the_writes_do(world):
    """Migration 0024 counts the notes written before the list had tallies: written out
    with the models as they stood then, it makes the tallies the writes themselves keep."""
    from django.apps import apps

    migration = importlib.import_module("resolutions.migrations.0024_note_list_tallies")
    people, circle, paragraphs = world
    norway, colleague, sweden = people[:3]
    thread = make_annotation(norway, paragraphs[0], "Open", tags=["red line"])
    make_annotation(sweden, paragraphs[0], "A reply", reply_to=thread, tags=["agreed"])
    settled = make_annotation(colleague, paragraphs[1], "Settled", visibility="public")
    services.thread_set_resolved(settled, True)
    make_annotation(sweden, paragraphs[2], "For the circle", **audience("circle", circle))
    gone = make_annotation(norway, paragraphs[2], "Withdrawn", tags=["capital to confirm"])
    services.annotation_delete(gone)

    def tallies() -> Counter:
        fields = [field.attname for field in NoteListTally._meta.concrete_fields]
        fields.remove("id")
        return Counter(NoteListTally.objects.values_list(*fields))

    kept = tallies()
    assert kept
    NoteListTally.objects.all().delete()
    migration.count_every_list(apps, SimpleNamespace(connection=connection))
    assert tallies() == kept
