"""Citations: the documents a paragraph or footnote cites, as links to the UN document system,
each under the symbol of the body that issued it.

A document symbol ("A/65/201", "S/2024/123", "E/2024/24") links as itself when its series
belongs to the UN document system. A resolution or decision cited by its number alone
("75/240", "1325 (2000)", "2023/4", "2205 (XXI)") belongs to the body the words before it
name: "Human Rights Council resolution 52/5" (A/HRC/RES/52/5), "Security Council resolutions
1540 (2004) and 2325 (2016)" (S/RES/...), "Economic and Social Council resolution 2023/4"
(E/RES/2023/4), "its resolution 78/330" (the General Assembly's own, A/RES/78/330). The
numbering must fit the body too: the Assembly numbers "session/number" from its thirty-first
session (1976) and "number (session in Roman numerals)" before that, the Security Council
"number (year)", the Economic and Social Council "year/number".

Numbers of other bodies ("United Nations Environment Assembly resolution 5/14", "decision
15/4" of a document of the Convention on Biological Diversity, a Statistical Commission
decision printed in the Council's Official Records) have no UN symbol and are not cited: no
link is better than a wrong one.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from resolutions.un.parsing.document import _MONTH, Citation, _overlap_test, _words

# The General Assembly's symbols, as the heading and the page furniture look for them:
# "A/65/201", "A/C.1/76/L.13", "A/AC.292/2025/INF/5/Rev.1", "A/RES/75/240".
_FULL_SYMBOL = re.compile(r"(?<![\w/.\-])A(?:/[A-Z0-9][A-Za-z0-9.\-]*)+")
# A document symbol of any series, the UN's or another organization's: "S/2024/123",
# "E/CN.3/2024/1", "FCCC/CP/2015/10/Add.1", "CBD/COP/15/17", "UNEP/EA.5/Res.14".
_DOCUMENT_SYMBOL = re.compile(r"(?<![\w/.\-])([A-Z][A-Za-z]*)(?:/[A-Z0-9][A-Za-z0-9.\-]*)+")
# The series of the UN document system (https://undocs.org/<symbol> opens them): the
# principal organs, the Secretariat, the funds, programmes and commissions that issue through
# it, the human rights treaty bodies, and the conferences of treaties the UN services. UNEP
# and the Convention on Biological Diversity publish on their own sites.
_UN_SERIES = frozenset(
    _words(
        """A S E ST T TD DP UNW ECE FCCC CCPR CERD CEDAW CRC CAT CRPD CMW CED HRI CD NPT SPLOS
        CCW APLC BWC"""
    )
)
# A resolution symbol printed with its session or year: "A/RES/2205 (XXI)", "S/RES/1325(2000)".
_SESSION_OR_YEAR_AFTER_SYMBOL = re.compile(
    r"(?:\s[A-Z](?=\s?\())?\s?\(((?:E?S-)?[IVXLC]+|(?:19|20)\d\d)\)"
)

# A number that cites a resolution or decision, in the three ways UN bodies number them:
# "75/240", "43/78 H", "S-10/2" (session/number); "2023/4" (year/number); "2205 (XXI)",
# "217 A (III)", "1325 (2000)" (number, then the session in Roman numerals or the year). The
# look-arounds keep out dates written with slashes, pieces of longer symbols and footnote
# numbers glued to a year.
_NUMBER = re.compile(
    r"(?<![\w/.\-–])(?:"
    r"(?P<special>(?:ES|S)-)?(?P<session>[1-9]\d?)/(?P<number>\d{1,4})"
    r"(?:\s(?P<letter>[A-Z])(?![\w/]))?(?![\w/])"
    r"|(?P<year>(?:19|20)\d\d)/(?P<in_year>\d{1,3})(?![\w/])"
    r"|(?P<old_number>[1-9]\d{0,3})(?:\s[A-Z])?\s?\((?P<paren>(?:E?S-)?[IVXLC]+|(?:19|20)\d\d)\)"
    r")"
)
_KIND_WORD = re.compile(r"\b(resolutions?|decisions?)\b", re.IGNORECASE)
# What may stand between "resolutions" and its first number, for the number to be one.
_LIST_GAP = re.compile(
    rf"(?:\s|,|and\b|as well as\b|its\b|of\s+\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}|of\s+\d{{4}})*"
)
_LONGEST_LIST_GAP = 80
# Where a resolution or decision is found inside a document: "chap. I", "sect. C", "annex".
_LOCATOR = (
    r"(?:chaps?|sects?|paras?|annex(?:es)?|vol|parts?|appendix|arts?)\b\.?(?:\s+[A-Z0-9][\w.–\-]*)?"
)
# What may stand between two numbers of one list, or between a number and the next
# "resolution" of the same list: dates, where in the text ("52/214, sect. C, para. 3; 55/222"),
# a symbol or a note in brackets, a title, a subject ("5/1, on institution-building, and
# 5/2"). Each piece is bounded and the subject possessive, so a gap is read in linear time.
_CONTINUATION_GAP = re.compile(
    rf"(?:\s|[,;]|and\b|as well as\b|its\b|of\s+\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}}|of\s+\d{{4}}"
    rf"|{_LOCATOR}|\([^()]{{0,80}}\)|entitled\s+“[^”]{{0,300}}”"
    r"|(?:on|concerning|regarding)\s+[^,;()“”\d]{1,150}+)*"
)
_LONGEST_CONTINUATION_GAP = 400
# What stands between a document and a resolution printed in it: "(E/2024/24), chap. I.,
# sect. C, decision 55/115"; "document CBD/COP/15/17, decision 15/4".
_INSIDE_A_DOCUMENT = re.compile(rf"\)?(?:,\s*{_LOCATOR})*[,\s]\s*")
_LONGEST_LOCATION = 100

_ITS_BEFORE = re.compile(r"\bits\s+(?:own\s+)?$")
_ITS_WINDOW = 12
# Between a body acting and the number it adopted: "by the United Nations Environment Assembly
# at its resumed fifth session, in its resolution 5/14", "by the Human Rights Council of
# resolution 52/5", "that the Security Council, in its resolution ...".
_AFTER_AN_ACTING_BODY = re.compile(
    r"(?:,?\s+at\s+its\s+[^,;]{1,60}?\s+session)?(,?)\s+(of|in|through)\s+(?:its\s+(?:own\s+)?)?$"
)
_WORDS_AFTER_AN_ACTING_BODY = frozenset(_words("of in through its own"))
_BY_BEFORE = re.compile(r"\bby\s+(?:the\s+)?$")
_THAT_BEFORE = re.compile(r"\bthat\s+(?:the\s+)?$")
# After a number, the body that adopted it: "resolution 5/14 of 2 March 2022 of the United
# Nations Environment Assembly", "decisions 15/4 and 15/5 of the Conference of the Parties".
_ISSUER_AFTER = re.compile(
    rf",?\s+(?:of\s+\d{{1,2}}\s+(?:{_MONTH})\s+\d{{4}},?\s+)?(?:adopted\s+)?(?:of|by)\s+"
    r"(?:the\s+)?(?=[A-Z])"
)
_NAME_WINDOW = 160
# How far back a clause is read for the body of the resolutions it speaks of.
_EARLIER_WORDS_READ = 3
_LONGEST_CLAUSE = 250
_NAME_CONNECTORS = frozenset(_words("and of on for the to in against with"))
_NAME_EDGE_PUNCTUATION = ",;:.()“”’\"'"
# The word that makes a capitalised name a body that adopts resolutions or decisions.
_BODY_NOUNS = frozenset(
    _words(
        """Assembly Council Commission Conference Committee Board Forum Meeting Congress Summit
        Organization Programme Fund Authority Court Tribunal Union Group Agency Bureau"""
    )
)
# Words that open a clause of the General Assembly's own ("Recalling", "and welcomes"): a
# number after one is the Assembly's again, whatever body the clause before named.
_CLAUSE_WORDS = frozenset(
    _words(
        """recalling recalls reaffirming reaffirms noting notes welcoming welcomes recognizing
        recognizes acknowledging acknowledges stressing stresses emphasizing emphasizes
        underlining underlines reiterating reiterates requesting requests deciding decides
        urging urges calling calls encouraging encourages inviting invites expressing expresses
        taking takes bearing bears having considering affirming affirms also further see"""
    )
)
_WORD_OR_SEMICOLON = re.compile(r";|[^\W\d_]+")
# The Assembly numbers its resolutions and decisions "session/number" from 1976.
_FIRST_SESSION_NUMBERED_BY_SESSION = 31
_LAST_SESSION_IN_ROMAN_NUMERALS = 30
_FIRST_YEAR_NUMBERED_BY_YEAR = 1978  # the Economic and Social Council's "1978/1"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN = re.compile(r"C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")


class _Issuer(enum.Enum):
    """The body a resolution or decision belongs to, as far as the words around it tell."""

    GENERAL_ASSEMBLY = "General Assembly"
    SECURITY_COUNCIL = "Security Council"
    ECONOMIC_AND_SOCIAL_COUNCIL = "Economic and Social Council"
    HUMAN_RIGHTS_COUNCIL = "Human Rights Council"
    A_COUNCIL = "a council, not named further"
    ANOTHER_BODY = "a body outside the UN document system, or one that cannot be told"
    ITS_OWN = "its own: the Assembly's in its texts, or the Council's by its numbering"
    UNNAMED = "no body named: the Assembly's, or the Council's by its numbering"


_NAMED_BODIES = [
    (tuple(_words("General Assembly")), _Issuer.GENERAL_ASSEMBLY),
    (tuple(_words("Security Council")), _Issuer.SECURITY_COUNCIL),
    (tuple(_words("Economic and Social Council")), _Issuer.ECONOMIC_AND_SOCIAL_COUNCIL),
    (tuple(_words("Human Rights Council")), _Issuer.HUMAN_RIGHTS_COUNCIL),
]
_ACRONYMS = {
    "UNGA": _Issuer.GENERAL_ASSEMBLY,
    "UNSC": _Issuer.SECURITY_COUNCIL,
    "ECOSOC": _Issuer.ECONOMIC_AND_SOCIAL_COUNCIL,
    "HRC": _Issuer.HUMAN_RIGHTS_COUNCIL,
}
_WITH_ASSEMBLY_NUMBERING = (_Issuer.GENERAL_ASSEMBLY, _Issuer.ITS_OWN, _Issuer.UNNAMED)
_WITH_COUNCIL_NUMBERING = (
    _Issuer.SECURITY_COUNCIL,
    _Issuer.A_COUNCIL,
    _Issuer.ITS_OWN,
    _Issuer.UNNAMED,
)


@dataclass
class _List:
    """Numbers cited together after one "resolution(s)" or "decision(s)"."""

    kind: str
    issuer: _Issuer
    numbers: list[re.Match[str]] = field(default_factory=list)
    named: bool = True  # False when the words right before it did not say whose it is

    @property
    def end(self) -> int:
        return self.numbers[-1].end()


def find_citations(text: str) -> list[Citation]:
    """Every document cited in ``text`` that has a UN symbol, in order, as links.

    Full symbols of a UN series ("A/65/201", "S/2024/123", "FCCC/CP/2015/10/Add.1") are
    reports unless they are ".../RES/..." (resolution) or ".../DEC/..." (decision). A number
    ("75/240", "43/78 H") is a resolution, or a decision when the word "decision(s)"
    introduces it; the word carries over a list ("its decisions 72/512 of 4 December 2017 and
    75/564") until another "resolution(s)"/"decision(s)" appears. Whose it is comes from the
    words around that word (see the module's description); a number of a body outside the UN
    document system, or of a body the text does not make clear, is left out. Offsets refer to
    ``text`` as given.
    """
    found: list[Citation] = []
    symbol_spans: list[tuple[int, int]] = []
    for match in _DOCUMENT_SYMBOL.finditer(text):
        citation = _full_symbol_citation(text, match)
        if citation is None:
            continue
        symbol_spans.append((citation.start, citation.end))
        if match.group(1) in _UN_SERIES:
            found.append(citation)
    found += _Reading(text, symbol_spans).numbers_cited()
    found.sort(key=lambda citation: citation.start)
    return found


def _fits(gap_pattern: re.Pattern[str], gap: str, longest: int = _LONGEST_CONTINUATION_GAP) -> bool:
    return len(gap) <= longest and gap_pattern.fullmatch(gap) is not None


def _full_symbol_citation(text: str, match: re.Match[str]) -> Citation | None:
    symbol = match.group(0).rstrip(".-")
    if symbol.count("/") < 2 or not any(ch.isdigit() for ch in symbol):
        return None
    start, end = match.start(), match.start() + len(symbol)
    kind = _kind_of_full_symbol(symbol)
    if kind == "resolution" and symbol.rsplit("/", 1)[-1].isdigit():
        suffix = _SESSION_OR_YEAR_AFTER_SYMBOL.match(text, end)
        if suffix is not None:  # "A/RES/2205 (XXI)" is A/RES/2205(XXI)
            symbol, end = f"{symbol}({suffix.group(1)})", suffix.end()
    return Citation(kind, text[start:end], symbol, start, end)


def _kind_of_full_symbol(symbol: str) -> str:
    if "/RES/" in symbol:
        return "resolution"
    if "/DEC/" in symbol:
        return "decision"
    return "report"


class _Reading:
    """The numbers of one text, read in order with the words around them. What the words
    around each "resolution(s)" say, and where the clauses break, is worked out once, so the
    work grows with the text and no more."""

    def __init__(self, text: str, symbol_spans: list[tuple[int, int]]) -> None:
        self.text = text
        self.inside_a_symbol = _overlap_test(symbol_spans)
        self.symbol_ends = sorted(end for _, end in symbol_spans)
        self.words = list(_KIND_WORD.finditer(text))
        self._clause_breaks: list[int] | None = None
        self._named_before: dict[int, _Issuer | None] = {}
        self._named_after: dict[int, _Issuer | None] = {}

    def numbers_cited(self) -> list[Citation]:
        text, words = self.text, self.words
        found: list[Citation] = []
        next_word = 0
        word: re.Match[str] | None = None
        current: _List | None = None  # the list the previous number belongs to, if any
        previous_end = 0
        # Whose the previous number was: a number alone after another body's is left out
        previous_issuer = _Issuer.UNNAMED
        for number in _NUMBER.finditer(text):
            if self.inside_a_symbol(number.start(), number.end()):
                continue
            while next_word < len(words) and words[next_word].end() <= number.start():
                word = words[next_word]
                next_word += 1
            new_word = word if word is not None and word.start() >= previous_end else None
            if new_word is not None and _fits(
                _LIST_GAP, text[new_word.end() : number.start()], _LONGEST_LIST_GAP
            ):
                if current is not None:
                    previous_issuer = self.close(current, found)
                current = self.list_opened_by(next_word - 1, current)
                current.numbers.append(number)
            elif (
                new_word is None
                and current is not None
                and _fits(_CONTINUATION_GAP, text[previous_end : number.start()])
            ):
                current.numbers.append(number)
            else:
                if current is not None:
                    previous_issuer = self.close(current, found)
                    current = None
                previous_issuer = self.number_alone(number, previous_end, previous_issuer, found)
            previous_end = number.end()
        if current is not None:
            self.close(current, found)
        return found

    def list_opened_by(self, index: int, previous: _List | None) -> _List:
        """The list ``words[index]`` (a "resolution(s)"/"decision(s)") opens, under the body
        the words before it name."""
        word = self.words[index]
        kind = "decision" if word.group(1).lower().startswith("decision") else "resolution"
        start = word.start()
        acting = _acting_body(self.text, start)
        if acting is not None:  # "the decision by the Human Rights Council, in its resolution"
            return _List(kind, acting)
        named = self.named_before(index)  # "Human Rights Council resolution", "its resolution"
        if named is not None:
            return _List(kind, named)
        if self.printed_inside_a_document(start):
            return _List(kind, _Issuer.ANOTHER_BODY)
        if previous is not None and _fits(_CONTINUATION_GAP, self.text[previous.end : start]):
            # "Human Rights Council resolution 52/5 and resolution 55/3": the same body's
            return _List(kind, previous.issuer, named=previous.named)
        # "Human Rights Council resolutions on the right to food, including resolution 55/14"
        return _List(kind, self.named_earlier_in_the_clause(index), named=False)

    def named_before(self, index: int) -> _Issuer | None:
        """The body named right before ``words[index]``: "Human Rights Council resolution",
        "its resolution" (its own); None when no body is named there."""
        if index not in self._named_before:
            text, start = self.text, self.words[index].start()
            named = None
            if _ITS_BEFORE.search(text[max(0, start - _ITS_WINDOW) : start]):
                named = _Issuer.ITS_OWN
            elif text[start - 1 : start].isspace():
                named = _issuer_named(_name_ending_at(text, len(text[:start].rstrip()))[0])
            self._named_before[index] = named
        return self._named_before[index]

    def named_after(self, index: int) -> _Issuer | None:
        """The body named right after ``words[index]`` or a list it opens: "resolution 5/14
        of the United Nations Environment Assembly", "resolutions adopted by the Council"."""
        if index not in self._named_after:
            end = self.words[index].end()
            self._named_after[index] = _issuer_named_after(self.text, end)
        return self._named_after[index]

    def named_earlier_in_the_clause(self, index: int) -> _Issuer:
        """The body of the resolutions the clause spoke of before ``words[index]``: "Human
        Rights Council resolutions", "resolutions of the Human Rights Council"; unnamed when
        it named none, or spoke of the Assembly's own ("its resolutions")."""
        start = self.words[index].start()
        for earlier in range(index - 1, max(-1, index - 1 - _EARLIER_WORDS_READ), -1):
            earlier_end = self.words[earlier].end()
            if start - earlier_end > _LONGEST_CLAUSE or self.breaks_between(earlier_end, start):
                break
            named = self.named_before(earlier) or self.named_after(earlier)
            if named is _Issuer.ITS_OWN:
                break
            if named is not None:
                return named
        return _Issuer.UNNAMED

    def breaks_between(self, start: int, end: int) -> bool:
        """Whether a clause of the Assembly's own opens between ``start`` and ``end``
        ("; ", "and recalling", "Also notes")."""
        if self._clause_breaks is None:
            self._clause_breaks = [
                match.start()
                for match in _WORD_OR_SEMICOLON.finditer(self.text)
                if match.group(0) == ";" or match.group(0).lower() in _CLAUSE_WORDS
            ]
        index = bisect_left(self._clause_breaks, start)
        return index < len(self._clause_breaks) and self._clause_breaks[index] < end

    def printed_inside_a_document(self, start: int) -> bool:
        """Whether the word at ``start`` follows a document symbol and where in it:
        "(E/2024/24), chap. I., sect. C, decision 55/115" is a decision printed in that
        report, the report's body's, not the Assembly's."""
        index = bisect_right(self.symbol_ends, start) - 1
        if index < 0:
            return False
        gap = self.text[self.symbol_ends[index] : start]
        return _fits(_INSIDE_A_DOCUMENT, gap, _LONGEST_LOCATION)

    def close(self, cited: _List, found: list[Citation]) -> _Issuer:
        """Add a finished list's numbers to ``found``, under the body that adopted them, and
        return that body."""
        if not cited.named:  # "resolution 5/14 of the United Nations Environment Assembly"
            named = _issuer_named_after(self.text, cited.end)
            if named is not None:
                cited.issuer, cited.named = named, True
        for number in cited.numbers:
            symbol = _symbol(cited.issuer, cited.kind, number)
            if symbol is not None:
                found.append(
                    Citation(cited.kind, number.group(0), symbol, number.start(), number.end())
                )
        return cited.issuer

    def number_alone(
        self,
        number: re.Match[str],
        previous_end: int,
        previous_issuer: _Issuer,
        found: list[Citation],
    ) -> _Issuer:
        """Add a "session/number" that no "resolution(s)" introduces to ``found``: the
        Assembly's resolution, unless the clause has just cited another body's ("Commission
        on Narcotic Drugs resolution 67/1, as adopted, and 67/2"). Returns whose it is."""
        if number.group("session") is None:
            return previous_issuer
        if previous_issuer not in _WITH_ASSEMBLY_NUMBERING and not self.breaks_between(
            previous_end, number.start()
        ):
            return previous_issuer
        symbol = _symbol(_Issuer.UNNAMED, "resolution", number)
        if symbol is not None:
            found.append(
                Citation("resolution", number.group(0), symbol, number.start(), number.end())
            )
        return _Issuer.UNNAMED


def _acting_body(text: str, end: int) -> _Issuer | None:
    """The body that acts just before ``end``: "by the X [at its ... session], in" or "that
    the X, in" ("the decision by the United Nations Environment Assembly ..., in its
    resolution 5/14"); None when no body acts there."""
    last_words = text[max(0, end - 20) : end].split()[-2:]
    if not set(last_words) & _WORDS_AFTER_AN_ACTING_BODY:
        return None
    window_start = max(0, end - _NAME_WINDOW)
    tail = _AFTER_AN_ACTING_BODY.search(text[window_start:end])
    if tail is None:
        return None
    words, name_start = _name_ending_at(text, window_start + tail.start())
    issuer = _issuer_named(words)
    if issuer is None:
        return None
    lead = text[max(0, name_start - 12) : name_start]
    if _BY_BEFORE.search(lead) or (
        _THAT_BEFORE.search(lead) and tail.group(1) and tail.group(2) == "in"
    ):
        return issuer
    return None


def _issuer_named_after(text: str, end: int) -> _Issuer | None:
    """The body named right after ``end``: " of 2 March 2022 of the United Nations Environment
    Assembly", " adopted by the Human Rights Council"."""
    after = _ISSUER_AFTER.match(text, end)
    if after is None:
        return None
    return _issuer_named(_name_starting_at(text, after.end()))


def _name_ending_at(text: str, end: int) -> tuple[list[str], int]:
    """The capitalised name whose last word ends at ``end`` ("United Nations Environment
    Assembly", "Commission on Narcotic Drugs"), as words, and where it starts."""
    window_start = max(0, end - _NAME_WINDOW)
    window = text[window_start:end]
    if not window or window[-1].isspace():
        return [], end
    words: list[str] = []
    for token in reversed(window.split()):
        if token[-1] in _NAME_EDGE_PUNCTUATION:
            break
        if not (token[0].isupper() or (words and token in _NAME_CONNECTORS)):
            break
        words.append(token)
    while words and words[-1] in _NAME_CONNECTORS:
        words.pop()
    words.reverse()
    start = len(window)
    for word in reversed(words):
        start = window.rfind(word, 0, start)
    return words, window_start + start


def _name_starting_at(text: str, start: int) -> list[str]:
    """The capitalised name whose first word starts at ``start`` ("Conference of the Parties
    to the Convention on Biological Diversity"), as words."""
    words: list[str] = []
    for word in text[start : start + _NAME_WINDOW].split():
        bare = word.rstrip(_NAME_EDGE_PUNCTUATION)
        if not bare or not (bare[0].isupper() or (words and bare in _NAME_CONNECTORS)):
            break
        words.append(bare)
        if bare != word:
            break
    while words and words[-1] in _NAME_CONNECTORS:
        words.pop()
    return words


def _issuer_named(words: list[str]) -> _Issuer | None:
    """The body a capitalised name names, or None when it names none ("Recalling")."""
    for suffix, issuer in _NAMED_BODIES:
        if tuple(words[-len(suffix) :]) == suffix:
            return issuer
    if words and words[-1] in _ACRONYMS:
        return _ACRONYMS[words[-1]]
    core = list(words)
    while core and core[0].lower() in _CLAUSE_WORDS:
        core.pop(0)  # "Recalling", "Also" open the paragraph; they name no one
    if core == ["Assembly"]:  # "in accordance with Assembly resolution 60/251"
        return _Issuer.GENERAL_ASSEMBLY
    if core == ["Council"]:
        return _Issuer.A_COUNCIL
    if any(word in _BODY_NOUNS or _is_acronym(word) for word in core):
        return _Issuer.ANOTHER_BODY
    return None


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isalpha() and word.isupper() and not _ROMAN.fullmatch(word)


def _symbol(issuer: _Issuer, kind: str, number: re.Match[str]) -> str | None:
    """The UN symbol of the resolution or decision ``number`` cites, or None when the body has
    none or does not number that way."""
    infix = "RES" if kind == "resolution" else "DEC"
    session = number.group("session")
    if session is not None:
        special, serial, letter = number.group("special") or "", number.group("number"), ""
        if issuer in _WITH_ASSEMBLY_NUMBERING:
            if special or int(session) >= _FIRST_SESSION_NUMBERED_BY_SESSION:
                letter = number.group("letter") or ""
                return f"A/{infix}/{special}{session}/{serial}{letter}"
        elif (
            issuer is _Issuer.HUMAN_RIGHTS_COUNCIL
            and special != "ES-"
            and number.group("letter") is None
        ):
            return f"A/HRC/{infix}/{special}{session}/{serial}"
        return None
    year = number.group("year")
    if year is not None:
        if issuer is _Issuer.ECONOMIC_AND_SOCIAL_COUNCIL and (
            int(year) >= _FIRST_YEAR_NUMBERED_BY_YEAR
        ):
            return f"E/{infix}/{year}/{number.group('in_year')}"
        return None
    serial, paren = number.group("old_number"), number.group("paren")
    if kind != "resolution":
        return None
    if paren[0].isdigit():  # "1325 (2000)": the Security Council numbers by year
        if issuer in _WITH_COUNCIL_NUMBERING:
            return f"S/RES/{serial}({paren})"
        return None
    session_number = _roman_value(paren.rpartition("-")[2])
    if session_number is None:
        return None
    if issuer in _WITH_ASSEMBLY_NUMBERING and (
        "-" in paren or session_number <= _LAST_SESSION_IN_ROMAN_NUMERALS
    ):
        # "217 A (III)": the lettered parts are one document, A/RES/217(III)
        return f"A/RES/{serial}({paren})"
    if issuer is _Issuer.ECONOMIC_AND_SOCIAL_COUNCIL:
        return f"E/RES/{serial}({paren})"
    return None


def _roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral ("XXI" is 21), None for anything else."""
    if not numeral or not _ROMAN.fullmatch(numeral):
        return None
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
