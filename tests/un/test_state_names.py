"""Tests for matching Member State names and reading pasted sponsor lists (no database)."""

import csv
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolutions.un.reference import MEMBER_STATES_CSV, SEED_TEXT
from resolutions.un.state_names import (
    CLOSE_NAME_RATIO,
    MAX_PASTED_CHARACTERS,
    MAX_PASTED_NAMES,
    MatchedName,
    PastedListError,
    StateNameMatcher,
    match_pasted_list,
    normalise_name,
    reading_order_key,
    split_sponsor_list,
)

SEED_DOCUMENT = SEED_TEXT

with MEMBER_STATES_CSV.open(newline="", encoding="utf-8") as csv_file:
    MEMBER_STATES = list(csv.DictReader(csv_file))
OFFICIAL_NAMES = [(row["name"], row["iso3"]) for row in MEMBER_STATES]
ALIASES = [
    (alias.strip(), row["iso3"])
    for row in MEMBER_STATES
    for alias in row["alt_names"].split(";")
    if alias.strip()
]
MATCHER = StateNameMatcher.from_csv(MEMBER_STATES_CSV)

NAMES_WITH_AND = [
    "Antigua and Barbuda",
    "Bosnia and Herzegovina",
    "Saint Kitts and Nevis",
    "Saint Vincent and the Grenadines",
    "Sao Tome and Principe",
    "Trinidad and Tobago",
    "United Kingdom of Great Britain and Northern Ireland",
]

TOO_LONG_MESSAGE = (
    "The pasted list is longer than 20,000 characters; paste one document's list at a time."
)
TOO_MANY_MESSAGE = "The pasted list has more than 400 names; paste one document's list at a time."
EMPTY_MESSAGE = "Paste a sponsor list to compare: names separated by commas, or one per line."


def seed_sponsor_sentence() -> str:
    lines = SEED_DOCUMENT.read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line.rstrip().endswith(": draft resolution"))


# Matching names


def test_the_member_states_list_has_193_states():
    assert len(MATCHER) == 193
    assert len(MEMBER_STATES) == 193


@pytest.mark.parametrize(("name", "iso3"), OFFICIAL_NAMES, ids=[n for n, _ in OFFICIAL_NAMES])
def test_every_official_name_matches_its_state(name, iso3):
    assert MATCHER.match(name) == iso3


@pytest.mark.parametrize(("alias", "iso3"), ALIASES, ids=[a for a, _ in ALIASES])
def test_every_alias_matches_its_state(alias, iso3):
    assert MATCHER.match(alias) == iso3


def test_no_name_in_the_member_states_list_is_claimed_by_two_states():
    assert MATCHER.conflicts == []


def test_normalise_name_ignores_case_and_accents():
    assert normalise_name("Türkiye") == normalise_name("turkiye") == "turkiye"
    assert normalise_name("Côte d'Ivoire") == normalise_name("cote d'ivoire")
    assert normalise_name("SAO TOMÉ AND PRÍNCIPE") == "sao tome and principe"


def test_normalise_name_unifies_apostrophes_and_quotes():
    spellings = ["Côte d'Ivoire", "Côte d’Ivoire", "Côte d‘Ivoire", "Côte d`Ivoire", "Cote dIvoire"]
    assert {normalise_name(spelling) for spelling in spellings} == {"cote divoire"}
    assert normalise_name('"Chad"') == "chad"


def test_normalise_name_folds_hyphens_punctuation_and_whitespace():
    assert normalise_name("Guinea-Bissau") == "guinea bissau"
    assert normalise_name("Timor–Leste") == "timor leste"
    assert normalise_name("  Papua   New\tGuinea ") == "papua new guinea"
    assert normalise_name("St. Lucia") == normalise_name("Saint Lucia")
    assert normalise_name("Trinidad & Tobago") == normalise_name("Trinidad and Tobago")


def test_normalise_name_drops_a_leading_or_trailing_the():
    assert normalise_name("The Gambia") == "gambia"
    assert normalise_name("Gambia (the)") == "gambia"
    assert normalise_name("Gambia, The") == "gambia"
    assert normalise_name("the Netherlands") == "netherlands"


def test_normalise_name_puts_iso_style_names_in_reading_order():
    assert normalise_name("Korea (the Republic of)") == normalise_name("Republic of Korea")
    assert normalise_name("Korea, Republic of") == normalise_name("Republic of Korea")
    assert normalise_name("Congo (the Democratic Republic of the)") == normalise_name(
        "Democratic Republic of the Congo"
    )
    assert normalise_name("Venezuela, Bolivarian Republic of") == normalise_name(
        "Venezuela (Bolivarian Republic of)"
    )
    assert normalise_name("Netherlands (Kingdom of the)") == "kingdom of the netherlands"


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("TÜRKIYE", "TUR"),
        ("turkiye", "TUR"),
        ("cote d'ivoire", "CIV"),
        ("CÔTE D’IVOIRE", "CIV"),
        ("the Netherlands", "NLD"),
        ("The Bahamas", "BHS"),
        ("Bahamas, The", "BHS"),
        ("the Gambia", "GMB"),
        ("Korea, Republic of", "KOR"),
        ("Tanzania, United Republic of", "TZA"),
        ("Venezuela, Bolivarian Republic of", "VEN"),
        ("Islamic Republic of Iran", "IRN"),
        ("Guinea Bissau", "GNB"),
        ("GuineaBissau", "GNB"),
        ("Timor Leste", "TLS"),
        ("St Vincent & the Grenadines", "VCT"),
    ],
)
def test_match_ignores_case_accents_the_and_punctuation(name, iso3):
    assert MATCHER.match(name) == iso3


@pytest.mark.parametrize(
    ("name", "iso3"),
    [("Cote dIvoire", "CIV"), ("Cote d Ivoire", "CIV"), ("Viet nam", "VNM"), ("Vietnam", "VNM")],
)
def test_near_misses_that_differ_only_in_spacing_or_apostrophes_match(name, iso3):
    assert MATCHER.match(name) == iso3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Austrailia", "Australia"),
        ("Untied States", "United States of America"),
        ("Moldova Republic", "Republic of Moldova"),
        ("Gambia (Republic of The)", "Gambia"),
        ("Frnace", "France"),
        ("Democratic Republic of Congo", "Democratic Republic of the Congo"),
        ("Guinea Equatorial", "Equatorial Guinea"),
        ("the former Yugoslav Republic of Macedonia", "North Macedonia"),
        ("Russia Federation", "Russian Federation"),
        ("Tanzania United Republic", "United Republic of Tanzania"),
        ("Dominca", "Dominica"),
        ("Bahama", "Bahamas"),
    ],
)
def test_near_misses_suggest_the_right_state_first(name, expected):
    assert MATCHER.match(name) is None
    assert MATCHER.suggest(name)[0] == expected


def test_suggest_ranks_the_exact_state_first_for_a_name_that_matches():
    assert MATCHER.suggest("United Kingdom")[0] == (
        "United Kingdom of Great Britain and Northern Ireland"
    )
    assert MATCHER.suggest("Niger")[:2] == ["Niger", "Nigeria"]


def test_suggest_gives_each_state_once_and_no_more_than_the_limit():
    # "Korea" is in the official name and in the aliases of both Koreas.
    suggestions = MATCHER.suggest("Korea", limit=5)
    assert len(suggestions) == len(set(suggestions)) <= 5
    assert set(suggestions[:2]) == {"Republic of Korea", "Democratic People's Republic of Korea"}
    assert len(MATCHER.suggest("Guinea", limit=2)) == 2
    assert MATCHER.suggest("Guinea", limit=0) == []


def test_suggest_gives_nothing_for_a_name_like_no_state():
    assert MATCHER.suggest("xyz") == []
    assert MATCHER.suggest("") == []
    assert MATCHER.suggest("!!!") == []


def test_official_name_of_a_key():
    assert MATCHER.official_name("TUR") == "Türkiye"
    assert MATCHER.official_name("NLD") == "Netherlands (Kingdom of the)"


def test_official_name_of_an_unknown_key_raises_key_error():
    with pytest.raises(KeyError):
        MATCHER.official_name("XXX")


def test_an_alias_claimed_by_two_states_matches_neither():
    matcher = StateNameMatcher(
        [("AAA", "Alphaland", ["Land"]), ("BBB", "Betaland", ["Land"]), ("CCC", "Gamma", [])]
    )
    assert matcher.match("Land") is None
    assert matcher.conflicts == ["Land"]
    assert matcher.match("Alphaland") == "AAA"


def test_an_official_name_wins_over_another_states_alias():
    matcher = StateNameMatcher([("AAA", "Alphaland", ["Betaland"]), ("BBB", "Betaland", [])])
    assert matcher.match("Betaland") == "BBB"
    assert matcher.conflicts == ["Betaland"]


def test_a_key_listed_twice_is_refused():
    with pytest.raises(ValueError, match="listed twice"):
        StateNameMatcher([("AAA", "Alphaland", []), ("AAA", "Betaland", [])])


# Splitting what a delegate pastes


def test_split_reads_a_sponsor_sentence_and_drops_the_document_kind():
    text = "Australia, Austria, Belgium and Zimbabwe: draft resolution"
    assert split_sponsor_list(text) == ["Australia", "Austria", "Belgium", "Zimbabwe"]


def test_split_drops_everything_after_the_colon_of_a_revised_draft():
    text = (
        "France, Chad and Mali: revised draft resolution\n"
        "Developments in the field of information and telecommunications"
    )
    assert split_sponsor_list(text) == ["France", "Chad", "Mali"]


def test_split_reads_a_sentence_wrapped_over_several_lines():
    text = "Australia, Austria,\nBelgium, Brazil and\nZimbabwe: draft resolution"
    assert split_sponsor_list(text) == ["Australia", "Austria", "Belgium", "Brazil", "Zimbabwe"]


def test_split_reads_one_name_per_line_with_bullets_numbers_and_trailing_commas():
    text = "1. France\n2) Chad,\n\n- Mali;\n• Peru\n* Fiji\n  Japan  \n"
    assert split_sponsor_list(text) == ["France", "Chad", "Mali", "Peru", "Fiji", "Japan"]


def test_split_reads_semicolon_separated_names():
    text = "France; Korea, Republic of; United Kingdom of Great Britain and Northern Ireland;"
    assert split_sponsor_list(text, MATCHER.known_names) == [
        "France",
        "Korea, Republic of",
        "United Kingdom of Great Britain and Northern Ireland",
    ]


def test_split_keeps_what_follows_a_sponsors_label():
    assert split_sponsor_list("Sponsors: France, Chad, and Mali.") == ["France", "Chad", "Mali"]
    assert split_sponsor_list("Co-sponsors:\nFrance\nChad") == ["France", "Chad"]


@pytest.mark.parametrize("name", NAMES_WITH_AND)
@pytest.mark.parametrize("known_names", [None, MATCHER.known_names], ids=["builtin", "matcher"])
def test_split_keeps_names_with_and_whole(name, known_names):
    assert split_sponsor_list(name, known_names) == [name]
    assert split_sponsor_list(f"Austria, {name} and Zimbabwe", known_names) == [
        "Austria",
        name,
        "Zimbabwe",
    ]
    assert split_sponsor_list(f"Austria, Zimbabwe and {name}", known_names) == [
        "Austria",
        "Zimbabwe",
        name,
    ]
    assert split_sponsor_list(f"{name}, Austria and Chad", known_names) == [name, "Austria", "Chad"]
    assert split_sponsor_list(f"1. Chad\n2. {name}\n", known_names) == ["Chad", name]


def test_split_keeps_two_names_with_and_joined_by_and_apart():
    text = "Sao Tome and Principe and Saint Kitts and Nevis"
    assert split_sponsor_list(text) == ["Sao Tome and Principe", "Saint Kitts and Nevis"]
    assert split_sponsor_list("St. Kitts and Nevis and St. Lucia", MATCHER.known_names) == [
        "St. Kitts and Nevis",
        "St. Lucia",
    ]


def test_split_keeps_iso_style_inverted_names_whole():
    text = "Venezuela, Bolivarian Republic of\nBahamas, The\nTanzania, United Republic of\nChad"
    assert split_sponsor_list(text) == [
        "Venezuela, Bolivarian Republic of",
        "Bahamas, The",
        "Tanzania, United Republic of",
        "Chad",
    ]


def test_split_keeps_a_known_name_with_a_comma_whole():
    text = "Micronesia, Fed. Sts., Chad"
    assert split_sponsor_list(text, MATCHER.known_names) == ["Micronesia, Fed. Sts", "Chad"]


def test_split_splits_unknown_names_joined_by_and():
    assert split_sponsor_list("Franse and Germny") == ["Franse", "Germny"]


def test_split_drops_empty_names():
    assert split_sponsor_list("France,, ;\n\n , and Chad") == ["France", "Chad"]
    assert split_sponsor_list("  \n ,;, and ") == []


# Matching a pasted list


def test_the_seed_sponsor_sentence_matches_55_states_with_none_unknown():
    result = match_pasted_list(seed_sponsor_sentence(), MATCHER)
    assert len(result.matched) == 55
    assert result.unknown == []
    assert result.duplicates == []
    assert result.keys[:3] == ["AUS", "AUT", "BEL"]
    assert result.keys[-2:] == ["UZB", "ZWE"]
    # The 2021 document writes "Netherlands", today's list "Netherlands (Kingdom of the)".
    assert MatchedName("Netherlands", "NLD") in result.matched
    assert MatchedName("United Kingdom of Great Britain and Northern Ireland", "GBR") in (
        result.matched
    )


def test_one_name_per_line_is_matched_in_the_order_given():
    result = match_pasted_list("Türkiye\nNetherlands\nCôte d’Ivoire\nRepublic of Korea", MATCHER)
    assert result.matched == [
        MatchedName("Türkiye", "TUR"),
        MatchedName("Netherlands", "NLD"),
        MatchedName("Côte d’Ivoire", "CIV"),
        MatchedName("Republic of Korea", "KOR"),
    ]
    assert result.unknown == []


def test_a_name_given_three_times_is_matched_once_and_reported_once():
    result = match_pasted_list("France, Chad, France, Mali and France", MATCHER)
    assert result.keys == ["FRA", "TCD", "MLI"]
    assert result.duplicates == ["France"]


def test_two_spellings_of_the_same_state_are_duplicates():
    result = match_pasted_list("Turkey, Chad, Türkiye, Czech Republic and Czechia", MATCHER)
    assert result.matched == [
        MatchedName("Turkey", "TUR"),
        MatchedName("Chad", "TCD"),
        MatchedName("Czech Republic", "CZE"),
    ]
    assert result.duplicates == ["Turkey", "Czech Republic"]


def test_unknown_names_are_listed_with_suggestions_in_the_order_given():
    result = match_pasted_list("Austrailia, France, Narnia and Untied States", MATCHER)
    assert result.keys == ["FRA"]
    assert [unknown.name_as_given for unknown in result.unknown] == [
        "Austrailia",
        "Narnia",
        "Untied States",
    ]
    assert result.unknown[0].suggestions[0] == "Australia"
    assert result.unknown[2].suggestions[0] == "United States of America"


def test_an_unknown_name_given_twice_is_listed_once_and_reported_as_a_duplicate():
    result = match_pasted_list("Narnia, Chad, narnia", MATCHER)
    assert [unknown.name_as_given for unknown in result.unknown] == ["Narnia"]
    assert result.duplicates == ["Narnia"]


def test_a_paste_longer_than_the_limit_is_refused():
    text = "France, " * (MAX_PASTED_CHARACTERS // 8 + 1)
    with pytest.raises(PastedListError) as error:
        match_pasted_list(text, MATCHER)
    assert str(error.value) == TOO_LONG_MESSAGE


def test_a_paste_of_exactly_the_character_limit_is_read():
    text = "Chad" + " " * (MAX_PASTED_CHARACTERS - 4)
    assert match_pasted_list(text, MATCHER).keys == ["TCD"]


def test_a_paste_with_more_names_than_the_limit_is_refused():
    with pytest.raises(PastedListError) as error:
        match_pasted_list("Chad\n" * (MAX_PASTED_NAMES + 1), MATCHER)
    assert str(error.value) == TOO_MANY_MESSAGE


def test_a_paste_of_exactly_the_name_limit_is_read():
    result = match_pasted_list("Chad\n" * MAX_PASTED_NAMES, MATCHER)
    assert result.keys == ["TCD"]
    assert len(result.names_given) == MAX_PASTED_NAMES


@pytest.mark.parametrize("text", ["", "   \n\t ", ",, ;;", ": draft resolution", "1.\n2.\n"])
def test_an_empty_paste_is_refused(text):
    with pytest.raises(PastedListError) as error:
        match_pasted_list(text, MATCHER)
    assert str(error.value) == EMPTY_MESSAGE


def test_pasted_list_error_is_a_value_error():
    assert issubclass(PastedListError, ValueError)


# Whatever is pasted


def _identity(name: str) -> tuple[str, str]:
    key = MATCHER.match(name)
    return ("state", key) if key else ("unknown", normalise_name(name) or name)


_NAME_LIKE = st.sampled_from(
    [name for name, _ in OFFICIAL_NAMES] + [alias for alias, _ in ALIASES] + ["Narnia", "Frnace"]
)
_SEPARATORS = st.sampled_from(
    [", ", " and ", "\n", "; ", "\n- ", "\n3. ", ",\n", " ", ": draft resolution\n", ": "]
)
_PASTES = st.one_of(
    st.text(max_size=200),
    st.lists(st.tuples(_NAME_LIKE | st.text(max_size=12), _SEPARATORS), max_size=20).map(
        lambda items: "".join(name + separator for name, separator in items)
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PASTES)
def test_split_never_crashes_and_gives_stripped_non_empty_names(text):
    for name in split_sponsor_list(text, MATCHER.known_names):
        assert name
        assert name == name.strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PASTES)
def test_every_pasted_name_is_matched_unknown_or_a_duplicate(text):
    try:
        result = match_pasted_list(text, MATCHER)
    except PastedListError:
        assert not split_sponsor_list(text, MATCHER.known_names)
        return
    given_names = result.names_given
    assert given_names == split_sponsor_list(text, MATCHER.known_names)
    counts = Counter(_identity(name) for name in given_names)
    first_given = {}
    for name in given_names:
        first_given.setdefault(_identity(name), name)

    listed = [MatchedName(n.name_as_given, n.key) for n in result.matched] + [
        MatchedName(n.name_as_given, "") for n in result.unknown
    ]
    listed_identities = [_identity(item.name_as_given) for item in listed]
    assert sorted(listed_identities) == sorted(counts)
    assert all(first_given[_identity(item.name_as_given)] == item.name_as_given for item in listed)
    assert all(_identity(n.name_as_given) == ("state", n.key) for n in result.matched)
    repeated = {identity for identity, count in counts.items() if count > 1}
    assert sorted(_identity(name) for name in result.duplicates) == sorted(repeated)


def test_suggest_copes_with_a_name_made_of_filler_words():
    assert MATCHER.suggest("and and") == MATCHER.suggest("AND/AND")
    assert isinstance(MATCHER.suggest("the of"), list)


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("UK", "GBR"),
        ("Great Britain", "GBR"),
        ("USA", "USA"),
        ("U.S.", "USA"),
        ("Russia", "RUS"),
        ("Brunei", "BRN"),
        ("Cape Verde", "CPV"),
        ("Ivory Coast", "CIV"),
        ("Holland", "NLD"),
        ("DPRK", "PRK"),
    ],
)
def test_everyday_names_and_abbreviations_match(name, iso3):
    assert MATCHER.match(name) == iso3


def test_everyday_names_never_take_an_official_name_away():
    # "Guinea" is a state of its own, not a short form of Equatorial Guinea or Guinea-Bissau.
    assert MATCHER.match("Guinea") == "GIN"
    assert MATCHER.match("Niger") == "NER"
    assert MATCHER.conflicts == []


# "Did you mean ...?" only for a close name ---------------------------------------------


@pytest.mark.parametrize(
    ("name", "close"),
    [
        ("Atlantis", []),
        ("Narnia", []),
        ("Columbia", ["Colombia"]),
        ("Phillipines", ["Philippines"]),
        ("Austrailia", ["Australia"]),
        ("Guinea Equatorial", ["Equatorial Guinea"]),
        ("Moldova Republic", ["Republic of Moldova"]),
    ],
)
def test_only_close_names_are_offered_as_did_you_mean(name, close):
    assert MATCHER.match(name) is None
    assert MATCHER.close_suggestions(name) == close


def test_the_threshold_sits_between_a_misspelling_and_a_made_up_name():
    assert MATCHER.closeness("Columbia", "COL") >= CLOSE_NAME_RATIO
    assert MATCHER.closeness("Phillipines", "PHL") >= CLOSE_NAME_RATIO
    assert MATCHER.closeness("Atlantis", "ALB") < CLOSE_NAME_RATIO
    assert MATCHER.closeness("Narnia", "ARM") < CLOSE_NAME_RATIO


def test_another_form_of_a_name_is_matched_not_suggested():
    result = match_pasted_list("Turkey, Atlantis, Columbia", MATCHER)
    assert result.keys == ["TUR"]
    assert not MATCHER.is_official_form("Turkey", "TUR")
    assert MATCHER.is_official_form("Turkiye", "TUR")
    assert [(u.name_as_given, u.suggestions) for u in result.unknown] == [
        ("Atlantis", []),
        ("Columbia", ["Colombia"]),
    ]


def test_names_sort_as_a_reader_expects_whatever_the_accents():
    names = ["Turkmenistan", "Türkiye", "Croatia", "Côte d'Ivoire", "Czechia"]
    assert sorted(names, key=reading_order_key) == [
        "Côte d'Ivoire",
        "Croatia",
        "Czechia",
        "Türkiye",
        "Turkmenistan",
    ]
