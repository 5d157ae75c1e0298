"""What the journeys do on a reading page as a person would: select words with the mouse,
move the focus key by key and say where it stands."""

from playwright.sync_api import Page, expect


def words_box(page: Page, label: str, words: str) -> dict:
    """Where ``words`` stand on the screen in the paragraph ``label``: the left edge of
    their first letter and the right edge of their last."""
    return page.evaluate(
        """([label, words]) => {
            const text = document.querySelector(`#${label} .paragraph-words`);
            const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(walker.currentNode, at);
                range.setEnd(walker.currentNode, at + words.length);
                const rects = range.getClientRects();
                const first = rects[0], last = rects[rects.length - 1];
                return {x0: first.left + 1, y0: first.top + first.height / 2,
                        x1: last.right - 1, y1: last.top + last.height / 2};
            }
            return null;
        }""",
        [label, words],
    )


def select_with_the_mouse(page: Page, label: str, words: str) -> None:
    """Drag the mouse over ``words`` of the paragraph ``label``, as a reader selects them."""
    page.locator(f"#{label} .paragraph-text").scroll_into_view_if_needed()
    box = words_box(page, label, words)
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=8)
    page.mouse.up()


def focused(page: Page) -> str:
    """The focused element as a person would name it: its tag, id and accessible text."""
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return `${e.tagName.toLowerCase()}#${e.id} ${e.textContent.trim().slice(0, 30)}`; }"
    )


def press(page: Page, key: str, expected: str) -> None:
    """Press ``key`` and check the focus lands where ``expected`` says (see ``focused``)."""
    page.keyboard.press(key)
    assert focused(page).startswith(expected), (key, focused(page))


def reach_op6s_note_form_by_the_keyboard(page: Page) -> int:
    """From page load to the text of OP6's note form by the keyboard alone: "Skip to
    content", "Go to paragraph", then OP6's own controls. Returns the Tab presses it took."""
    tabs = 0
    for key, expected in [
        ("Tab", "a# Skip to content"),
        ("Enter", "main#main"),
        ("Tab", "input#go-to-paragraph-field"),
    ]:
        tabs += key == "Tab"
        press(page, key, expected)
    page.keyboard.type("OP6")
    press(page, "Enter", "div#op6")
    for expected in ["a#label-op6 OP6", "a# Follow-up: Views", "summary# Add note on OP6"]:
        tabs += 1
        press(page, "Tab", expected)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Note on OP6", exact=True)).to_be_focused()
    return tabs
