"""The versions of a document, as every page about it names them: the whole chain from the
first draft to the adopted resolution, oldest first, and, on a version that is no longer the
latest, what superseded it ("Superseded by A/C.1/76/L.13/Rev.1 of 25 October 2021", "Adopted
as A/RES/76/19 on 6 December 2021"). One query, however many versions there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse

from resolutions.models import Document

# What a version is called in the list, beside its symbol.
_KIND_WORDS = {
    Document.Kind.DRAFT: "Draft",
    Document.Kind.REVISION: "Revised draft",
    Document.Kind.RESOLUTION: "Resolution",
}


def comparison_url(earlier: Document, later: Document) -> str:
    return f"{reverse('resolutions:compare_text')}?a={earlier.slug}&b={later.slug}"


@dataclass(frozen=True)
class Version:
    """One version in the chain; ``earlier`` is the version it revises or adopts, which the
    comparison link compares it with."""

    document: Document
    is_this_version: bool
    earlier: Document | None

    @property
    def kind(self) -> str:
        return _KIND_WORDS.get(self.document.kind, self.document.get_kind_display())

    @property
    def day(self) -> datetime.date:
        """The day that dates the version: a resolution's adoption (its issue when that is
        not known), a draft's issue."""
        return self.document.adopted_on or self.document.date

    @property
    def day_words(self) -> str:
        return "adopted" if self.document.adopted_on else "issued"

    @property
    def comparison_url(self) -> str:
        return comparison_url(self.earlier, self.document) if self.earlier else ""


@dataclass(frozen=True)
class Versions:
    """The chain of ``document``'s versions and what it says at the top of its pages."""

    document: Document
    versions: list[Version]
    latest: Version
    successor: Version | None

    @property
    def has_others(self) -> bool:
        return len(self.versions) > 1

    @property
    def is_superseded(self) -> bool:
        return self.latest.document.pk != self.document.pk

    @property
    def is_adopted(self) -> bool:
        return self.latest.document.is_resolution and not self.document.is_resolution

    @property
    def successor_differs(self) -> bool:
        """Whether the version issued right after this one is not the latest (Rev.1 between
        the draft and Rev.2): the banner names it too."""
        return self.successor is not None and self.successor.document.pk != self.latest.document.pk

    @property
    def latest_comparison_url(self) -> str:
        return comparison_url(self.document, self.latest.document)

    @property
    def successor_comparison_url(self) -> str:
        return comparison_url(self.document, self.successor.document) if self.successor else ""

    def as_data(self, absolute) -> list[dict]:
        """The versions for the JSON export; ``absolute`` makes an address absolute."""
        return [
            {
                "symbol": version.document.symbol,
                "kind": version.document.kind,
                "date": version.document.date.isoformat(),
                "adopted_on": (
                    version.document.adopted_on.isoformat() if version.document.adopted_on else None
                ),
                "url": absolute(version.document.get_absolute_url()),
                "this_version": version.is_this_version,
            }
            for version in self.versions
        ]


def document_versions(document: Document) -> Versions:
    """``document``'s versions, oldest first: each after the one it revises or adopts
    (siblings by date), in one query."""
    chain = list(
        Document.objects.in_version_chain(document)
        .order_by()
        .only("id", "symbol", "slug", "kind", "date", "adopted_on", "revision_of_id")
    )
    by_pk = {version.pk: version for version in chain}

    def depth(version: Document) -> int:
        steps, seen = 0, {version.pk}
        while version.revision_of_id in by_pk and version.revision_of_id not in seen:
            version = by_pk[version.revision_of_id]
            seen.add(version.pk)
            steps += 1
        return steps

    ordered = sorted(
        chain, key=lambda v: (depth(v), v.is_resolution, v.adopted_on or v.date, v.date, v.pk)
    )
    # Each is compared with the version it revises or adopts: the one listed before it,
    # unless two were issued from the same version.
    versions = [
        Version(
            version,
            is_this_version=version.pk == document.pk,
            earlier=by_pk.get(version.revision_of_id),
        )
        for version in ordered
    ]
    successors = [v for v in versions if v.document.revision_of_id == document.pk]
    return Versions(
        document=document,
        versions=versions,
        latest=versions[-1],
        successor=successors[0] if successors else None,
    )
