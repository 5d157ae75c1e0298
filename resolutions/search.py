"""Full-text search of paragraphs' text and notes' bodies, on PostgreSQL and on SQLite.

What a delegate types is read here once (``read_search``): bare words, each also found at
the start of a longer word ("develop" finds "developments"), and phrases in quotes, found
word for word; every word and phrase must be in the same paragraph or note (AND).

Both databases find the same paragraphs and notes for the same words, because both read
text the same way: a word is a run of letters and digits, compared without regard to case
and with its accents kept. PostgreSQL gets the text with every other character made a
space, under its 'simple' configuration (no stemming, no stop words); SQLite's FTS5 gets it
from its ``unicode61`` tokenizer with ``remove_diacritics 0``. So "A/C.1/76/L.13",
"self-defence" and "43/78" are the same words on both. (Stemming would not do: PostgreSQL's
English stemmer and FTS5's Porter stemmer disagree on some words, and drop different stop
words.) tests/pages/test_search.py holds the queries that must agree.

The matched words are marked in Python, by the same rule, for both databases
(``highlight_spans``), and made HTML in ``resolutions.rendering``.
"""

import re
from dataclasses import dataclass
from typing import Protocol

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Func, Value
from django.db.models.expressions import RawSQL

#: Longer searches are refused: no one types them, and each word costs the database work.
MAX_LENGTH = 500
MAX_TERMS = 20
#: How many paragraphs, and how many notes, a search shows at most (the best first).
SHOWN = 50

_WORD = re.compile(r"[^\W_]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_PIECES = re.compile(r'"([^"]*)(?:"|$)|([^"]+)')

# (table, column, index): what is searched, and the index (or FTS5 table) that finds it.
INDEXED = [
    ("resolutions_paragraph", "text", "resolutions_paragraph_search"),
    ("resolutions_annotation", "body", "resolutions_annotation_search"),
]
_INDEX_OF = {table: (column, index) for table, column, index in INDEXED}
# Whatever is not a letter or a digit, as PostgreSQL's regular expressions say it.
_NOT_A_WORD = "[^[:alnum:]]+"


def words_of(text: str) -> list[str]:
    """The words of ``text`` as the search compares them: runs of letters and digits, in
    lower case."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Term:
    """One thing to find: a word (``prefix``: also at the start of a longer word) or a
    phrase, its words in a row."""

    words: tuple[str, ...]
    prefix: bool


@dataclass(frozen=True)
class Search:
    """What was typed, read: the terms to find, or ``problem``, said to the delegate."""

    text: str
    terms: tuple[Term, ...] = ()
    problem: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.text.strip()


def read_search(text: str) -> Search:
    """``text`` as terms: each bare word a prefix term, each quoted phrase (and each group
    of words joined by punctuation) a term of its own, found word for word (curly quotes
    are quotes; a quote left open runs to the end). Too long, too many words
    or no word at all: a ``problem`` instead."""
    if len(text) > MAX_LENGTH:
        return Search(
            text,
            problem=f"Your search is {len(text):,} characters long: search for up to "
            f"{MAX_LENGTH} characters at a time.",
        )
    terms: list[Term] = []
    for match in _PIECES.finditer(text.translate(_QUOTES)):
        phrase, bare = match.groups()
        if phrase is not None:
            words = tuple(words_of(phrase))
            if words:
                terms.append(Term(words, prefix=False))
        else:
            # Words joined by punctuation, with no space between them ("43/78",
            # "self-defence", "A/C.1/76/L.13"), are found together, as a phrase.
            for chunk in bare.split():
                words = tuple(words_of(chunk))
                if len(words) == 1:
                    terms.append(Term(words, prefix=True))
                elif words:
                    terms.append(Term(words, prefix=False))
    terms = list(dict.fromkeys(terms))
    if not terms and text.strip():
        return Search(text, problem="Type at least one word or number to search for.")
    if len(terms) > MAX_TERMS:
        return Search(
            text,
            problem=f"Search for up to {MAX_TERMS} words or phrases at a time "
            f"(this search has {len(terms)}).",
        )
    return Search(text, tuple(terms))


def highlight_spans(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """Where ``terms`` are found in ``text``, as (start, end) character offsets in order,
    overlapping ones joined: the words the database matched, by the same rule."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
    spans = []
    for term in terms:
        size = len(term.words)
        for i in range(len(tokens) - size + 1):
            window = tokens[i : i + size]
            if term.prefix:
                found = window[0][2].startswith(term.words[0])
            else:
                found = tuple(token[2] for token in window) == term.words
            if found:
                spans.append((window[0][0], window[-1][1]))
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def excerpt_bounds(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The part of ``text`` to show, about ``width`` characters around the first match, cut
    between words: the whole text when it is short enough."""
    if len(text) <= width:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(start, spans[0][1] if spans else start), end)
        end = space if space != -1 else end
    return start, end


class SearchBackend(Protocol):
    def matching(self, queryset: models.QuerySet, terms: tuple[Term, ...]) -> models.QuerySet:
        """``queryset`` narrowed to the rows whose indexed column holds every term, each
        with ``search_rank`` (higher is a better match)."""
        ...


class PostgreSQLSearch:
    """``to_tsvector('simple', ...)`` over the text with every run of characters that are
    not letters or digits made one space: the expression of the GIN index, so the index
    answers."""

    def vector(self, column: str) -> SearchVector:
        spaced = Func(
            F(column),
            Value(_NOT_A_WORD),
            Value(" "),
            Value("g"),
            function="regexp_replace",
            output_field=models.TextField(),
        )
        return SearchVector(spaced, config="simple")

    @staticmethod
    def tsquery(terms: tuple[Term, ...]) -> str:
        # Every word is letters and digits only, so quoting it is all the escaping it needs.
        parts = []
        for term in terms:
            if term.prefix:
                parts.append(f"'{term.words[0]}':*")
            else:
                parts.append("(" + " <-> ".join(f"'{word}'" for word in term.words) + ")")
        return " & ".join(parts)

    def matching(self, queryset: models.QuerySet, terms: tuple[Term, ...]) -> models.QuerySet:
        column, _ = _INDEX_OF[queryset.model._meta.db_table]
        vector = self.vector(column)
        query = SearchQuery(self.tsquery(terms), config="simple", search_type="raw")
        return (
            queryset.alias(search_vector=vector)
            .filter(search_vector=query)
            .annotate(search_rank=SearchRank(vector, query))
        )


class SQLiteSearch:
    """FTS5 tables over the text (external content, kept current by triggers), ranked by
    ``bm25`` (negated: lower is better there)."""

    @staticmethod
    def fts_query(terms: tuple[Term, ...]) -> str:
        # Every word is letters and digits only: inside double quotes it is a plain string,
        # never an FTS5 operator ("AND", "NEAR", a column filter).
        parts = []
        for term in terms:
            quoted = '"' + " ".join(term.words) + '"'
            parts.append(f"{quoted}*" if term.prefix else quoted)
        return " AND ".join(parts)

    def matching(self, queryset: models.QuerySet, terms: tuple[Term, ...]) -> models.QuerySet:
        table = queryset.model._meta.db_table
        _, fts = _INDEX_OF[table]
        query = self.fts_query(terms)
        # Names from INDEXED only; the words are a parameter (see the module's foot).
        matched_sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608
        rank_sql = f"SELECT -bm25({fts}) FROM {fts} WHERE {fts} MATCH %s AND rowid = {table}.id"  # noqa: S608
        matched = RawSQL(matched_sql, [query])  # noqa: S611
        rank = RawSQL(rank_sql, [query], output_field=models.FloatField())  # noqa: S611
        return queryset.filter(pk__in=matched).annotate(search_rank=rank)


def backend_for(connection: BaseDatabaseWrapper) -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgreSQLSearch()
    if connection.vendor == "sqlite":
        return SQLiteSearch()
    raise NotImplementedError(f"No search for {connection.vendor} databases.")


# The SQL below is built from the names in INDEXED, never from anything typed: the words of
# a search always reach the database as a parameter.


def ensure_search_indexes(connection: BaseDatabaseWrapper) -> None:
    """Make the search indexes that are missing (migration 0012, and after every
    ``migrate``): on PostgreSQL a GIN index on the search's expression; on SQLite an FTS5
    table for each indexed column, holding no copy of the text (external content), and the
    triggers that keep it current.

    SQLite drops a table's triggers when a migration remakes the table (as it does to add
    most columns), so they are made again here after every ``migrate``, and the FTS5 table
    rebuilt from the rows, which may have changed while they were gone."""
    with connection.cursor() as cursor:
        for table, column, index in INDEXED:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ("
                    f"to_tsvector('simple'::regconfig, COALESCE(regexp_replace({column}, "
                    f"'{_NOT_A_WORD}', ' ', 'g'), '')))"
                )
            elif connection.vendor == "sqlite":
                _ensure_fts5(cursor, table, column, index)


def _ensure_fts5(cursor, table: str, column: str, index: str) -> None:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE name = %s OR tbl_name = %s",
        [index, table],
    )
    present = {name for (name,) in cursor.fetchall()}
    add = f"INSERT INTO {index}(rowid, {column}) VALUES (new.id, new.{column});"  # noqa: S608
    remove = (
        f"INSERT INTO {index}({index}, rowid, {column}) "  # noqa: S608
        f"VALUES ('delete', old.id, old.{column});"
    )
    triggers = {
        f"{index}_insert": f"AFTER INSERT ON {table} BEGIN {add} END",
        f"{index}_delete": f"AFTER DELETE ON {table} BEGIN {remove} END",
        f"{index}_update": f"AFTER UPDATE OF {column} ON {table} BEGIN {remove} {add} END",
    }
    if index in present and present >= set(triggers):
        return
    if index not in present:
        cursor.execute(
            f"CREATE VIRTUAL TABLE {index} USING fts5({column}, content='{table}', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
        )
    for name, body in triggers.items():
        cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    cursor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")  # noqa: S608


def drop_search_indexes(connection: BaseDatabaseWrapper) -> None:
    """Undo ``ensure_search_indexes`` (migrating back before 0012)."""
    with connection.cursor() as cursor:
        for _, _, index in INDEXED:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {index}")
            elif connection.vendor == "sqlite":
                for suffix in ("insert", "delete", "update"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {index}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {index}")
