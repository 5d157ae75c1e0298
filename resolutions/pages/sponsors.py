"""A document's sponsors as a delegate reads them: the current list in the document's order,
when each state joined, how each regional group and M49 region stands, and who is missing.

Every function here takes what it needs in a fixed number of queries, whatever the length of
the lists; the comparison arithmetic itself is plain Python in ``sponsor_comparison``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from resolutions.models import Document, MemberState, RegionalGroup, SponsorList, Sponsorship
from resolutions.un.sponsor_sets import compare_lists
from resolutions.un.state_names import StateNameMatcher, match_pasted_list, reading_order_key


@dataclass(frozen=True)
class SponsorRow:
    position: int
    name_as_printed: str
    state: MemberState
    joined_on: datetime.date


@dataclass(frozen=True)
class Share:
    """Sponsors among the members of a group or region."""

    key: str
    label: str
    sponsors: int
    members: int

    @property
    def percent(self) -> int:
        return round(100 * self.sponsors / self.members) if self.members else 0


def all_states() -> list[MemberState]:
    return list(MemberState.objects.all())


def matcher_for(states: list[MemberState]) -> StateNameMatcher:
    return StateNameMatcher((s.iso3, s.name, s.aliases) for s in states)


def current_sponsors(document: Document) -> tuple[SponsorList | None, list[SponsorRow]]:
    """The document's latest sponsor list, in its order, each state with the date of the
    first list it appears on (two queries)."""
    lists = list(SponsorList.objects.filter(document=document).order_by("as_of", "pk"))
    if not lists:
        return None, []
    latest = lists[-1]
    joined: dict[int, datetime.date] = {}
    rows: list[SponsorRow] = []
    as_of = {sponsor_list.pk: sponsor_list.as_of for sponsor_list in lists}
    sponsorships = (
        Sponsorship.objects.filter(sponsor_list__document=document)
        .select_related("state")
        .order_by("sponsor_list__as_of", "sponsor_list_id", "position")
    )
    for sponsorship in sponsorships:
        joined.setdefault(sponsorship.state_id, as_of[sponsorship.sponsor_list_id])
        if sponsorship.sponsor_list_id == latest.pk:
            rows.append(
                SponsorRow(
                    sponsorship.position,
                    sponsorship.name_as_printed,
                    sponsorship.state,
                    joined[sponsorship.state_id],
                )
            )
    return latest, rows


def region_matches(state: MemberState, region: str) -> bool:
    wanted = region.casefold()
    return wanted in {
        state.m49_region.casefold(),
        state.m49_subregion.casefold(),
        state.m49_intermediate_region.casefold(),
    }


def known_regions(states: list[MemberState]) -> list[str]:
    """Every M49 region, sub-region and intermediate region, regions first."""
    regions = sorted({s.m49_region for s in states})
    subregions = sorted(
        {s.m49_subregion for s in states} | {s.m49_intermediate_region for s in states} - {""}
    )
    return regions + [r for r in subregions if r not in regions]


def group_shares(rows: list[SponsorRow], states: list[MemberState]) -> list[Share]:
    """Sponsors / members for each UN regional group, in the order of the group's size of
    support (largest first); the United States counts in WEOG."""
    sponsors = {row.state.iso3 for row in rows}
    shares = []
    for group in RegionalGroup:
        members = [s for s in states if s.regional_group == group]
        shares.append(
            Share(
                group.value,
                group.label,
                sum(1 for s in members if s.iso3 in sponsors),
                len(members),
            )
        )
    return sorted(shares, key=lambda share: (-share.sponsors, share.label))


def region_shares(rows: list[SponsorRow], states: list[MemberState]) -> list[Share]:
    sponsors = {row.state.iso3 for row in rows}
    shares = []
    for region in sorted({s.m49_region for s in states}):
        members = [s for s in states if s.m49_region == region]
        shares.append(
            Share(region, region, sum(1 for s in members if s.iso3 in sponsors), len(members))
        )
    return sorted(shares, key=lambda share: (-share.sponsors, share.label))


def not_sponsoring(
    rows: list[SponsorRow], states: list[MemberState], first_group: str = ""
) -> list[tuple[str, str, list[MemberState]]]:
    """The lobbying list: for each regional group (code, label), the members not on the list;
    ``first_group`` (a group code) comes first, the others in their usual order."""
    sponsors = {row.state.iso3 for row in rows}
    entries = [
        (
            group.value,
            group.label,
            [s for s in states if s.regional_group == group and s.iso3 not in sponsors],
        )
        for group in RegionalGroup
    ]
    # sorted() is stable: the groups after the first keep the order of RegionalGroup.
    return sorted(entries, key=lambda entry: entry[0] != first_group)


@dataclass
class SponsorChanges:
    """How the sponsors moved from one version of a document to another: each version's
    latest list, and the states added and withdrawn, by name."""

    a_list: SponsorList | None
    b_list: SponsorList | None
    a_count: int
    b_count: int
    added: list[MemberState]
    withdrawn: list[MemberState]

    @property
    def compared(self) -> bool:
        """Both versions list sponsors, so the difference means something."""
        return self.a_list is not None and self.b_list is not None

    def as_json(self) -> dict:
        return {
            "a": self.a_count if self.a_list else None,
            "b": self.b_count if self.b_list else None,
            "added": [state.iso3 for state in self.added],
            "withdrawn": [state.iso3 for state in self.withdrawn],
        }


def sponsor_changes(a: Document, b: Document) -> SponsorChanges:
    """The states on ``b``'s latest sponsor list and not on ``a``'s (added), and the other
    way round (withdrawn), in one query: every sponsorship of either document with its list
    and state, the latest list of each chosen in Python."""
    sponsorships = list(
        Sponsorship.objects.filter(sponsor_list__document__in=[a, b])
        .select_related("sponsor_list", "state")
        .order_by("sponsor_list__as_of", "sponsor_list_id", "position")
    )
    latest: dict[int, SponsorList] = {}
    for sponsorship in sponsorships:
        latest[sponsorship.sponsor_list.document_id] = sponsorship.sponsor_list

    def states_on(document: Document) -> dict[str, MemberState]:
        chosen = latest.get(document.pk)
        return {
            s.state.iso3: s.state
            for s in sponsorships
            if chosen is not None and s.sponsor_list_id == chosen.pk
        }

    before, after = states_on(a), states_on(b)

    def by_name(states):
        return sorted(states, key=lambda state: reading_order_key(state.name))

    compared = a.pk in latest and b.pk in latest
    return SponsorChanges(
        a_list=latest.get(a.pk),
        b_list=latest.get(b.pk),
        a_count=len(before),
        b_count=len(after),
        added=by_name(after[k] for k in after.keys() - before.keys()) if compared else [],
        withdrawn=by_name(before[k] for k in before.keys() - after.keys()) if compared else [],
    )


PASTED_LABEL = "Pasted list"


@dataclass
class ListSource:
    """One list in a comparison: a document's latest list, a named snapshot, or a paste."""

    label: str
    iso3s: list[str]
    document: Document | None = None
    sponsor_list: SponsorList | None = None


def counted(count: int, singular: str, plural: str) -> str:
    """ "1 new sponsor", "2 new sponsors": the number and the words that agree with it."""
    return f"{count} {singular if count == 1 else plural}"


@dataclass(frozen=True)
class Action:
    """One thing a pasted list asks the delegate to do, as a sentence: what and how many
    (``lead``), then the names."""

    kind: str  # "record", "unknown" or "missing"
    lead: str
    names: list[str]

    def __str__(self) -> str:
        return f"{self.lead}: {', '.join(self.names)}" if self.names else self.lead


@dataclass
class SponsorComparison:
    sources: list[ListSource]
    states: dict[str, MemberState]
    in_all: list[MemberState] = field(default_factory=list)
    only: list[tuple[ListSource, list[MemberState]]] = field(default_factory=list)
    in_some: list[tuple[MemberState, list[str]]] = field(default_factory=list)
    by_group: list[tuple[str, list[int], int, list[int]]] = field(default_factory=list)
    unknown: list = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    raw: object = None
    # With a pasted list: the states on it and on none of the documents' lists, those on a
    # document's list but not on it, and the names it gives in a form other than the official
    # one, each with its state ("Czech Republic" -> Czechia).
    pasted: ListSource | None = None
    new_sponsors: list[MemberState] = field(default_factory=list)
    missing_from_pasted: list[MemberState] = field(default_factory=list)
    other_forms: list[tuple[str, MemberState]] = field(default_factory=list)

    @property
    def document_sources(self) -> list[ListSource]:
        return [source for source in self.sources if source is not self.pasted]

    @property
    def record_document(self) -> Document | None:
        """The one document a pasted list is compared with: where new sponsors are recorded."""
        documents = {source.document for source in self.document_sources}
        return documents.pop() if len(documents) == 1 else None

    @property
    def actions(self) -> list[Action]:
        """What the pasted list asks of the delegate, first thing on the page: the new
        sponsors to record, the names to correct, and the sponsors it leaves out."""
        if self.pasted is None:
            return []
        documents = " and ".join(source.label for source in self.document_sources)
        actions = []
        if self.new_sponsors:
            lead = counted(len(self.new_sponsors), "new sponsor", "new sponsors") + " to record"
            actions.append(Action("record", lead, [s.name for s in self.new_sponsors]))
        if self.unknown:
            count = len(self.unknown)
            verb = "matches" if count == 1 else "match"
            lead = f"{counted(count, 'name', 'names')} {verb} no Member State"
            actions.append(Action("unknown", lead, [n.name_as_given for n in self.unknown]))
        if self.missing_from_pasted:
            count = len(self.missing_from_pasted)
            verb = "is" if count == 1 else "are"
            lead = (
                f"{counted(count, 'sponsor', 'sponsors')} of {documents} {verb} not on the "
                "pasted list"
            )
            actions.append(Action("missing", lead, [s.name for s in self.missing_from_pasted]))
        if not actions:
            actions.append(
                Action("none", f"Nothing to do: the pasted list and {documents} agree", [])
            )
        return actions

    def as_json(self) -> dict:
        return {
            "lists": [source.label for source in self.sources],
            "in_all": self.raw.in_all,
            "only": self.raw.only,
            "unknown": [name.name_as_given for name in self.unknown],
            # What the page leads with, and the pasted names it read in another form.
            "actions": [str(action) for action in self.actions],
            "new_sponsors": [state.iso3 for state in self.new_sponsors],
            "missing_from_pasted": [state.iso3 for state in self.missing_from_pasted],
            "unknown_names": [
                {"name_as_given": name.name_as_given, "suggestions": name.suggestions}
                for name in self.unknown
            ],
            "other_forms": [
                {"name_as_given": given, "name": state.name, "iso3": state.iso3}
                for given, state in self.other_forms
            ],
            "duplicates": self.duplicates,
        }


class UnknownDocument(LookupError):
    pass


def parse_document_reference(reference: str) -> tuple[str, str | None]:
    """``"a-c1-76-l13"`` is a document's latest list; ``"a-c1-76-l13@As printed"`` a named
    snapshot of it."""
    slug, _, label = reference.partition("@")
    return slug.strip(), (label.strip() or None)


def compare_sponsor_lists(references: list[str], pasted: str = "") -> SponsorComparison:
    """Compare the lists named by ``references`` (and a pasted list, when given).

    Four queries for any number of documents: the documents, their lists, the sponsorships
    of the chosen lists, and the Member States. Raises ``UnknownDocument`` for a slug or a
    snapshot that does not exist, ``ValueError`` (with a delegate's message) for fewer than
    two lists, and ``PastedListError`` for a pasted list that is empty or too long.
    """
    wanted = [parse_document_reference(reference) for reference in references if reference]
    documents = {d.slug: d for d in Document.objects.filter(slug__in=[s for s, _ in wanted])}
    lists_by_document: dict[int, list[SponsorList]] = {}
    for sponsor_list in SponsorList.objects.filter(document__in=list(documents.values())).order_by(
        "as_of", "pk"
    ):
        lists_by_document.setdefault(sponsor_list.document_id, []).append(sponsor_list)
    sources: list[ListSource] = []
    for slug, label in wanted:
        document = documents.get(slug)
        if document is None:
            raise UnknownDocument(f"There is no document {slug!r}.")
        candidates = lists_by_document.get(document.pk, [])
        if label is None:
            chosen = candidates[-1] if candidates else None
            source_label = document.symbol
        else:
            chosen = next((c for c in candidates if c.label == label), None)
            if chosen is None:
                raise UnknownDocument(f"{document.symbol} has no sponsor list called {label!r}.")
            source_label = f"{document.symbol} ({label})"
        if any(source.label == source_label for source in sources):
            continue
        sources.append(ListSource(source_label, [], document, chosen))
    chosen_ids = [source.sponsor_list.pk for source in sources if source.sponsor_list]
    members: dict[int, list[str]] = {}
    for list_id, iso3 in (
        Sponsorship.objects.filter(sponsor_list_id__in=chosen_ids)
        .order_by("sponsor_list_id", "position")
        .values_list("sponsor_list_id", "state__iso3")
    ):
        members.setdefault(list_id, []).append(iso3)
    for source in sources:
        if source.sponsor_list:
            source.iso3s = members.get(source.sponsor_list.pk, [])

    states = all_states()
    by_iso3 = {state.iso3: state for state in states}
    unknown, duplicates, other_forms, pasted_source = [], [], [], None
    if pasted.strip() or len(sources) < 2:
        matcher = matcher_for(states)
        result = match_pasted_list(pasted, matcher)
        unknown, duplicates = result.unknown, result.duplicates
        other_forms = [
            (name.name_as_given, by_iso3[name.key])
            for name in result.matched
            if not matcher.is_official_form(name.name_as_given, name.key)
        ]
        pasted_source = ListSource(PASTED_LABEL, result.keys)
        sources.append(pasted_source)
    raw = compare_lists({source.label: source.iso3s for source in sources})
    comparison = SponsorComparison(
        sources=sources,
        states=by_iso3,
        unknown=unknown,
        duplicates=duplicates,
        raw=raw,
        pasted=pasted_source,
        other_forms=other_forms,
    )

    # The JSON twin keeps ISO3 order; people read the lists by name.
    def by_name(keys):
        return sorted((by_iso3[k] for k in keys), key=lambda state: reading_order_key(state.name))

    if pasted_source is not None:
        on_documents = {k for source in comparison.document_sources for k in source.iso3s}
        comparison.new_sponsors = by_name(set(pasted_source.iso3s) - on_documents)
        comparison.missing_from_pasted = by_name(on_documents - set(pasted_source.iso3s))

    comparison.in_all = by_name(raw.in_all)
    comparison.only = [(source, by_name(raw.only[source.label])) for source in sources]
    comparison.in_some = [(state, raw.lists_with[state.iso3]) for state in by_name(raw.in_some)]
    for group in RegionalGroup:
        members_of_group = {s.iso3 for s in states if s.regional_group == group}
        per_list = [len(set(source.iso3s) & members_of_group) for source in sources]
        comparison.by_group.append(
            (
                group.label,
                per_list,
                len(set(raw.in_all) & members_of_group),
                [len(set(raw.only[s.label]) & members_of_group) for s in sources],
            )
        )
    return comparison


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    width: float
    caption: str


# Chart labels must fit beside the bars; the table next to the chart gives the full names.
SHORT_LABELS = {
    RegionalGroup.AFRICAN: "African",
    RegionalGroup.ASIA_PACIFIC: "Asia-Pacific",
    RegionalGroup.EASTERN_EUROPEAN: "Eastern European",
    RegionalGroup.LATIN_AMERICAN_CARIBBEAN: "Latin Am. & Caribbean",
    RegionalGroup.WEOG: "Western Eur. & other",
}
BAR_HEIGHT = 22
BAR_GAP = 10
CHART_WIDTH = 220


def bar_chart(shares: list[Share]) -> tuple[list[Bar], int]:
    """Bars for a small server-drawn SVG chart of shares; returns the bars and the height."""
    bars = [
        Bar(
            SHORT_LABELS.get(share.key, share.label),
            index * (BAR_HEIGHT + BAR_GAP),
            round(CHART_WIDTH * share.sponsors / share.members, 1) if share.members else 0,
            f"{share.sponsors} of {share.members} ({share.percent}%)",
        )
        for index, share in enumerate(shares)
    ]
    return bars, max(len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, 0)


@dataclass
class SponsorOverview:
    """Everything the sponsors page, its JSON and CSV twins and the briefing show."""

    document: Document
    sponsor_list: SponsorList | None
    rows: list[SponsorRow]
    all_rows: list[SponsorRow]
    group: str
    region: str
    errors: list[str]
    group_shares: list[Share]
    region_shares: list[Share]
    not_sponsoring: list[tuple[str, str, list[MemberState]]]
    regions: list[str]

    @property
    def not_sponsoring_first(self) -> tuple[str, str, list[MemberState]] | None:
        """The filtered group's entry in the lobbying list, which the page shows first."""
        if self.group and self.not_sponsoring and self.not_sponsoring[0][0] == self.group:
            return self.not_sponsoring[0]
        return None

    @property
    def not_sponsoring_others(self) -> list[tuple[str, str, list[MemberState]]]:
        return self.not_sponsoring[1:] if self.not_sponsoring_first else self.not_sponsoring

    @property
    def group_chart(self):
        return bar_chart(self.group_shares)

    @property
    def region_chart(self):
        return bar_chart(self.region_shares)

    def as_json(self) -> dict:
        return {
            "document": self.document.symbol,
            # The note an asterisk on the sponsor line points to: "On behalf of ...".
            "sponsors_note": self.document.sponsors_note,
            "sponsors": [
                {
                    "name_as_printed": row.name_as_printed,
                    "name": row.state.name,
                    "iso3": row.state.iso3,
                    "regional_group": row.state.regional_group,
                    "m49_region": row.state.m49_region,
                    "joined_on": row.joined_on.isoformat(),
                }
                for row in self.rows
            ],
            # Members not on the list, by regional group; the group filtered on comes first.
            "not_sponsoring": [
                {
                    "regional_group": code,
                    "label": label,
                    "states": [{"name": state.name, "iso3": state.iso3} for state in states],
                }
                for code, label, states in self.not_sponsoring
            ],
        }


GROUP_CODES = {group.value for group in RegionalGroup}


def sponsor_overview(document: Document, group: str = "", region: str = "") -> SponsorOverview:
    """The document's current sponsors narrowed to a regional group code and/or an M49
    region or sub-region; an unknown code is reported in ``errors`` and not applied."""
    sponsor_list, rows = current_sponsors(document)
    states = all_states()
    regions = known_regions(states)
    errors = []
    group = group.strip()
    region = region.strip()
    if group and group not in GROUP_CODES:
        errors.append(
            f"“{group}” is not a UN regional group; use one of: {', '.join(sorted(GROUP_CODES))}."
        )
        group = ""
    if region and region.casefold() not in {r.casefold() for r in regions}:
        errors.append(f"“{region}” is not an M49 region or sub-region.")
        region = ""
    filtered = [
        row
        for row in rows
        if (not group or row.state.regional_group == group)
        and (not region or region_matches(row.state, region))
    ]
    return SponsorOverview(
        document=document,
        sponsor_list=sponsor_list,
        rows=filtered,
        all_rows=rows,
        group=group,
        region=region,
        errors=errors,
        group_shares=group_shares(rows, states),
        region_shares=region_shares(rows, states),
        not_sponsoring=not_sponsoring(rows, states, group),
        regions=regions,
    )
