"""Finding a quoted passage again: in its paragraph as quoted, and in a revised paragraph,
by its words, the words around it and where it stood; never on other words."""

from hypothesis import assume, given
from hypothesis import strategies as st

from resolutions.un.anchoring import CONTEXT, QuoteSelector, anchor, describe, locate, occurrences
from resolutions.un.text_comparison import comparable_text, comparable_with_positions

OP2 = (
    "Calls upon all States to refrain from actions that undermine the security of "
    "non-State actors, and calls upon all States to report to the Secretary-General."
)


def quoted(text: str, words: str, nth: int = 0) -> QuoteSelector:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return describe(text, start, start + len(words))


def test_a_selector_keeps_the_words_their_context_and_their_position():
    selector = quoted(OP2, "refrain from actions")
    assert selector.exact == "refrain from actions"
    assert selector.prefix == "Calls upon all States to "
    assert selector.suffix == " that undermine the security of "[:CONTEXT]
    assert selector.start == OP2.index("refrain")
    assert selector.end == selector.start + len("refrain from actions")


def test_the_context_is_at_most_32_characters_either_side():
    selector = quoted(OP2, "security")
    assert len(selector.prefix) == len(selector.suffix) == CONTEXT
    assert OP2.endswith(quoted(OP2, "Secretary-General.").prefix + "Secretary-General.")


def test_in_the_unchanged_paragraph_the_quote_is_where_it_was():
    selector = quoted(OP2, "calls upon all States")
    assert anchor(selector, OP2) == (selector.start, selector.end)


def test_of_two_alike_passages_the_second_quoted_is_found_again_after_text_is_added():
    selector = quoted(OP2, "upon all States", nth=1)
    revised = "Strongly " + OP2.replace("Calls", "calls")
    start, end = anchor(selector, revised)
    assert revised[start:end] == "upon all States"
    assert start == revised.index("upon all States", revised.index("and calls"))


def test_of_two_alike_passages_the_first_quoted_stays_the_first():
    selector = quoted(OP2, "upon all States", nth=0)
    revised = OP2.replace("to refrain", "to refrain at all times")
    assert anchor(selector, revised) == (selector.start, selector.end)
    moved = "Also " + revised
    start, _ = anchor(selector, moved)
    assert start == moved.index("upon all States")


def test_the_context_decides_before_the_old_position():
    # Both places moved: the one with the same words around it wins, though the other is
    # now nearer to where the quote stood.
    selector = quoted(OP2, "all States", nth=1)
    revised = (
        "Calls upon all States, and calls upon all States to report to the Secretary-General, "
        "to refrain from everything."
    )
    start, _ = anchor(selector, revised)
    assert revised[start:].startswith("all States to report")


def test_a_quote_moved_within_the_paragraph_is_found_where_it_went():
    selector = quoted(OP2, "report to the Secretary-General")
    revised = "Requests all States to report to the Secretary-General, and to refrain."
    start, end = anchor(selector, revised)
    assert revised[start:end] == "report to the Secretary-General"


def test_typography_is_no_change_of_words():
    selector = quoted(OP2, "security of non-State actors")
    revised = OP2.replace("non-State", "non\u2011State").replace("security of", "security\u00a0of")
    start, end = anchor(selector, revised)
    assert revised[start:end] == "security\u00a0of non\u2011State actors"


def test_words_that_changed_are_not_found():
    selector = quoted(OP2, "refrain from actions")
    assert anchor(selector, OP2.replace("refrain from", "desist from")) is None
    assert anchor(selector, "") is None


def test_a_quote_is_never_put_on_words_that_only_stand_at_its_old_position():
    selector = quoted(OP2, "refrain")
    revised = "X" * len(OP2)
    assert anchor(selector, revised) is None


def test_an_empty_quote_is_found_nowhere():
    assert anchor(QuoteSelector("", start=0), OP2) is None


def test_a_selector_without_position_is_found_by_its_words():
    assert anchor(QuoteSelector("all States"), OP2) == (
        OP2.index("all States"),
        OP2.index("all States") + len("all States"),
    )


def test_what_a_delegate_typed_is_found_as_printed():
    printed = "Welcomes the \u201cNew Agenda\u201d for non\u2011State  actors"
    start, end = locate('the "New Agenda" for non-State actors', printed)
    assert printed[start:end] == "the \u201cNew Agenda\u201d for non\u2011State  actors"
    assert locate("other words", printed) is None


def test_locate_takes_the_place_nearest_the_selection():
    second = OP2.index("all States", 20)
    assert locate("all States", OP2) == (OP2.index("all States"), OP2.index("all States") + 10)
    assert locate("all States", OP2, near=second - 3) == (second, second + 10)


def test_overlapping_occurrences_are_all_found():
    assert occurrences("aa", "aaa") == [(0, 2), (1, 3)]


# Properties ------------------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "States",
        "all",
        "calls",
        "upon",
        "non-State",
        "non\u2011State",
        "the",
        "of",
        "\u201cpeace\u201d",
    ]
)
SPACES = st.sampled_from([" ", "  ", "\u00a0", "\n", " \u00ad"])


@st.composite
def paragraphs(draw):
    words = draw(st.lists(WORDS, min_size=1, max_size=25))
    text = words[0]
    for word in words[1:]:
        text += draw(SPACES) + word
    return text


@given(paragraphs())
def test_positions_point_at_the_characters_compared(text):
    readable, positions = comparable_with_positions(text)
    assert readable == comparable_text(text)
    assert len(positions) == len(readable)
    assert positions == sorted(set(positions))


@given(paragraphs(), st.data())
def test_any_quote_of_an_unchanged_paragraph_is_found_where_it_is(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    selector = describe(text, start, end)
    assert anchor(selector, text) == (start, end)


@given(paragraphs(), paragraphs(), st.data())
def test_a_quote_found_in_a_revision_reads_as_the_quoted_words(text, revised, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    selector = describe(text, start, end)
    found = anchor(selector, revised)
    wanted = comparable_text(selector.exact)
    if found is None:
        assert not wanted or wanted not in comparable_text(revised)
    else:
        assert comparable_text(revised[found[0] : found[1]]) == wanted


@given(paragraphs(), paragraphs(), st.data())
def test_text_added_before_a_quote_never_loses_it(text, added, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    selector = describe(text, start, end)
    assume(comparable_text(selector.exact))  # white space alone quotes nothing
    revised = added + " " + text
    found = anchor(selector, revised)
    assert found is not None
    assert comparable_text(revised[found[0] : found[1]]) == comparable_text(selector.exact)
