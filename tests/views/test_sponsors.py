"""Sponsors of a document by regional group and M49 region, with their JSON and CSV twins,
the lobbying list, and later lists recorded by editors."""

import csv
import datetime
import io
import json

import pytest

from resolutions.models import SponsorList, Sponsorship
from resolutions.pages.sponsors import sponsor_overview
from tests.conftest import SEED_SLUG
from tests.factories import make_delegate

PAGE = f"/documents/{SEED_SLUG}/sponsors/"
JSON_URL = f"/documents/{SEED_SLUG}/sponsors.json"


def sponsors_json(client, query=""):
    response = client.get(JSON_URL + query)
    return response.status_code, json.loads(response.content)


def test_the_seed_sponsors_by_regional_group(seed_document):
    shares = {s.key: (s.sponsors, s.members) for s in sponsor_overview(seed_document).group_shares}
    assert shares == {
        "weog": (21, 29),
        "eastern-european": (14, 23),
        "african": (9, 54),
        "latin-american-caribbean": (6, 33),
        "asia-pacific": (5, 54),
    }


def test_json_lists_the_sponsors_in_document_order(client, db):
    status, data = sponsors_json(client)
    assert status == 200
    assert data["document"] == "A/C.1/76/L.13"
    assert len(data["sponsors"]) == 55
    first, netherlands = data["sponsors"][0], data["sponsors"][32]
    assert first == {
        "name_as_printed": "Australia",
        "name": "Australia",
        "iso3": "AUS",
        "regional_group": "weog",
        "m49_region": "Oceania",
        "joined_on": "2021-10-08",
    }
    assert netherlands["name_as_printed"] == "Netherlands"
    assert netherlands["name"] == "Netherlands (Kingdom of the)"
    assert data["sponsors"][-1]["iso3"] == "ZWE"


@pytest.mark.parametrize(
    ("group", "count"),
    [
        ("weog", 21),
        ("eastern-european", 14),
        ("african", 9),
        ("latin-american-caribbean", 6),
        ("asia-pacific", 5),
    ],
)
def test_filter_by_group(client, db, group, count):
    _, data = sponsors_json(client, f"?group={group}")
    assert len(data["sponsors"]) == count
    assert {s["regional_group"] for s in data["sponsors"]} == {group}


def test_the_united_states_counts_in_weog_marked_observer(client, db):
    _, data = sponsors_json(client, "?group=weog")
    assert "USA" in [s["iso3"] for s in data["sponsors"]]
    html = client.get(PAGE + "?group=weog").content.decode()
    assert "observer" in html


def test_filter_by_m49_region_and_subregion(client, db):
    _, europe = sponsors_json(client, "?region=Europe")
    assert len(europe["sponsors"]) == 33
    _, africa = sponsors_json(client, "?region=sub-saharan%20africa")
    assert {s["iso3"] for s in africa["sponsors"]} >= {"NGA", "ZAF", "ZWE"}
    _, both = sponsors_json(client, "?group=weog&region=Oceania")
    assert [s["iso3"] for s in both["sponsors"]] == ["AUS"]


def test_unknown_group_shows_a_message_and_the_whole_list(client, db):
    response = client.get(PAGE + "?group=nordic")
    assert response.status_code == 200
    html = response.content.decode()
    assert "“nordic” is not a UN regional group" in html
    assert "55 of 55 sponsors" in html


def test_unknown_region_in_json_is_a_400_with_a_message(client, db):
    status, data = sponsors_json(client, "?region=Atlantis")
    assert status == 400
    assert "Atlantis" in data["error"]


def test_htmx_filter_returns_only_the_table(client, db):
    response = client.get(PAGE + "?group=african", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="sponsor-table">')
    assert "9 of 55 sponsors" in html
    assert "<html" not in html
    full = client.get(PAGE + "?group=african").content.decode()
    assert "<html" in full
    assert "9 of 55 sponsors" in full


def test_page_shows_group_table_chart_and_lobbying_list(client, db):
    html = client.get(PAGE).content.decode()
    assert '<svg class="share-chart" role="img"' in html
    assert "21 of 29 (72%)" in html
    assert "Not sponsoring" in html
    # Asia-Pacific: 54 members, 5 sponsors, 49 to lobby.
    assert "Asia-Pacific States: 49</h3>" in html
    assert "Viet Nam" in html


def test_csv_export_applies_the_filters(client, db):
    response = client.get(f"/documents/{SEED_SLUG}/sponsors.csv?group=asia-pacific")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("position,name_as_printed,name,iso3")
    assert len(lines) == 1 + 5
    assert any(",JPN," in line for line in lines)


def test_sponsors_page_query_count_is_fixed(client, db, django_assert_num_queries):
    with django_assert_num_queries(4):
        client.get(PAGE + "?group=weog&region=Europe")


# Later lists ---------------------------------------------------------------------------


@pytest.fixture
def editor(db):
    return make_delegate("ed", "Japan", editor=True)


def record(client, **data):
    fields = {
        "label": "Additional sponsors at action",
        "as_of": "2021-11-03",
        "source": "A/C.1/76/PV.25",
        "names": "Chile, Turkey and Viet Nam",
        "additional": "on",
    }
    fields.update(data)
    return client.post(f"/documents/{SEED_SLUG}/sponsors/lists/new/", fields)


def test_an_editor_records_additional_sponsors_and_they_show_when_they_joined(client, editor):
    client.force_login(editor)
    assert record(client).status_code == 302
    _, data = sponsors_json(client)
    assert len(data["sponsors"]) == 58
    by_iso3 = {s["iso3"]: s for s in data["sponsors"]}
    assert by_iso3["TUR"]["joined_on"] == "2021-11-03"
    assert by_iso3["TUR"]["name_as_printed"] == "Turkey"
    assert by_iso3["AUS"]["joined_on"] == "2021-10-08"
    # The printed list is kept as it was.
    printed = SponsorList.objects.get(document__slug=SEED_SLUG, label="As printed")
    assert printed.sponsorships.count() == 55


def test_unknown_names_are_refused_with_suggestions_and_nothing_is_recorded(client, editor):
    client.force_login(editor)
    response = record(client, names="Chile, Austrailia")
    assert response.status_code == 400
    html = response.content.decode()
    assert "“Austrailia” (did you mean Australia" in html
    assert not SponsorList.objects.filter(label="Additional sponsors at action").exists()


def test_a_duplicate_label_or_bad_date_is_refused(client, editor):
    client.force_login(editor)
    assert (
        "already has a sponsor list called" in record(client, label="As printed").content.decode()
    )
    assert "YYYY-MM-DD" in record(client, as_of="3 Nov").content.decode()


def test_only_editors_record_lists(client, db):
    delegate = make_delegate("lars", "Norway")
    assert record(client).status_code == 302  # anonymous: to the login page
    client.force_login(delegate)
    assert record(client).status_code == 403
    assert SponsorList.objects.count() == 1


def test_joined_on_uses_the_first_list_a_state_appears_on(seed_document, editor):
    from resolutions.services import sponsor_list_record

    sponsor_list_record(
        document=seed_document,
        label="Rev",
        as_of=datetime.date(2021, 10, 20),
        source="",
        names=[("Chile", "CHL")],
        additional=True,
    )
    rows = {row.state.iso3: row for row in sponsor_overview(seed_document).rows}
    assert rows["CHL"].joined_on == datetime.date(2021, 10, 20)
    assert rows["NOR"].joined_on == datetime.date(2021, 10, 8)


def test_a_document_without_sponsors_says_so_instead_of_showing_empty_shares(client, db):
    from tests.factories import make_document

    document = make_document(symbol="A/RES/80/99", kind="resolution")
    html = client.get(f"/documents/{document.slug}/sponsors/").content.decode()
    assert "A/RES/80/99 lists no sponsors: adopted resolutions do not print a sponsor list" in html
    assert "Not sponsoring" not in html


def test_csv_export_shows_a_name_that_starts_like_a_formula_as_text(client, db):
    """A name as printed is kept as the list gave it (an editor may record it in the
    admin): in the CSV, a spreadsheet must not run it."""
    sponsorship = Sponsorship.objects.filter(
        sponsor_list__document__slug=SEED_SLUG, state__iso3="JPN"
    ).get()
    sponsorship.name_as_printed = '=HYPERLINK("http://example.org","Japan")'
    sponsorship.save()
    response = client.get(f"/documents/{SEED_SLUG}/sponsors.csv?group=asia-pacific")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    japan = next(row for row in rows if row[3] == "JPN")
    assert japan[1] == '\'=HYPERLINK("http://example.org","Japan")'


# The lobbying list under a group filter ------------------------------------------------


def test_with_a_group_filter_that_groups_non_sponsors_come_first(client, db):
    html = client.get(PAGE + "?group=african").content.decode()
    lobbying = html[html.index('id="missing-heading"') :]
    # African States: 54 members, 9 sponsor, 45 to talk to; then the other groups as usual.
    assert lobbying.index("African States: 45</h3>") < lobbying.index("Then the other")
    assert lobbying.index("Then the other") < lobbying.index("Asia-Pacific States: 49</h3>")
    assert lobbying.index("Asia-Pacific States") < lobbying.index("Eastern European States")
    unfiltered = client.get(PAGE).content.decode()
    assert "Then the other regional groups" not in unfiltered


def test_json_gains_the_lobbying_list_with_the_filtered_group_first(client, db):
    _, data = sponsors_json(client, "?group=latin-american-caribbean")
    assert set(data) >= {"document", "sponsors_note", "sponsors", "not_sponsoring"}
    groups = [entry["regional_group"] for entry in data["not_sponsoring"]]
    assert groups[0] == "latin-american-caribbean"
    assert len(groups) == 5
    first = data["not_sponsoring"][0]
    assert len(first["states"]) == 33 - 6
    assert {"name": "Viet Nam", "iso3": "VNM"} not in first["states"]
    _, unfiltered = sponsors_json(client)
    assert [e["regional_group"] for e in unfiltered["not_sponsoring"]][0] == "african"


def test_htmx_filter_also_reorders_the_lobbying_list(client, db):
    response = client.get(PAGE + "?group=weog", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    oob = html[html.index('id="not-sponsoring"') :]
    assert 'hx-swap-oob="true"' in oob[:200]
    assert oob.index("Western European and other States: 8</h3>") < oob.index("African States")
    full = client.get(PAGE + "?group=weog").content.decode()
    assert "hx-swap-oob" not in full
