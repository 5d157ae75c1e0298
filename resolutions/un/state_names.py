"""Matching Member State names as delegates and UN documents write them.

UN documents, ISO lists and delegates spell the same state many ways: "Türkiye" and
"Turkey", "Korea (the Republic of)" and "Republic of Korea", "Venezuela, Bolivarian
Republic of", "St. Lucia". This module reduces a name to a comparable form, matches it to a
state key (the ISO3 code in this project), suggests the closest states when it does not
match, and reads a sponsor list as pasted from a UN document or typed one name per line.

Plain Python on purpose: no Django, so it is tested without a database and can be used by
the importer, the comparison page and management commands alike.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

MAX_PASTED_CHARACTERS = 20_000
MAX_PASTED_NAMES = 400

# Words that carry no identity in a state name; ignored when comparing names word by word.
_FILLER_WORDS = frozenset({"of", "the", "and"})
# Words that describe a form of government rather than which state it is. "Moldova Republic"
# and "Republic of Korea" share "republic" but nothing that matters, so suggestions are
# ranked first on the remaining, distinctive words.
_STATE_FORM_WORDS = frozenset(
    {
        "republic",
        "democratic",
        "people",
        "peoples",
        "kingdom",
        "state",
        "states",
        "federal",
        "federated",
        "federation",
        "islamic",
        "plurinational",
        "bolivarian",
    }
)

# Member State names that contain the word "and". The splitter keeps these whole even when
# the caller gives it no list of known names, because "Antigua and Barbuda" must never become
# two unknown names.
MEMBER_STATE_NAMES_WITH_AND = (
    "Antigua and Barbuda",
    "Bosnia and Herzegovina",
    "Saint Kitts and Nevis",
    "Saint Vincent and the Grenadines",
    "Sao Tome and Principe",
    "Trinidad and Tobago",
    "United Kingdom of Great Britain and Northern Ireland",
)

# Apostrophes and quote marks as word processors and PDFs produce them.
_APOSTROPHES = "'’‘`´ʼʻ′"
_QUOTES = '"“”„«»'
_APOSTROPHES_AND_QUOTES = re.compile(f"[{_APOSTROPHES}{_QUOTES}]")
_NOT_WORD = re.compile(r"[\W_]+")
_TRAILING_PARENTHESIS = re.compile(r"^(?P<base>[^()]*?)\s*\((?P<inner>[^()]*)\)\s*$")
_ENDS_WITH_OF = re.compile(r"\bof(?:\s+the)?$")

# A sponsor sentence ends with the kind of document: "...and Zimbabwe: draft resolution".
_DOCUMENT_KIND_AFTER_COLON = re.compile(
    r":\s*(?:(?:revised|amended|oral)\s+)*draft\s+(?:resolution|decision)\b", re.IGNORECASE
)
# A line may start with a label: "Sponsors: France, Chad" or "Additional co-sponsors:".
_SPONSOR_LABEL = re.compile(r"\b(?:co-?)?sponsor|\bsponsored\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–—>]+|\(?\d+\s*[.)]?)\s*")
_LIST_SEPARATORS = re.compile(r"[,;]")
_AND = re.compile(r"\s+and\s+|^and\s+|\s+and$|^and$", re.IGNORECASE)
_EDGE_JUNK = " \t,;:.*†‡" + _QUOTES
# No Member State name, however spelled, needs more than two pieces joined by "and"; looking
# further would only cost time on a pathological paste.
_MAX_PIECES_PER_NAME = 3
# The longest way to write a Member State name is under 60 characters; a longer "name" is
# pasted prose, and comparing all of it with every state would only waste time.
_MAX_SUGGESTION_INPUT = 120
# Suggestion scores run from 0 to 1; below the cutoff a state resembles the name too little to
# be worth showing. Two words count as the same word, misspelt, from _SAME_WORD.
_SUGGESTION_CUTOFF = 0.5
_SAME_WORD = 0.8
# A suggestion put to a delegate as "Did you mean ...?" must be close in spelling, not merely
# the best of a poor field: difflib's ratio of the two names (or of their distinctive words,
# in either order) must reach this. 0.8 keeps "Columbia" (0.88 to Colombia), "Phillipines"
# (0.91), "Franse" (0.83) and "Untied States" (0.92) and drops "Atlantis" (0.67 to Albania)
# and "Narnia" (0.77 to Armenia).
CLOSE_NAME_RATIO = 0.8
# ... and no further than this below the closest one, so that "Austrailia" is asked about
# Australia (0.95) alone, not Austria (0.82) too.
_CLOSE_NAME_MARGIN = 0.08


def reading_order_key(name: str) -> str:
    """Sort key for state names as a reader expects them: accents and case ignored, so
    "Côte d'Ivoire" comes before "Croatia" and "Türkiye" before "Turkmenistan"."""
    return "".join(
        char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char)
    ).casefold()


def normalise_name(name: str) -> str:
    """Return the form of a state name used to compare it with others.

    Two spellings of the same name normalise to the same string regardless of case, accents
    ("Türkiye"/"turkiye", "Côte d'Ivoire"/"cote d'ivoire"), apostrophe style (’ ' ‘ `, which
    are dropped: "Cote dIvoire"), hyphens, dashes and other punctuation (folded to spaces),
    whitespace, "&" for "and", "St." for "Saint", and a leading "the". ISO-style inverted
    names are put back in reading order: "Korea (the Republic of)" and "Korea, Republic of"
    both become "republic of korea", "Netherlands (Kingdom of the)" becomes "kingdom of the
    netherlands". A trailing "(the)" or ", the" is dropped: "Gambia (the)" is "gambia".
    """
    text = _APOSTROPHES_AND_QUOTES.sub(lambda m: "" if m.group() in _APOSTROPHES else " ", name)
    text = "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )
    text = " ".join(text.casefold().replace("&", " and ").split())
    text = _reading_order(text)
    words = _NOT_WORD.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[0] == "st":
        words[0] = "saint"
    return " ".join(words)


def _reading_order(text: str) -> str:
    """Undo ISO-style inversion: "x (the republic of)" and "x, republic of" -> "republic of x"."""
    parenthesis = _TRAILING_PARENTHESIS.match(text)
    if parenthesis:
        base, inner = parenthesis["base"], parenthesis["inner"].strip()
        if inner == "the":
            return base
        if _ENDS_WITH_OF.search(inner):
            return f"{inner} {base}"
        return text
    base, comma, tail = text.partition(",")
    tail = tail.strip()
    if comma and "," not in tail:
        if tail == "the":
            return base
        if _ENDS_WITH_OF.search(tail):
            return f"{tail} {base}"
    return text


def _distinctive_words(normalised: str) -> list[str]:
    words = [word for word in normalised.split() if word not in _FILLER_WORDS]
    distinctive = [word for word in words if word not in _STATE_FORM_WORDS]
    # A name made only of filler words ("and and") still has words to compare.
    return distinctive or words or normalised.split()


@dataclass(frozen=True)
class _Candidate:
    """One way of writing a state, prepared for fuzzy comparison."""

    key: str
    normalised: str
    words: tuple[str, ...]

    @property
    def core(self) -> str:
        return " ".join(self.words)


# Everyday English names and abbreviations delegates type that the UN lists do not carry
# (keyed by ISO3). They only ever add matches: an official name always wins.
EVERYDAY_NAMES: dict[str, tuple[str, ...]] = {
    "GBR": ("UK", "U.K.", "United Kingdom", "Britain", "Great Britain"),
    "USA": ("USA", "US", "U.S.", "U.S.A.", "America"),
    "RUS": ("Russia",),
    "ARE": ("UAE",),
    "PRK": ("DPRK",),
    "KOR": ("ROK",),
    "COD": ("DRC", "DR Congo"),
    "CIV": ("Ivory Coast",),
    "CPV": ("Cape Verde",),
    "TLS": ("East Timor",),
    "MMR": ("Burma",),
    "NLD": ("Holland",),
    "MKD": ("Macedonia",),
    "CZE": ("Czech Republic",),
    "SVK": ("Slovak Republic",),
    "KGZ": ("Kyrgyz Republic",),
    "BRN": ("Brunei",),
    "SYR": ("Syria",),
    "IRN": ("Iran",),
    "LAO": ("Laos",),
    "VNM": ("Vietnam",),
    "BOL": ("Bolivia",),
    "VEN": ("Venezuela",),
    "TZA": ("Tanzania",),
    "MDA": ("Moldova",),
    "FSM": ("Micronesia",),
}


class StateNameMatcher:
    """Matches names to Member State keys and suggests states for names that do not match.

    Built from `(key, official_name, aliases)` triples, e.g. `("TUR", "Türkiye", ["Turkey"])`.
    A name matches a state when it normalises (see `normalise_name`) to that state's official
    name or one of its aliases, or to the same letters written without spaces
    ("Guinea Bissau", "GuineaBissau"). A name that more than one state claims is listed in
    `conflicts`: it matches the state whose official name it is, if any, and otherwise none,
    so a wrong match is never made silently.
    """

    def __init__(
        self,
        states: Iterable[tuple[str, str, Iterable[str]]],
        everyday_names: Mapping[str, Iterable[str]] = EVERYDAY_NAMES,
    ) -> None:
        self._official_names: dict[str, str] = {}
        self._by_name: dict[str, str] = {}
        self._by_letters: dict[str, str] = {}
        self._candidates: list[_Candidate] = []
        self._suggestion_cache: dict[tuple[str, int], list[str]] = {}
        # Names (as first written) that more than one state claims: matched to the state whose
        # official name it is, if any, and otherwise to no state.
        self.conflicts: list[str] = []

        aliases_by_key: list[tuple[str, list[str]]] = []
        for key, official_name, aliases in states:
            if key in self._official_names:
                raise ValueError(f"State key {key!r} is listed twice.")
            self._official_names[key] = official_name
            extra = everyday_names.get(key, ())
            aliases_by_key.append((key, [official_name, *aliases, *extra]))

        # Official names first, so that an alias can never take an official name away.
        claimed_by_official: dict[str, str] = {}
        for key, official_name in self._official_names.items():
            claimed_by_official.setdefault(normalise_name(official_name), key)
        claims: dict[str, set[str]] = {}
        written_as: dict[str, str] = {}
        for key, names in aliases_by_key:
            for name in names:
                normalised = normalise_name(name)
                if not normalised:
                    continue
                claims.setdefault(normalised, set()).add(key)
                written_as.setdefault(normalised, name)
                self._candidates.append(
                    _Candidate(key, normalised, tuple(_distinctive_words(normalised)))
                )
        for normalised, keys in claims.items():
            if len(keys) > 1:
                self.conflicts.append(written_as[normalised])
            if normalised in claimed_by_official:
                self._by_name[normalised] = claimed_by_official[normalised]
            elif len(keys) == 1:
                self._by_name[normalised] = next(iter(keys))

        letter_claims: dict[str, set[str]] = {}
        for normalised, key in self._by_name.items():
            letter_claims.setdefault(normalised.replace(" ", ""), set()).add(key)
        self._by_letters = {
            letters: next(iter(keys)) for letters, keys in letter_claims.items() if len(keys) == 1
        }
        # Deduplicate candidates (an alias such as "Bahamas (the)" normalises like the name).
        self._candidates = list({(c.key, c.normalised): c for c in self._candidates}.values())
        self._vocabulary = sorted({word for c in self._candidates for word in c.words})
        self._key_of_official = {name: key for key, name in self._official_names.items()}

    @classmethod
    def from_csv(cls, path: str | Path) -> StateNameMatcher:
        """Build a matcher from a CSV with `name`, `iso3` and `alt_names` (`;`-separated)."""
        with Path(path).open(newline="", encoding="utf-8") as csv_file:
            rows = list(csv.DictReader(csv_file))
        return cls(
            (
                row["iso3"],
                row["name"],
                [alias.strip() for alias in (row.get("alt_names") or "").split(";")],
            )
            for row in rows
        )

    def __len__(self) -> int:
        return len(self._official_names)

    def __contains__(self, key: object) -> bool:
        return key in self._official_names

    def __iter__(self) -> Iterator[str]:
        return iter(self._official_names)

    @property
    def known_names(self) -> frozenset[str]:
        """Every normalised name (official or alias) that matches a state."""
        return frozenset(self._by_name)

    def official_name(self, key: str) -> str:
        """Return the official name of the state with this key; KeyError if there is none."""
        return self._official_names[key]

    def match(self, name: str) -> str | None:
        """Return the key of the state this name refers to, or None if it matches none."""
        normalised = normalise_name(name)
        key = self._by_name.get(normalised)
        if key is None and normalised:
            key = self._by_letters.get(normalised.replace(" ", ""))
        return key

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Return up to `limit` official names of the states closest to `name`, best first.

        Closeness weighs the whole name's spelling ("Austrailia") together with the words that
        identify a state, in any order ("Moldova Republic", "Gambia (Republic of The)"), so
        boilerplate such as "Republic of" does not pull in unrelated states. Each state
        appears at most once; names resembling no state get an empty list.
        """
        normalised = normalise_name(name)[:_MAX_SUGGESTION_INPUT]
        if not normalised or limit <= 0:
            return []
        # Pasted lists repeat the same misspellings; one matcher serves every request, so the
        # cache is bounded, and read once so that another thread clearing it does no harm.
        cache_key = (normalised, limit)
        suggestions = self._suggestion_cache.get(cache_key)
        if suggestions is None:
            if len(self._suggestion_cache) > 4096:
                self._suggestion_cache.clear()
            suggestions = self._suggestion_cache[cache_key] = self._rank(normalised, limit)
        return list(suggestions)

    def close_suggestions(self, name: str, limit: int = 3) -> list[str]:
        """The suggestions of `suggest` that are close enough in spelling to put to a
        delegate as "Did you mean ...?" (see CLOSE_NAME_RATIO); often none."""
        scored = [
            (official, self.closeness(name, self._key_of_official[official]))
            for official in self.suggest(name, limit)
        ]
        best = max((score for _, score in scored), default=0.0)
        return [
            official
            for official, score in scored
            if score >= CLOSE_NAME_RATIO and score >= best - _CLOSE_NAME_MARGIN
        ]

    def closeness(self, name: str, key: str) -> float:
        """How alike `name` is to the nearest way of writing the state `key`, from 0 to 1:
        difflib's ratio of the whole names, of their distinctive words, or of those words in
        alphabetical order ("Guinea Equatorial"), whichever is highest."""
        normalised = normalise_name(name)[:_MAX_SUGGESTION_INPUT]
        words = _distinctive_words(normalised)
        forms = (normalised, " ".join(words), " ".join(sorted(words)))
        best = 0.0
        for candidate in self._candidates:
            if candidate.key != key:
                continue
            theirs = (candidate.normalised, candidate.core, " ".join(sorted(candidate.words)))
            for mine, other in zip(forms, theirs, strict=True):
                best = max(best, difflib.SequenceMatcher(None, mine, other, autojunk=False).ratio())
        return best

    def is_official_form(self, name: str, key: str) -> bool:
        """Whether `name` is the state's official name, written any way `normalise_name`
        folds together ("Cote d'Ivoire" for "Côte d'Ivoire"; not "Turkey" for "Türkiye")."""
        return normalise_name(name) == normalise_name(self._official_names[key])

    def _rank(self, normalised: str, limit: int) -> list[str]:
        query_words = _distinctive_words(normalised)
        word_likeness = self._word_likeness(query_words)
        whole = difflib.SequenceMatcher(autojunk=False)
        whole.set_seq2(normalised)
        core = difflib.SequenceMatcher(autojunk=False)
        core.set_seq2(" ".join(query_words))

        best: dict[str, tuple[float, float]] = {}
        for candidate in self._candidates:
            # How many of the words given are (nearly) in this name, in any order: "Great
            # Britain" and "Brunei" point to the states whose names contain them.
            words_found = sum(
                max((word_likeness[word].get(other, 0.0) for other in candidate.words), default=0)
                for word in query_words
            ) / len(query_words)
            whole.set_seq1(candidate.normalised)
            core.set_seq1(candidate.core)
            # quick_ratio() bounds ratio() from above at a fraction of its cost; most states
            # are nowhere near the name given and are dismissed on the bound alone.
            if 0.4 * whole.quick_ratio() + 0.6 * max(core.quick_ratio(), words_found) < max(
                _SUGGESTION_CUTOFF, best.get(candidate.key, (0.0, 0.0))[0]
            ):
                continue
            whole_score = whole.ratio()
            score = 0.4 * whole_score + 0.6 * max(core.ratio(), words_found)
            if score > best.get(candidate.key, (0.0, 0.0))[0]:
                best[candidate.key] = (score, whole_score)

        ranked = sorted(
            (item for item in best.items() if item[1][0] >= _SUGGESTION_CUTOFF),
            key=lambda item: (-item[1][0], -item[1][1], self._official_names[item[0]]),
        )
        return [self._official_names[key] for key, _ in ranked[:limit]]

    def _word_likeness(self, query_words: list[str]) -> dict[str, dict[str, float]]:
        """For each word given, the words of state names it is (nearly) the same as."""
        likeness: dict[str, dict[str, float]] = {}
        matcher = difflib.SequenceMatcher(autojunk=False)
        for word in query_words:
            matcher.set_seq2(word)
            likeness[word] = {}
            for other in self._vocabulary:
                matcher.set_seq1(other)
                # The cheap upper bounds first: most pairs of words are nothing alike.
                if (
                    matcher.real_quick_ratio() >= _SAME_WORD
                    and matcher.quick_ratio() >= _SAME_WORD
                    and matcher.ratio() >= _SAME_WORD
                ):
                    likeness[word][other] = matcher.ratio()
        return likeness


def split_sponsor_list(text: str, known_names: Collection[str] | None = None) -> list[str]:
    """Split a pasted sponsor list into names, stripped, in the order given, empties dropped.

    Reads the sentence a UN document prints ("Australia, Austria, ..., Uzbekistan and
    Zimbabwe: draft resolution": everything from the colon on is dropped, the last " and "
    joins the last two names), one name per line (bullets, "1." numbering and trailing commas
    or semicolons are ignored), or names separated by semicolons, in any mix. A line
    starting with a label such as "Sponsors:" keeps what follows the label.

    Names are never cut inside: ISO-style inverted names ("Venezuela, Bolivarian Republic
    of", "Bahamas, The") stay whole, and " and " splits only where the pieces read better
    apart. `known_names` (normalised, e.g. `StateNameMatcher.known_names`) says which pieces
    are real names; the Member States whose names contain "and" ("Antigua and Barbuda",
    "Trinidad and Tobago", ...) are always known, so "Antigua and Barbuda and Zimbabwe" gives
    two names.
    """
    known = set(known_names or ()) | {normalise_name(n) for n in MEMBER_STATE_NAMES_WITH_AND}
    pieces = _merge_inverted_names(_pieces(_drop_after_list(text)), known)
    names: list[str] = []
    for piece in pieces:
        names.extend(_split_on_and(piece, known))
    return names


def _drop_after_list(text: str) -> str:
    marker = _DOCUMENT_KIND_AFTER_COLON.search(text)
    if marker:
        text = text[: marker.start()]
    lines = []
    for line in text.splitlines():
        head, colon, tail = line.partition(":")
        if colon:
            # "Sponsors: France, Chad" lists after the label; any other colon ends the list,
            # as in the sponsor sentence of a document ("..., Zimbabwe: draft resolution").
            line = tail if _SPONSOR_LABEL.search(head) else head
        lines.append(line)
    return "\n".join(lines)


def _pieces(text: str) -> list[str]:
    pieces = []
    for line in text.splitlines():
        for piece in _LIST_SEPARATORS.split(_BULLET.sub("", line, count=1)):
            piece = " ".join(piece.split()).strip(_EDGE_JUNK)
            if piece:
                pieces.append(piece)
    return pieces


def _merge_inverted_names(pieces: list[str], known: set[str]) -> list[str]:
    """Rejoin names the comma split cut: "Venezuela" + "Bolivarian Republic of"."""
    merged: list[str] = []
    for piece in pieces:
        if merged:
            joined = f"{merged[-1]}, {piece}"
            normalised_piece = normalise_name(piece)
            inverted_tail = piece.casefold() == "the" or _ENDS_WITH_OF.search(normalised_piece)
            rejoins_known = normalised_piece not in known and normalise_name(joined) in known
            if inverted_tail or rejoins_known:
                merged[-1] = joined
                continue
        merged.append(piece)
    return merged


def _split_on_and(piece: str, known: set[str]) -> list[str]:
    """Split a piece at " and " so as to produce as many known names as possible.

    Among equally good splits, more names win: "Uzbekistan and Zimbabwe" is two names, and so
    is "Franse and Germny", whose misspellings are then suggested for one by one.
    """
    parts = [part.strip(_EDGE_JUNK) for part in _AND.split(piece)]
    parts = [part for part in parts if part and part.casefold() != "and"]
    if len(parts) <= 1:
        return parts
    # best[i] = (known names, names, groups) for the first i parts; linear in the parts
    # because a name spans at most _MAX_PIECES_PER_NAME of them.
    best: list[tuple[int, int, list[str]]] = [(0, 0, [])]
    for end in range(1, len(parts) + 1):
        options = []
        for start in range(max(0, end - _MAX_PIECES_PER_NAME), end):
            known_count, name_count, groups = best[start]
            group = " and ".join(parts[start:end])
            is_known = normalise_name(group) in known
            options.append((known_count + is_known, name_count + 1, start, group))
        known_count, name_count, start, group = max(options, key=lambda o: (o[0], o[1]))
        best.append((known_count, name_count, [*best[start][2], group]))
    return best[-1][2]


@dataclass(frozen=True)
class MatchedName:
    """A pasted name that matched a Member State."""

    name_as_given: str
    key: str


@dataclass(frozen=True)
class UnknownName:
    """A pasted name that matched no Member State, with the official names close enough in
    spelling to ask "Did you mean ...?" (often none)."""

    name_as_given: str
    suggestions: list[str] = field(default_factory=list)


@dataclass
class PastedListResult:
    """What a pasted sponsor list says, name by name.

    Every name given is accounted for: it is in `matched` or `unknown` (the first time it is
    given) and, if it is given again, in `duplicates`.
    """

    matched: list[MatchedName] = field(default_factory=list)
    """States matched, in the order given, each once (first time given)."""
    duplicates: list[str] = field(default_factory=list)
    """Names given more than once (each reported once, as first given). Two spellings of the
    same state ("Turkey", "Türkiye") count as the same name."""
    unknown: list[UnknownName] = field(default_factory=list)
    """Names that match no state, each once, in the order given, with suggestions."""
    names_given: list[str] = field(default_factory=list)
    """Every name read from the paste, in order, repeats included."""

    @property
    def keys(self) -> list[str]:
        """Keys of the matched states, in the order given."""
        return [name.key for name in self.matched]


class PastedListError(ValueError):
    """A pasted sponsor list that cannot be read; the message is written for the delegate."""


def match_pasted_list(text: str, matcher: StateNameMatcher) -> PastedListResult:
    """Read a pasted sponsor list and match each name to a Member State.

    Raises PastedListError when the paste is empty, longer than MAX_PASTED_CHARACTERS or
    holds more than MAX_PASTED_NAMES names.
    """
    if len(text) > MAX_PASTED_CHARACTERS:
        raise PastedListError(
            f"The pasted list is longer than {MAX_PASTED_CHARACTERS:,} characters; "
            "paste one document's list at a time."
        )
    names = split_sponsor_list(text, matcher.known_names)
    if not names:
        raise PastedListError(
            "Paste a sponsor list to compare: names separated by commas, or one per line."
        )
    if len(names) > MAX_PASTED_NAMES:
        raise PastedListError(
            f"The pasted list has more than {MAX_PASTED_NAMES:,} names; "
            "paste one document's list at a time."
        )

    result = PastedListResult(names_given=names)
    # A name is identified by its state when it matches one, otherwise by its normalised
    # spelling, so "Narnia" and "narnia" are one unknown name given twice.
    first_given: dict[tuple[str, str], str] = {}
    reported: set[tuple[str, str]] = set()
    for name in names:
        key = matcher.match(name)
        identity = ("state", key) if key is not None else ("unknown", normalise_name(name) or name)
        if identity in first_given:
            if identity not in reported:
                reported.add(identity)
                result.duplicates.append(first_given[identity])
            continue
        first_given[identity] = name
        if key is not None:
            result.matched.append(MatchedName(name, key))
        else:
            result.unknown.append(UnknownName(name, matcher.close_suggestions(name)))
    return result
