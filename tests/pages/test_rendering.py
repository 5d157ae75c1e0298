"""Document text becomes markup in one place, and it escapes everything it does not build."""

import datetime as dt

from django.template import Context, Template
from django.template.defaultfilters import linebreaksbr, urlize
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from resolutions.rendering import Link, Marker, _time_element, linked_text, render_text


def test_text_is_escaped():
    html = render_text('Noting <script>alert("x")</script> & more')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; more" in html


def test_opening_phrase_is_italic():
    assert render_text("Decides to act;", lead="Decides") == (
        '<em class="lead">Decides</em> to act;'
    )


def test_citation_becomes_a_link_to_undocs():
    text = "resolution 75/240;"
    html = render_text(
        text, links=[Link(11, 17, "https://undocs.org/A/RES/75/240", "A/RES/75/240")]
    )
    assert '<a class="citation" href="https://undocs.org/A/RES/75/240"' in html
    assert ">75/240</a>;" in html


def test_marker_stands_where_the_footnote_was():
    html = render_text("Security,", markers=[Marker(9, 1)])
    assert html.startswith("Security,<sup")
    assert 'id="fnref1" href="#fn1"' in html


def test_overlapping_link_is_left_as_text():
    text = "Recalling 75/240"
    html = render_text(
        text,
        lead="Recalling",
        links=[Link(5, 12, "https://undocs.org/x", "x"), Link(10, 16, "https://undocs.org/y", "y")],
    )
    assert "undocs.org/x" not in html
    assert "undocs.org/y" in html


def test_marker_inside_a_link_moves_after_it():
    html = render_text("see 75/240 now", links=[Link(4, 10, "u", "s")], markers=[Marker(6, 2)])
    assert html.index("</a>") < html.index("<sup")


# Words made of the pieces from which ``urlize`` makes links, and what stands between them.
WORDS = st.lists(
    st.sampled_from(
        ["ab", "x", "www.", ".com", ".org", ".gov", ".int", "@", ".", ":", "/", "//", "http"]
        + ["https://", "<", ">", "&", '"', "'", "(", ")", "mil", "net", "edu"]
    ),
    min_size=1,
    max_size=5,
).map("".join)
TEXTS = st.lists(
    st.tuples(WORDS, st.sampled_from([" ", "\n", "\r\n", ", ", "\t"])).map("".join),
    max_size=8,
).map("".join)


@given(TEXTS)
@example("Mail ab@example.xy.")
@example("See ab.org, then")
@example("See AB.GOV/x")
@example("See ab.mil.")
@example("See ab.int")
@example("See ab.net/")
@example("See ab.edu")
@example("See www.un")
@example("At HTTPS://un")
@example("At http://localhost:8000.")
@example("No address: a.b, 3.5, ab.organ, @ab and ab@")
def test_a_note_body_shows_as_urlize_would_make_it(text):
    """The quick way for text with no address in it gives what ``urlize`` gives: the same
    escaping, the same line breaks, and every address a link."""
    assert linked_text(text) == linebreaksbr(urlize(text, autoescape=True), autoescape=True)


def test_addresses_in_a_note_body_are_links_and_the_rest_is_escaped():
    said = linked_text("See www.un.org/disarmament and write to <desk@example.org>.\nThanks")
    assert said == (
        'See <a href="http://www.un.org/disarmament" rel="nofollow">www.un.org/disarmament</a>'
        ' and write to &lt;<a href="mailto:desk@example.org">desk@example.org</a>&gt;.<br>Thanks'
    )
    assert linked_text("No address here: <b>bold</b> & so on.\r\nNext") == (
        "No address here: &lt;b&gt;bold&lt;/b&gt; &amp; so on.<br>Next"
    )


@given(
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-5))]),
    ),
    st.sampled_from(["UTC", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham"]),
)
def test_a_note_is_dated_as_the_template_filter_would_date_it(moment, reader_zone):
    """When a note was written, as ``<time>`` with the ``date`` filter's "j M Y, H:i", in
    the time zone the page is shown in."""
    template = Template(
        '<time datetime="{{ moment|date:\'c\' }}">{{ moment|date:"j M Y, H:i" }}</time>'
    )
    with timezone.override(reader_zone):
        assert _time_element(moment) == template.render(Context({"moment": moment}))
