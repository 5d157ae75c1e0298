"""Search: what a typed search means, and the same paragraphs and notes found for it on
SQLite and on PostgreSQL (run this file with DATABASE_URL=postgres://... for the second).

The database's answer is compared with the rule written in Python (``highlight_spans``, a
match for every term), on whichever database the tests run, so the two databases agree
with the rule and so with each other; a few answers are also written out in full."""

import pytest
from django.db import connection

from resolutions.models import Annotation, Paragraph
from resolutions.pages.search import search_results
from resolutions.rendering import highlighted
from resolutions.search import (
    MAX_LENGTH,
    SHOWN,
    Term,
    backend_for,
    ensure_search_indexes,
    excerpt_bounds,
    highlight_spans,
    read_search,
)
from tests.conftest import SEED_SLUG
from tests.factories import make_annotation, make_delegate, make_document

# ---------------------------------------------------------------- reading what is typed


def test_bare_words_are_found_at_the_start_of_longer_words():
    assert read_search("Develop  STATES").terms == (
        Term(("develop",), prefix=True),
        Term(("states",), prefix=True),
    )


def test_quoted_words_and_words_joined_by_punctuation_are_phrases():
    terms = read_search('"Member States" 43/78 self-defence A/C.1/76/L.13').terms
    assert terms == (
        Term(("member", "states"), prefix=False),
        Term(("43", "78"), prefix=False),
        Term(("self", "defence"), prefix=False),
        Term(("a", "c", "1", "76", "l", "13"), prefix=False),
    )


def test_curly_quotes_are_quotes_and_an_open_quote_runs_to_the_end():
    assert read_search("“Member States” “general assembly").terms == (
        Term(("member", "states"), prefix=False),
        Term(("general", "assembly"), prefix=False),
    )


def test_a_word_typed_twice_is_one_term():
    assert len(read_search("cyber Cyber CYBER").terms) == 1


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("!!! ... ///", "Type at least one word or number to search for."),
        ('""', "Type at least one word or number to search for."),
        ("x" * (MAX_LENGTH + 1), "Your search is 501 characters long: search for up to 500"),
        (" ".join(f"w{n}" for n in range(21)), "Search for up to 20 words or phrases at a time"),
    ],
)
def test_a_search_that_cannot_be_made_says_why(typed, problem):
    search = read_search(typed)
    assert search.problem.startswith(problem)
    assert search.terms == ()


def test_an_empty_search_is_no_problem_only_nothing_to_do():
    search = read_search("   ")
    assert search.is_empty
    assert not search.problem


# ---------------------------------------------------------------- marking the words found


def test_the_words_found_are_marked_phrases_as_one():
    text = "Calls upon Member States to develop developments; members"
    spans = highlight_spans(text, read_search('"member states" develop').terms)
    assert [text[a:b] for a, b in spans] == ["Member States", "develop", "developments"]


def test_marked_text_is_escaped_around_and_inside_the_marks():
    text = 'Watch <script>alert("x")</script> here'
    spans = highlight_spans(text, read_search("script").terms)
    html = str(highlighted(text, spans))
    assert html == (
        "Watch &lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; here"
    )


def test_a_long_text_is_cut_around_its_first_match_between_words():
    text = " ".join(f"word{n}" for n in range(200)) + " needle " + "tail " * 100
    spans = highlight_spans(text, read_search("needle").terms)
    start, end = excerpt_bounds(text, spans, 120)
    html = str(highlighted(text, spans, start, end))
    assert html.startswith("…word")
    assert html.endswith("…")
    assert "<mark>needle</mark>" in html
    assert end - start <= 120


# ---------------------------------------------------------------- the same on both databases

NOTES = [
    "Self-defence is not in this text; see A/C.1/76/L.13 and 43/78 H.",
    "Türkiye and Côte d'Ivoire asked about cybersecurity in 2021.",
    "CYBER capacity-building: ICT4D programmes, write to info@un.org.",
    'Careful: <script>alert("x")</script> was pasted here.',
    "Member States should develop the text of the report; member states agree.",
    "Information and telecommunications in the context of international security.",
]

QUERIES = [
    "information",
    "Develop",
    '"Member States"',
    "member states",
    "43/78",
    "self-defence",
    "self defence",
    "Türkiye",
    "TÜRKIYE",
    "Turkiye",
    "cyber",
    '"cyber"',
    "2021",
    "ict4d",
    "script",
    "A/C.1/76/L.13",
    "information telecommunications",
    '"information and telecommunications"',
    '"telecommunications and information"',
    "un.org",
    "«Member States»",
    "xyzzy",
    "inform secur",
]


@pytest.fixture
def world(db):
    """lars (Norway) with public notes on the seed draft and on a second document."""
    lars = make_delegate("lars", "Norway")
    second = make_document(symbol="A/C.1/99/L.1", title="Another draft")
    Paragraph.objects.filter(document=second, label="op1").update(
        text="Encourages Member States to develop cybersecurity capacity."
    )
    seed = {p.label: p for p in Paragraph.objects.filter(document__slug=SEED_SLUG)}
    for n, body in enumerate(NOTES):
        paragraph = seed["op6"] if n % 2 else Paragraph.objects.get(document=second, label="pp1")
        make_annotation(lars, paragraph, body, visibility="public")
    return lars


def found(user, typed: str) -> set[tuple[str, str, str]]:
    """(document, paragraph, note body or "") of every hit."""
    results = search_results(user, {"q": typed})
    assert not results.problems, results.problems
    return {
        (
            group.document.symbol,
            hit.paragraph.label,
            hit.note.body if hit.note else "",
        )
        for group in results.documents
        for hit in group.hits
    }


def by_the_rule(typed: str) -> set[tuple[str, str, str]]:
    """What the Python rule finds: every term somewhere in the paragraph or note."""
    terms = read_search(typed).terms

    def holds(text: str) -> bool:
        return all(highlight_spans(text, (term,)) for term in terms)

    paragraphs = Paragraph.objects.select_related("document")
    notes = Annotation.objects.select_related("paragraph__document")
    return {(p.document.symbol, p.label, "") for p in paragraphs if holds(p.text)} | {
        (n.paragraph.document.symbol, n.paragraph.label, n.body) for n in notes if holds(n.body)
    }


@pytest.mark.parametrize("typed", QUERIES)
def test_the_database_finds_what_the_rule_finds(world, typed):
    assert found(world, typed) == by_the_rule(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (
            '"Member States"',
            {
                ("A/C.1/76/L.13", "op3", ""),
                ("A/C.1/76/L.13", "op6", ""),
                ("A/C.1/99/L.1", "op1", ""),
                ("A/C.1/99/L.1", "pp1", NOTES[4]),
            },
        ),
        ("self-defence", {("A/C.1/99/L.1", "pp1", NOTES[0])}),
        ("self defence", {("A/C.1/99/L.1", "pp1", NOTES[0])}),
        ("TÜRKIYE", {("A/C.1/76/L.13", "op6", NOTES[1])}),
        ("Turkiye", set()),
        ("script", {("A/C.1/76/L.13", "op6", NOTES[3])}),
        ('"cyber"', {("A/C.1/99/L.1", "pp1", NOTES[2])}),
        (
            "cyber",
            {
                ("A/C.1/99/L.1", "op1", ""),
                ("A/C.1/76/L.13", "op6", NOTES[1]),
                ("A/C.1/99/L.1", "pp1", NOTES[2]),
            },
        ),
        ("A/C.1/76/L.13", {("A/C.1/99/L.1", "pp1", NOTES[0])}),
        ('"telecommunications and information"', set()),
    ],
)
def test_answers_written_out(world, typed, expected):
    assert found(world, typed) == expected


def test_a_changed_note_is_found_by_its_new_words_only(world):
    note = Annotation.objects.get(body=NOTES[5])
    note.body = "Rewritten about quokkas"
    note.save()
    assert found(world, "quokkas") == {("A/C.1/76/L.13", "op6", "Rewritten about quokkas")}
    assert found(world, "telecommunications") == by_the_rule("telecommunications")
    assert not any(body == NOTES[5] for *_, body in found(world, "telecommunications"))


def test_a_note_gone_from_the_database_is_gone_from_the_search(world):
    Annotation.objects.filter(body=NOTES[2]).delete()
    assert found(world, "ict4d") == set()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's triggers")
def test_triggers_lost_to_a_remade_table_are_made_again_with_the_index_caught_up(world):
    """SQLite drops a table's triggers when a migration remakes it; the search indexes are
    made again after every migrate, and catch up with what changed meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER resolutions_annotation_search_update")
    Annotation.objects.filter(body=NOTES[5]).update(body="Written while unindexed: wombats")
    ensure_search_indexes(connection)
    assert found(world, "wombats") == {("A/C.1/76/L.13", "op6", "Written while unindexed: wombats")}
    assert found(world, "telecommunications") == by_the_rule("telecommunications")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_postgresql_answers_from_the_index(world):
    terms = read_search("information").terms
    for queryset, index in [
        (Paragraph.objects.all(), "resolutions_paragraph_search"),
        (Annotation.objects.all(), "resolutions_annotation_search"),
    ]:
        # Without a table scan or a walk along another index (a join for the default
        # ordering would offer one), only an index on the searched expression can answer.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        plan = backend_for(connection).matching(queryset, terms).order_by().explain()
        assert index in plan, plan


def test_the_best_matches_are_shown_and_all_are_counted(world):
    op6 = Paragraph.objects.get(document__slug=SEED_SLUG, label="op6")
    for n in range(SHOWN + 5):
        make_annotation(world, op6, f"Quorum note {n}", visibility="public")
    results = search_results(world, {"q": "quorum"})
    assert results.note_total == SHOWN + 5
    assert results.notes_cut
    assert sum(len(group.hits) for group in results.documents) == SHOWN
