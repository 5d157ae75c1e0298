"""What the journeys wait for before they act on a page that htmx drives."""

from playwright.sync_api import Page, expect

# htmx marks what it is working on: the element whose request is under way, the target
# being swapped, the swapped-in content until it settles.
HTMX_AT_WORK = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def htmx_settled(page: Page) -> None:
    """Wait until the page has loaded and htmx has finished with it.

    htmx wires up a page once it has loaded, and what it swaps in once that settles
    (20 ms later, much longer on a busy machine). A click before then is an ordinary link
    or form submission: a whole page load instead of the swap a journey is about. Call it
    after the page or the swap shows what the user waits for, before acting on it.
    """
    page.wait_for_load_state()
    expect(page.locator(HTMX_AT_WORK)).to_have_count(0)
