"""axe-core checks the pages the browser tests see, against WCAG 2.2 AA.

Two ways in:

- ``assert_no_axe_violations(page, context=...)`` checks the page as it is now, and fails
  with each rule broken, what it asks for, and the elements that break it.
- ``watch(context, found)`` (the browser conftest does it for every context a test opens)
  checks every state a page reaches by itself: each page load and each htmx swap once it
  settles. What it finds is appended to ``found``; the conftest fails the test with it.

axe-core is vendored for the tests only (tests/browser/vendor/README.md); the app never
serves it. The pages forbid inline scripts (Content-Security-Policy), so axe goes in as an
init script or through ``page.evaluate``, neither of which the policy governs, and the
journeys keep the policy they are testing.
"""

import json
from pathlib import Path

from playwright.sync_api import BrowserContext, Page

AXE_VERSION = "4.14.1"
AXE_SCRIPT = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe tags each rule with the success criteria it
# tests, so these tags are the AA conformance target), plus axe's best-practice rules: one
# main landmark, all content in landmarks, headings in order, a level-one heading, unique
# landmark names, no empty table headers. They are not WCAG failures but each one is about
# something a screen-reader user of these pages notices, and the pages meet them today.
# Experimental rules are left out: axe does not run them unless asked.
RUN_ONLY_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Findings accepted for now, each a rule on the elements a selector matches
# ({"rule": ..., "selector": ...}) with a comment saying why; none today.
KNOWN_VIOLATIONS: list[dict[str, str]] = []

# Runs axe on the document and resolves to the violations, with the known ones left out,
# as plain data (rule, impact, help, link, and each element's selector, HTML and summary).
_AXE = """
async ([tags, known]) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
    elementRef: true,
  });
  const accepted = (rule, node) => known.some(
    (k) => k.rule === rule && node.element && node.element.matches(k.selector));
  return results.violations
    .map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.filter((n) => !accepted(v.id, n)).map((n) => ({
        target: n.target.map(String), html: n.html, summary: n.failureSummary || "",
      })),
    }))
    .filter((v) => v.nodes.length);
}
"""

# axe runs one check at a time in a page: a check the test asks for waits for the page's
# own (window.__axeSerial, installed by watch()).
_RUN = """
async (args) => {
  const check = AXE;
  return window.__axeSerial ? window.__axeSerial(() => check(args)) : check(args);
}
""".replace("AXE", _AXE.strip())

# A page's state: its address and a hash of its markup, less the CSRF tokens (and any other
# long random string) that differ from one session to the next.
_FINGERPRINT = """
() => {
  const html = document.documentElement.outerHTML.replace(/[A-Za-z0-9_-]{32,}/g, "");
  let h = 0x811c9dc5;
  for (let i = 0; i < html.length; i++) h = Math.imul(h ^ html.charCodeAt(i), 16777619);
  return location.pathname + location.search + " " + html.length + ":" + (h >>> 0);
}
"""

# Installed in every page of a watched context, after axe itself: after each load and each
# htmx swap (once settled, and once things are quiet for a moment) it asks the test whether
# this state was checked already (same address, same markup less its CSRF tokens) and, if
# not, runs axe and reports what it finds. window.__axeIdle() resolves once nothing is
# pending, so the end of a test can wait for the last check.
_WATCH = """
(() => {
  if (window.top !== window || !window.axe) return;
  const tags = %(tags)s, known = %(known)s, run = %(run)s;
  let timer = null, running = null, again = false, queue = Promise.resolve();
  window.__axeSerial = (task) => {
    const result = queue.then(task);
    queue = result.catch(() => null);
    return result;
  };
  const fingerprint = %(fingerprint)s;
  const check = async () => {
    if (await window.__axeSeen(fingerprint())) return;
    const violations = await window.__axeSerial(() => run([tags, known]));
    if (violations.length) await window.__axeReport(location.href, violations);
  };
  const start = () => {
    timer = null;
    if (running) { again = true; return; }
    running = (async () => {
      do { again = false; try { await check(); } catch (e) { /* the page went away */ } }
      while (again);
    })().finally(() => { running = null; });
  };
  const schedule = () => { clearTimeout(timer); timer = setTimeout(start, 50); };
  window.addEventListener("load", schedule);
  document.addEventListener("htmx:afterSettle", schedule);
  window.__axeIdle = () => new Promise((resolve) => {
    const wait = () => (timer || running ? setTimeout(wait, 20) : resolve(true));
    wait();
  });
})();
"""


def _ensure_axe(page: Page) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text() + "\n;true")


def axe_violations(page: Page) -> list[dict]:
    """What axe finds wrong with the page as it is now, the known findings left out."""
    _ensure_axe(page)
    return page.evaluate(_RUN, [RUN_ONLY_TAGS, KNOWN_VIOLATIONS])


def describe(url: str, violations: list[dict], context: str = "") -> str:
    """The violations as a reader wants them: rule, impact and what it asks, then each
    element with its selector, its HTML and what is wrong with it."""
    lines = [f"axe-core {AXE_VERSION} found {len(violations)} problem(s) on {url}"]
    if context:
        lines[0] += f" ({context})"
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}")
            lines.append(f"       {node['html'][:300]}")
            for line in node["summary"].splitlines():
                lines.append(f"       {line.strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, context: str = "") -> None:
    """Fail if axe finds anything wrong with the page as it is now; ``context`` says which
    state of which page it is, for the failure message."""
    violations = axe_violations(page)
    assert not violations, describe(page.url, violations, context)


def watch(context: BrowserContext, found: list[str], seen: set[str]) -> None:
    """Check every state the context's pages reach (each load and each htmx swap), once per
    distinct state in ``seen``; append a description of each state with violations to
    ``found``. A context with JavaScript off runs no script, so it is only checked by
    ``check_open_pages`` at the end of the test."""

    def already_seen(_source, fingerprint: str) -> bool:
        if fingerprint in seen:
            return True
        seen.add(fingerprint)
        return False

    def report(_source, url: str, violations: list[dict]) -> None:
        found.append(describe(url, violations, "on its own"))

    context.expose_binding("__axeSeen", already_seen)
    context.expose_binding("__axeReport", report)
    context.add_init_script(path=AXE_SCRIPT)
    context.add_init_script(
        _WATCH
        % {
            "tags": json.dumps(RUN_ONLY_TAGS),
            "known": json.dumps(KNOWN_VIOLATIONS),
            "run": _AXE.strip(),
            "fingerprint": _FINGERPRINT.strip(),
        }
    )


def check_open_pages(context: BrowserContext, found: list[str], seen: set[str]) -> None:
    """Let pending checks of the context's pages finish, then check each page as the test
    left it, unless that state was checked already."""
    for page in context.pages:
        if page.is_closed() or page.url == "about:blank":
            continue
        try:
            page.evaluate("window.__axeIdle ? window.__axeIdle() : true")
            fingerprint = page.evaluate(_FINGERPRINT)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            violations = axe_violations(page)
        except Exception as error:  # noqa: BLE001 - a page mid-navigation has no state to check
            if "Execution context was destroyed" in str(error):
                continue
            raise
        if violations:
            found.append(describe(page.url, violations, "as the test left it"))
