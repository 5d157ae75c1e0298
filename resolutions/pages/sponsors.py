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
from resolutions.un.state_names import StateNameMatcher, match_pasted_list


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


PASTED_LABEL = "Pasted list"


@dataclass
class ListSource:
    """One list in a comparison: a document's latest list, a named snapshot, or a paste."""

    label: str
    iso3s: list[str]
    document: Document | None = None
    sponsor_list: SponsorList | None = None


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

    def as_json(self) -> dict:
        return {
            "lists": [source.label for source in self.sources],
            "in_all": self.raw.in_all,
            "only": self.raw.only,
            "unknown": [name.name_as_given for name in self.unknown],
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
    unknown, duplicates = [], []
    if pasted.strip() or len(sources) < 2:
        result = match_pasted_list(pasted, matcher_for(states))
        unknown, duplicates = result.unknown, result.duplicates
        sources.append(ListSource(PASTED_LABEL, result.keys))
    raw = compare_lists({source.label: source.iso3s for source in sources})
    comparison = SponsorComparison(
        sources=sources, states=by_iso3, unknown=unknown, duplicates=duplicates, raw=raw
    )

    # The JSON twin keeps ISO3 order; people read the lists by name.
    def by_name(keys):
        return sorted((by_iso3[k] for k in keys), key=lambda state: state.name)

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
