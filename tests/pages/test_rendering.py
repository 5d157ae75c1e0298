"""Document text becomes markup in one place, and it escapes everything it does not build."""

from resolutions.rendering import Link, Marker, render_text


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
