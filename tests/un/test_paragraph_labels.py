from resolutions.un.paragraph_labels import find_label, typed_key

LABELS = ["pp1", "pp13", "op1", "op6", "op6-a", "op6-b", "op6-d-iii", "op7"]


def test_a_paragraph_is_found_however_it_is_typed():
    for typed, label in [
        ("OP6", "op6"),
        ("op6", "op6"),
        (" op 6 ", "op6"),
        ("6", "op6"),
        ("OP6(a)", "op6-a"),
        ("op6 (b)", "op6-b"),
        ("op6-a", "op6-a"),
        ("OP6(d)(iii)", "op6-d-iii"),
        ("PP13", "pp13"),
    ]:
        assert find_label(typed, LABELS) == label, typed


def test_nothing_is_found_for_a_paragraph_the_document_does_not_have():
    for typed in ["OP8", "PP2", "op6(c)", "", "   ", "()", "13"]:
        assert find_label(typed, LABELS) is None, typed


def test_the_key_ignores_case_spaces_and_brackets():
    assert typed_key("OP6(d)(iii)") == typed_key("op6-d-iii") == "op6diii"
