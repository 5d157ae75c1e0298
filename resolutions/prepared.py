"""Queries built and compiled once per process, run again with new values.

The margins' queries carry the visibility rule (a reader's audiences, their circles as
sub-queries, a reply's thread): building one with the ORM and compiling it to SQL took
longer than the database took to answer it. After a note on one paragraph the reading page
spent half its time there, for a handful of rows. A ``PreparedQuery`` builds its query once
per process for each shape (its ``key``: say, whether the reader has a delegation), compiles
it once, and from then on puts each call's values (the reader's id, the document, lists of
ids) in their places among the parameters.

What a query may depend on is explicit: ``build`` is given the key and, for each value, a
stand-in, and must read nothing else that changes (a setting, the time, an object from the
caller): only the stand-ins reach the SQL's parameters. A value of None is given as None
and made part of the key (the SQL says ``IS NULL`` for it, not ``= %s``). A list of ids
reaches the database as one parameter however many they are (``field__in_ids``), so the SQL
is the same for every list. With ``PREPARED_QUERIES_CHECK`` on (the tests), every call also
builds and compiles the query afresh with its real values and fails when the SQL or its
parameters differ from what it ran: a dependency the key leaves out shows at once.

Each shape is built twice, with two unlike sets of stand-ins, and refused unless both
compile to the same SQL with the stand-ins in the same places: a value Django changed,
dropped or wrote into the text cannot go unseen.

Running a compiled query again leans on how Django 5.2 evaluates a queryset (its iterables
ask ``query.get_compiler()`` and run ``compiler.as_sql()``; ``QuerySet._query``): the
version is pinned, and ``tests/pages/test_prepared_queries.py`` fails if an upgrade makes a
prepared query compile again or read other rows.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import ForeignObject, IntegerField, Lookup, QuerySet

#: How many shapes of one query a process keeps, the least recently run dropped first.
KEPT = 64


class InIds(Lookup):
    """``field__in_ids=ids``: the field is one of ``ids``, written with one parameter
    whatever their number: an array on PostgreSQL (``= ANY(%s)``), a JSON list on SQLite
    (``IN (SELECT value FROM json_each(%s))``). ``field__in`` writes one placeholder per id,
    so its SQL changes with their number and cannot be prepared once."""

    lookup_name = "in_ids"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [ids_parameter(value, connection.vendor)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
        # Column and placeholder as Django compiled them; the ids are the parameter.
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", [*lhs_params, *rhs_params]  # noqa: S608


# On the integer fields (ids) and the foreign keys (which take only the lookups of their
# own class).
IntegerField.register_lookup(InIds)
ForeignObject.register_lookup(InIds)


def ids_parameter(ids: Iterable[int], vendor: str) -> Any:
    """``ids`` as ``in_ids`` passes them to the database ``vendor``."""
    ids = [int(pk) for pk in ids]
    return ids if vendor == "postgresql" else json.dumps(ids)


def reader_ids(user) -> dict[str, int | None]:
    """What the visibility rules read of a reader (their circles are sub-queries, read
    when the query runs), as a prepared query's values (``READER``). Only a delegate has
    them: a visitor sees no note, and the callers read none for one."""
    if not user.is_authenticated:
        raise ValueError("A prepared query reads for a delegate; a visitor sees nothing.")
    return {"reader_pk": user.pk, "delegation_id": user.delegation_id}


def reader(reader_pk: int, delegation_id: int | None):
    """The reader ``reader_ids`` describes, for a ``build`` function: a delegate with that
    id and delegation, and nothing else. Any other field is deferred: a rule that read
    one would load it by the stand-in's id, find no such delegate and fail, rather than
    be built for a value the key does not carry."""
    from resolutions.models import User

    return User.from_db(None, ["id", "delegation_id"], [reader_pk, delegation_id])


# Stand-ins while a query is built, counting down: no real id is negative, and the second
# set, small and positive, fits any integer column.
_FIRST_STAND_INS = -1_000_000_007
_SECOND_STAND_INS = 29_989

#: What the visibility rules read of a reader: the values ``reader_ids`` gives.
READER = ("reader_pk", "delegation_id")


class _Compiled(NamedTuple):
    """A query built with stand-ins and compiled: ``places`` says which value goes where
    among ``params``; ``compiler`` is None for a query with nothing to read (``none()``)."""

    queryset: QuerySet
    compiler: Any
    sql: str
    params: tuple
    places: list[tuple[int, str]]


class PreparedQuery:
    """``build(*key, **stand_ins)`` (a ``QuerySet``) built and compiled once per process
    for each ``key`` and database, and run with the values of each call (see the module's
    docstring): ``values`` names the single values (ids) ``build`` takes as keywords,
    ``texts`` the single strings (an address's slug), ``ids`` the lists of ids. Calling it
    returns what the queryset would: a list of its rows."""

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        values: tuple[str, ...] = (),
        texts: tuple[str, ...] = (),
        ids: tuple[str, ...] = (),
    ):
        self.build = build
        self.values = (*values, *texts)
        self.texts = texts
        self.ids = ids
        self._built: OrderedDict[tuple, _Compiled] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, key: tuple[Hashable, ...], alias: str, **given: Any) -> list:
        if set(given) != {*self.values, *self.ids}:
            raise TypeError(f"Expected {self.values + self.ids}, got {tuple(given)}.")
        nulls = tuple(name for name in self.values if given[name] is None)
        queryset, compiler, sql, params, places = self._prepared((*key, nulls), alias)
        vendor = connections[alias].vendor
        ran = list(params)
        for at, name in places:
            if name in self.ids:
                ran[at] = ids_parameter(given[name], vendor)
            else:
                ran[at] = type(params[at])(given[name])
        if getattr(settings, "PREPARED_QUERIES_CHECK", False):
            self._check((*key, nulls), alias, given, sql, ran)
        if compiler is None:
            return []
        return _run(queryset, compiler, alias, sql, tuple(ran))

    def _prepared(self, key: tuple, alias: str) -> _Compiled:
        held = (alias, *key)
        with self._lock:
            if held in self._built:
                self._built.move_to_end(held)
                return self._built[held]
        *shape, nulls = key
        # Built twice, with two sets of stand-ins unlike each other (large and negative;
        # small and positive): the two must compile to the same SQL with the stand-ins in
        # the same places. A stand-in that Django changed, dropped (a negative value
        # compared with a positive-only column is no comparison at all) or wrote into the
        # text shows as a difference, and the query is refused rather than run.
        first = self._compiled(shape, nulls, alias, _FIRST_STAND_INS)
        second = self._compiled(shape, nulls, alias, _SECOND_STAND_INS)
        # A text Django changed on its way to the parameters (made into a LIKE pattern) is
        # in no place: each call would run with the stand-in. (An id may be in none: not
        # every rule reads the reader's own id.)
        unplaced = set(self.texts) - set(nulls) - {name for _, name in first.places}
        if (first.sql, first.places) != (second.sql, second.places) or (
            unplaced and first.compiler is not None
        ):
            raise ValueError(
                f"{self.build.__qualname__} does not put its values among the query's "
                f"parameters as they are: it cannot be prepared.\n{first.sql}\n{second.sql}"
            )
        with self._lock:
            self._built[held] = first
            while len(self._built) > KEPT:
                self._built.popitem(last=False)
        return first

    def _compiled(self, shape: list, nulls: tuple, alias: str, first_stand_in: int) -> _Compiled:
        """The query built with stand-ins counting down from ``first_stand_in``, compiled."""
        vendor = connections[alias].vendor
        stand_ins: dict[str, Any] = {}
        marks: dict[object, str] = {}
        for number, name in enumerate((*self.values, *self.ids)):
            stand_in = first_stand_in - number
            if name in self.ids:
                stand_ins[name] = [stand_in]
                marks[str(ids_parameter([stand_in], vendor))] = name
            elif name in nulls:
                stand_ins[name] = None
            elif name in self.texts:
                # What escaping for LIKE, case-folding or trimming would change; its number
                # shows where it went however it was changed.
                stand_ins[name] = f" Stand-In_%\\ {stand_in} "
                marks[stand_ins[name]] = name
            else:
                stand_ins[name] = stand_in
                marks[stand_in] = name
        queryset = self.build(*shape, **stand_ins).using(alias)
        # The compiler keeps what it worked out while compiling: what its rows are made into.
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled(queryset, None, "", (), [])
        places = [
            (at, stood_for)
            for at, param in enumerate(params)
            if (stood_for := _mark(param, marks)) is not None
        ]
        texts = {
            stand_ins[name]: stand_ins[name].split()[1] for name in self.texts if name not in nulls
        }
        for param in params:
            # A text made into another (a LIKE pattern, escaped), beside its use as it is
            # elsewhere: its stand-in's number is there, the stand-in is not.
            if (
                isinstance(param, str)
                and param not in texts
                and any(number in param for number in texts.values())
            ):
                raise ValueError(
                    f"{self.build.__qualname__} does not put its values among the query's "
                    f"parameters as they are: it cannot be prepared ({param!r})."
                )
        return _Compiled(queryset, compiler, sql, tuple(params), places)

    def _check(self, key: tuple, alias: str, given: dict, sql: str, params: list) -> None:
        *shape, _ = key
        fresh = self.build(*shape, **given).using(alias)
        try:
            fresh_sql, fresh_params = fresh.query.get_compiler(using=alias).as_sql()
        except EmptyResultSet:
            fresh_sql, fresh_params = "", ()
        if (fresh_sql, list(fresh_params)) != (sql, params):
            raise AssertionError(
                f"{self.build.__qualname__} prepared for {key} differs from the query built "
                f"now: its key leaves out something it depends on.\n"
                f"prepared: {sql} {params}\nnow: {fresh_sql} {list(fresh_params)}"
            )


def _mark(param, marks: dict) -> str | None:
    """The name of the value ``param`` stands in for, or None for a parameter of the
    query's own (a visibility, a state)."""
    if isinstance(param, list | str):
        return marks.get(str(param))
    if isinstance(param, int) and not isinstance(param, bool):
        return marks.get(int(param))
    return None


def _run(queryset: QuerySet, compiler, alias: str, sql: str, params: tuple) -> list:
    """``queryset``'s rows, read with ``sql`` and ``params`` through a copy of ``compiler``
    on this thread's connection, and made into what the queryset makes of them (model
    instances with their related objects and annotations, tuples, values): Django's own
    iterables do it, handed this compiler instead of compiling the query again."""
    running = _shallow(compiler)
    running.connection = connections[alias]
    running.as_sql = lambda *args, **kwargs: (sql, params)
    query = _shallow(queryset.query)
    query.get_compiler = lambda *args, **kwargs: running
    ran = _shallow(queryset)
    ran.__dict__.update(_query=query, _result_cache=None, _prefetch_done=False)
    return list(ran)


def _shallow(thing):
    """A copy of ``thing`` sharing its attributes' values (``copy.copy`` would run a
    queryset)."""
    twin = thing.__class__.__new__(thing.__class__)
    twin.__dict__ = dict(thing.__dict__)
    return twin
