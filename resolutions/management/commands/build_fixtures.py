"""Rebuilds the seed fixtures from the reference data in ``resolutions/un/data/``.

The fixtures are committed; this command documents where every fact in them comes from and
lets a maintainer regenerate them after the reference data changes:

- ``member_states.json`` from ``data/member_states.csv``;
- ``seed_document.json`` from the seed text, through the same parser the importer uses;
- ``agenda.json`` from the seed text, ``data/oewg_2021_2025_sessions.csv`` and the sourced
  facts in ``data/README.md``.
"""

import csv
import datetime
import json
import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from resolutions.models import RegionalGroup
from resolutions.services.importing import document_rows
from resolutions.un.parsing import MONTHS, parse_resolution
from resolutions.un.reference import (
    MEMBER_STATES_CSV,
    OEWG_SESSIONS_CSV,
    SEED_SYMBOL,
    SEED_TEXT,
)
from resolutions.un.symbols import slug_for_symbol

AGENDA_SLUG = "ict-international-security"
GROUP_CODES = {group.label: group.value for group in RegionalGroup}
# Names UN documents used before a state's name changed that the CSV does not list; this one
# is named in the project's design notes (North Macedonia's UN name from 1993 to 2019).
EXTRA_ALIASES = {"MKD": ["the former Yugoslav Republic of Macedonia"]}


class Command(BaseCommand):
    help = "Rebuild fixtures/*.json from the reference data in resolutions/un/data/."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, default=settings.BASE_DIR / "fixtures")

    def handle(self, *args, out: Path, **options):
        states = member_state_records(MEMBER_STATES_CSV)
        write(out / "member_states.json", states)
        seed_text = SEED_TEXT.read_text(encoding="utf-8")
        agenda = agenda_records(seed_text, OEWG_SESSIONS_CSV)
        write(out / "agenda.json", agenda)
        write(out / "seed_document.json", seed_document_records(seed_text, states))
        self.stdout.write(self.style.SUCCESS(f"Wrote fixtures to {out}"))


def write(path: Path, records: list[dict]) -> None:
    path.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def member_state_records(csv_path: Path) -> list[dict]:
    records = []
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            aliases = [alias.strip() for alias in row["alt_names"].split(";") if alias.strip()]
            aliases += EXTRA_ALIASES.get(row["iso3"], [])
            records.append(
                {
                    "model": "resolutions.memberstate",
                    "fields": {
                        "name": row["name"],
                        "iso3": row["iso3"],
                        "iso2": row["iso2"],
                        "m49": row["m49"],
                        "m49_region": row["m49_region"],
                        "m49_subregion": row["m49_subregion"],
                        "m49_intermediate_region": row["m49_intermediate_region"],
                        "regional_group": GROUP_CODES[row["regional_group"]],
                        # The United States sits in no group; it attends WEOG as an observer.
                        "group_observer": row["iso3"] == "USA",
                        "un_member_since": int(row["un_member_since"] or 0) or None,
                        "aliases": aliases,
                        "note": row["note"],
                    },
                }
            )
    return records


def agenda_records(seed_text: str, sessions_csv: Path) -> list[dict]:
    """The agenda item, its listings, its timeline, milestones and follow-up entries.

    The timeline's first part comes from the seed itself: the resolutions and decisions its
    first preambular paragraph recalls, each with the date that follows it there. Everything
    else comes from ``data/oewg_2021_2025_sessions.csv`` and the facts in ``data/README.md``,
    each with the source the README names.
    """
    parsed = parse_resolution(seed_text, symbol=SEED_SYMBOL)
    return [
        *listing_records(),
        *timeline_records(parsed),
        *milestone_records(sessions_csv),
        *follow_up_records(),
    ]


def listing_records() -> list[dict]:
    item = "resolutions.agendaitem"
    listing = "resolutions.agendalisting"
    title = (
        "Developments in the field of information and telecommunications in the context of "
        "international security"
    )
    return [
        {"model": item, "fields": {"slug": AGENDA_SLUG, "title": title}},
        {
            "model": listing,
            "fields": {
                "agenda_item": [AGENDA_SLUG],
                "session": 76,
                "item_number": "95",
                "note": "Agenda item 95 as printed on A/C.1/76/L.13.",
            },
        },
        {
            "model": listing,
            "fields": {
                "agenda_item": [AGENDA_SLUG],
                "session": 77,
                "item_number": "",
                "note": "Included in the provisional agenda by operative paragraph 7 of "
                "A/C.1/76/L.13.",
            },
        },
        {
            "model": listing,
            "fields": {
                "agenda_item": [AGENDA_SLUG],
                "session": 80,
                "item_number": "94",
                "note": "Agenda item 94 as printed on A/RES/80/16.",
            },
        },
        {
            "model": listing,
            "fields": {
                "agenda_item": [AGENDA_SLUG],
                "session": 81,
                "item_number": "",
                "note": "Included in the provisional agenda by operative paragraph 4 of "
                "resolution 80/16.",
            },
        },
    ]


_DATE_AFTER_CITATION = re.compile(rf"\bof (\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b")


def recalled_with_dates(text: str, citations) -> list[tuple[object, datetime.date]]:
    """Each citation of a "Recalling its resolutions ..." paragraph with its date: the first
    "of <day> <Month> <year>" after it, so that in "74/28 and 74/29 of 12 December 2019" both
    resolutions take that date."""
    dated = []
    for citation in citations:
        match = _DATE_AFTER_CITATION.search(text, citation.end)
        if match is None:
            raise CommandError(f"No date follows {citation.text} in the recalling paragraph.")
        day, month, year = match.groups()
        dated.append((citation, datetime.date(int(year), MONTHS.index(month) + 1, int(day))))
    return dated


def timeline_entry(symbol: str, text: str, kind: str, stage: str, date, **fields) -> dict:
    return {
        "model": "resolutions.timelineentry",
        "fields": {
            "agenda_item": [AGENDA_SLUG],
            "stage": stage,
            "kind": kind,
            "symbol": symbol,
            "text": text,
            "date": date.isoformat(),
            "summary": fields.get("summary", ""),
            "reported": fields.get("reported", False),
            "source": fields["source"],
            "source_url": fields.get("source_url", ""),
            "source_paragraph": fields.get("source_paragraph"),
        },
    }


RES_80_16 = "https://undocs.org/A/RES/80/16"


def timeline_records(parsed) -> list[dict]:
    """The item's history: what the seed's PP1 recalls (dates from the seed's text), the seed
    itself, then what followed, as recalled in resolution 80/16 (data/README.md)."""
    pp1 = next(p for p in parsed.paragraphs if p.label == "pp1")
    recalled = recalled_with_dates(pp1.text, pp1.citations)
    if len(recalled) != 28:
        raise CommandError(f"PP1 of the seed should recall 28 texts, not {len(recalled)}.")
    records = [
        timeline_entry(
            citation.symbol,
            citation.text,
            citation.kind,
            "recalled",
            date,
            source=f"Recalled in PP1 of {SEED_SYMBOL}",
            source_paragraph=[SEED_SYMBOL, "pp1"],
        )
        for citation, date in sorted(recalled, key=lambda pair: pair[1])
    ]
    records.append(
        timeline_entry(
            SEED_SYMBOL,
            SEED_SYMBOL,
            "draft",
            "draft",
            parsed.date,
            summary=f"Issued in the {parsed.committee} under agenda item {parsed.agenda_item}, "
            f"with {len(parsed.sponsors)} sponsors.",
            source=f"{SEED_SYMBOL}, as issued",
        )
    )
    following = [
        (
            "A/RES/76/19",
            "76/19",
            "resolution",
            datetime.date(2021, 12, 6),
            "Adopted by the General Assembly without a vote. Reported to be this draft as "
            "adopted; no UN document seen says so.",
            "Recalled in PP1 of A/RES/80/16",
        ),
        (
            "A/DEC/77/512",
            "77/512",
            "decision",
            datetime.date(2022, 12, 7),
            "",
            "Recalled in PP2 of A/RES/80/16",
        ),
        (
            "A/DEC/78/541",
            "78/541",
            "decision",
            datetime.date(2023, 12, 22),
            "",
            "Recalled in PP2 of A/RES/80/16",
        ),
        (
            "A/RES/79/237",
            "79/237",
            "resolution",
            datetime.date(2024, 12, 24),
            "",
            "Recalled in PP2 of A/RES/80/16",
        ),
        (
            "A/RES/80/16",
            "80/16",
            "resolution",
            datetime.date(2025, 12, 1),
            "Endorses the working group's final report (A/80/257), asks the Secretary-General "
            "to support the Global Mechanism on ICT security starting in 2026, and includes "
            "the item in the provisional agenda of the eighty-first session. Agenda item 94 "
            "of the eightieth session.",
            "A/RES/80/16, as adopted",
        ),
    ]
    for symbol, text, kind, date, summary, source in following:
        records.append(
            timeline_entry(
                symbol,
                text,
                kind,
                "following",
                date,
                summary=summary,
                reported=symbol == "A/RES/76/19",
                source=source,
                source_url=RES_80_16,
            )
        )
    return records


ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
]
OEWG = "Open-ended working group 2021–2025"


def milestone(key: str, title: str, start: str, *, sources: list[str], **fields) -> dict:
    end = fields.get("end_date") or ""
    return {
        "model": "resolutions.milestone",
        "fields": {
            "agenda_item": [AGENDA_SLUG],
            "kind": fields.get("kind", "event"),
            "key": key,
            "title": title,
            "start_date": start,
            "end_date": end if end and end != start else None,
            "place": fields.get("place", ""),
            "note": fields.get("note", ""),
            "sources": "\n".join(sources),
        },
    }


def milestone_records(sessions_csv: Path) -> list[dict]:
    """The sessions of the open-ended working group 2021–2025 from the CSV, and the dated
    facts of data/README.md, each with its sources."""
    records = [
        milestone(
            "first-committee-approval",
            f"The First Committee approves {SEED_SYMBOL} without a vote",
            "2021-11-03",
            sources=["UN press release GA/DIS/3678"],
        )
    ]
    with sessions_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["session"] == "organizational":
                key, title = "oewg-organizational-session", f"{OEWG}: organizational session"
            else:
                number = int(row["session"])
                key = f"oewg-substantive-session-{number}"
                title = f"{OEWG}: {ORDINALS[number - 1]} substantive session"
            records.append(
                milestone(
                    key,
                    title,
                    row["start"],
                    end_date=row["end"],
                    place=row["place"],
                    kind="working-group-session",
                    sources=[url.strip() for url in row["source"].split(";") if url.strip()],
                )
            )
    records.append(
        milestone(
            "oewg-final-report",
            f"{OEWG} adopts its final report (A/80/257)",
            "2025-07-11",
            place="New York",
            note="Adopted at the eleventh substantive session; endorsed by the General "
            "Assembly in resolution 80/16.",
            sources=["A/80/257", "A/RES/80/16"],
        )
    )
    return records


def follow_up_records() -> list[dict]:
    """What operative paragraphs 4, 6 and 7 of the seed ask for, each tied to its paragraph."""
    asks = [
        (
            "op4",
            "working-group",
            "The open-ended working group 2021–2025",
            "Supports the open-ended working group on security of and in the use of ICTs "
            "2021–2025 and its mandate under resolution 75/240: follow its sessions and take "
            "part in them.",
        ),
        (
            "op6",
            "views-to-secretary-general",
            "Views to the Secretary-General",
            "Invites every Member State to keep informing the Secretary-General of its views "
            "and assessments on (a) its national efforts to strengthen information security "
            "and promote international cooperation, and (b) the content of the concepts in "
            "the reports of the Open-ended Working Group and the Group of Governmental Experts.",
        ),
        (
            "op7",
            "next-session-agenda",
            "The item on the agenda of the seventy-seventh session",
            "Includes the item in the provisional agenda of the seventy-seventh session: "
            "prepare for its consideration there.",
        ),
    ]
    return [
        {
            "model": "resolutions.followup",
            "fields": {
                "agenda_item": [AGENDA_SLUG],
                "key": key,
                "paragraph": [SEED_SYMBOL, label],
                "title": title,
                "asks": text,
                "order": order,
            },
        }
        for order, (label, key, title, text) in enumerate(asks, start=1)
    ]


def seed_document_records(text: str, states: list[dict]) -> list[dict]:
    """The seed draft as fixture records, mapped by ``importing.document_rows`` exactly as
    the importer maps a text to rows, with natural keys in place of ids."""
    parsed = parse_resolution(text, symbol=SEED_SYMBOL)
    rows = document_rows(parsed)
    name_to_state = {}
    for record in states:
        for name in [record["fields"]["name"], *record["fields"]["aliases"]]:
            name_to_state[name] = record["fields"]["name"]
    key = [SEED_SYMBOL]
    records: list[dict] = [
        {
            "model": "resolutions.document",
            "fields": {
                "symbol": SEED_SYMBOL,
                # loaddata saves raw, past Document.save(), so the slug is written here.
                "slug": slug_for_symbol(SEED_SYMBOL),
                "kind": rows.document["kind"],
                "title": rows.document["title"],
                "date": rows.document["date"].isoformat(),
                "session": rows.document["session"],
                "committee": rows.document["committee"],
                "distribution": rows.document["distribution"],
                "original_language": rows.document["original_language"],
                "adoption": rows.document["adoption"],
                "committee_report": rows.document["committee_report"],
                "closing": rows.document["closing"],
                "adopted_on": (
                    rows.document["adopted_on"].isoformat() if rows.document["adopted_on"] else None
                ),
                "sponsors_note": rows.document["sponsors_note"],
                "agenda_listing": [AGENDA_SLUG, rows.document["session"]],
                "revision_of": None,
                "status_note": (
                    "Approved by the First Committee without a vote on 3 November 2021 "
                    "(press release GA/DIS/3678). The General Assembly adopted resolution 76/19 "
                    "without a vote on 6 December 2021; that it is this draft is reported, not "
                    "stated in a UN document."
                ),
            },
        },
        {
            "model": "resolutions.sponsorlist",
            "fields": {
                "document": key,
                "label": "As printed",
                "as_of": rows.document["date"].isoformat(),
                "source": SEED_SYMBOL,
            },
        },
    ]
    for position, name in enumerate(rows.sponsors, start=1):
        records.append(
            {
                "model": "resolutions.sponsorship",
                "fields": {
                    "sponsor_list": [*key, "As printed"],
                    "state": [name_to_state[name]],
                    "position": position,
                    "name_as_printed": name,
                },
            }
        )
    for row in rows.paragraphs:
        records.append(
            {
                "model": "resolutions.paragraph",
                "fields": {
                    "document": key,
                    "part": row["part"],
                    "label": row["label"],
                    "number": row["number"],
                    "order": row["order"],
                    "parent": [*key, row["parent_label"]] if row["parent_label"] else None,
                    "lead": row["lead"],
                    "text": row["text"],
                    "headings": row["headings"],
                },
            }
        )
    records += [
        citation_record(key, row) for row in rows.citations if row["footnote_number"] is None
    ]
    for row in rows.footnotes:
        records.append(
            {
                "model": "resolutions.footnote",
                "fields": {
                    "document": key,
                    "paragraph": [*key, row["paragraph_label"]],
                    "number": row["number"],
                    "position": row["position"],
                    "text": row["text"],
                },
            }
        )
        records += [
            citation_record(key, citation)
            for citation in rows.citations
            if citation["footnote_number"] == row["number"]
        ]
    return records


def citation_record(key, row: dict) -> dict:
    return {
        "model": "resolutions.citation",
        "fields": {
            "paragraph": [*key, row["paragraph_label"]],
            "footnote": [*key, row["footnote_number"]] if row["footnote_number"] else None,
            "kind": row["kind"],
            "text": row["text"],
            "symbol": row["symbol"],
            "start": row["start"],
            "end": row["end"],
        },
    }
