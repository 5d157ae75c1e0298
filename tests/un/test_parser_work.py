"""The parser's work grows linearly with the text, whatever the text holds.

An import reads up to 1 MB that anyone with an editor's account may paste. Patterns that scan
from every opening mark to the end of the line (an unclosed ``**``, ``[`` or ``(``), a run of
digits turned into a number, or every number compared with every citation made a 64 KB text
take seconds and a 200 KB one take a worker down. Here adversarial texts of 64 KB — each of
those shapes, alone and mixed, put in the heading, the body and the footnotes of a real
text — must parse (or be refused with a ParseError) within a fixed budget of processor
time. Linear work takes about a tenth of a second for them on this project's machines; the
budget is ten times that, and the quadratic patterns this replaced took two to twelve times
the budget.
"""

import gc
import signal
from contextlib import contextmanager, suppress

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolutions.un.parsing import ParseError, parse_resolution
from resolutions.un.reference import REAL_TEXTS_DIR, SEED_TEXT

SIZE = 64_000
BUDGET_SECONDS = 1.0
FRAGMENTS = [
    "**a ", "*a ", "_a ", "__", "[", "(", "](", "[a](", "[^1]", "¹", "¹²³⁴", "<sup>1",
    "1 ", "a1 ", "a, 1 ", "2022, 8 to ", "- ", "A/", "A/C.1/76/L.1 ", "75/240 ",
    "resolutions 1/2, ", "decision ", "session ", "Distr.: ", "(a) ", "1. ", "I. ",
    "“", "\n", "\n\n", "___________\n", "25-17986 (E) 141125\n", "*2517986*\n", "2/5\n",
    "The General Assembly,\n", "Agenda item 9 ", "Annex\n", "9" * 40,
]  # fmt: skip
BASES = {
    "seed": SEED_TEXT.read_text(encoding="utf-8"),
    "real": (REAL_TEXTS_DIR / "A-C.6-80-L.10.txt").read_text(encoding="utf-8"),
}


class OverBudget(Exception):
    pass


@contextmanager
def cpu_budget(seconds: float):
    """Raises OverBudget once this process has used ``seconds`` of processor time in the
    block (the time other processes take on a busy machine does not count)."""

    def over(signum, frame):
        raise OverBudget(f"parsing took more than {seconds} s of processor time")

    previous = signal.signal(signal.SIGPROF, over)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def parse_within_budget(text: str, budget: float = BUDGET_SECONDS) -> None:
    """Parses ``text`` within the budget. The garbage collector runs before, not during (a
    long test session leaves it a large heap to walk, which is not the parser's work), and a
    second try is allowed for what the machine did meanwhile: quadratic work fails both."""
    gc.collect()
    gc.disable()
    try:
        for attempt in (1, 2):
            try:
                # A clear refusal is a fine answer to nonsense.
                with cpu_budget(budget), suppress(ParseError):
                    parse_resolution(text)
                return
            except OverBudget:
                if attempt == 2:
                    raise
    finally:
        gc.enable()


def insert(base: str, where: float, block: str) -> str:
    lines = base.split("\n")
    at = max(1, int(len(lines) * where))
    return "\n".join([*lines[:at], block, *lines[at:]])


@pytest.mark.parametrize("fragment", FRAGMENTS)
@pytest.mark.parametrize("where", [0.02, 0.5, 0.97], ids=["heading", "body", "footnotes"])
def test_one_shape_repeated_anywhere_parses_within_the_budget(fragment, where):
    block = (fragment * (SIZE // len(fragment) + 1))[:SIZE]
    for base in BASES.values():
        parse_within_budget(insert(base, where, block))


@pytest.mark.parametrize("base", sorted(BASES))
def test_rule_lines_run_into_the_heading_parse_within_the_budget(base):
    """64 KB of rule lines where the heading's blocks are read, joined there with the words
    after them into one line that is almost, but not, a rule."""
    block = ("___________\n" * (SIZE // 12 + 1))[:SIZE]
    parse_within_budget(insert(BASES[base], 0.0625, block))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    pieces=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6),
    where=st.floats(min_value=0.0, max_value=1.0),
    base=st.sampled_from(sorted(BASES)),
)
def test_mixed_shapes_parse_within_the_budget(pieces, where, base):
    unit = "".join(pieces)
    block = (unit * (SIZE // len(unit) + 1))[:SIZE]
    parse_within_budget(insert(BASES[base], where, block))


# Shapes that make many paragraphs, notes or citations rather than one long one: a
# paragraph continued over thousands of blocks, thousands of notes with one number,
# thousands of operative paragraphs with one number, thousands of short symbols inside
# full ones. Each once cost time in proportion to the square of its count.
STRUCTURES = {
    "a paragraph in many pieces": "__\n\n",
    "notes numbered alike": "¹The General Assembly,\n",
    "paragraphs numbered alike": "The General Assembly,\n1. ",
    "short symbols inside full ones": "2/5\n1 A/C.1/76/L.1 ",
}


@pytest.mark.parametrize("unit", STRUCTURES.values(), ids=STRUCTURES.keys())
def test_many_paragraphs_notes_and_citations_parse_within_the_budget(unit):
    block = (unit * (4 * SIZE // len(unit) + 1))[: 4 * SIZE]
    parse_within_budget(insert(BASES["real"], 0.5, block), budget=2 * BUDGET_SECONDS)


def test_the_budget_catches_quadratic_work():
    """The guard itself works: a scan from every opening mark to the end of the line, as the
    link pattern once did, runs out of budget on the same 64 KB."""
    import re

    quadratic = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
    with cpu_budget(BUDGET_SECONDS), pytest.raises(OverBudget):  # noqa: PT012 -- the loop is the work
        for _ in range(20):
            quadratic.sub("", "[" * SIZE)
