"""Take the README's screenshots again, from nothing: `make screenshots`.

A scratch SQLite database in a temporary folder gets the seed data, the demo accounts and a
negotiation made through the app's own services (notes with quotes and replies, a resolved
thread, an edited note, circles, proposals and stances, a revision that deletes OP5 with the
notes carried across); `manage.py runserver` serves it on a free port, and Debian's Chromium,
driven by Playwright, logs in through the login form and saves each picture here, clipped to
what it shows. The briefing is printed to PDF and its first two pages turned into pictures by
pdftoppm (poppler-utils); the compilation's Word file is turned into a picture by LibreOffice
when it is installed. pngquant, when installed, makes the files smaller.

Run: .venv/bin/python docs/screenshots/take.py [NAME ...]  (names without .png: only those)
"""

import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ["fixtures/member_states.json", "fixtures/agenda.json", "fixtures/seed_document.json"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "demo-delegate-76"  # noqa: S105 -- the demo accounts' published password
WIDTH = 1280
PHONE_WIDTH = 375
SEED = "a-c1-76-l13"


# --- The demo data, through the app's services ------------------------------------------------


def build_demo_data() -> dict:
    """The seed draft under negotiation, as a delegate of Norway (lars) and the pen holder's
    editor from Nigeria (amina) would find it; returns the addresses the pictures need."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("loaddata", *FIXTURES, verbosity=0)
    call_command("demo_accounts", verbosity=0)

    from resolutions import services
    from resolutions.management.commands.add_delegate import find_or_create_delegation
    from resolutions.models import (
        AgendaItem,
        Annotation,
        Document,
        MemberState,
        Paragraph,
        Proposal,
        User,
    )

    def delegate(username: str, state: str) -> User:
        user = User(username=username, delegation=find_or_create_delegation(state))
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    lars = User.objects.get(username="lars")
    amina = User.objects.get(username="amina")
    ingrid = delegate("ingrid", "Norway")
    sven, fiona = delegate("sven", "Sweden"), delegate("fiona", "Finland")
    kwame, bruno = delegate("kwame", "Ghana"), delegate("bruno", "Brazil")
    yuki, greta = delegate("yuki", "Japan"), delegate("greta", "Germany")
    piotr, carla = delegate("piotr", "Poland"), delegate("carla", "Chile")

    # Circles: the Nordic group (Norway, Sweden, Finland, Denmark invited) and a core group.
    nordic = services.circle_create(creator=lars, name="Nordic group")
    for name, member in [("Sweden", sven), ("Finland", fiona)]:
        services.circle_invite(circle=nordic, inviter=lars, delegation_name=name)
        services.circle_invitation_accept(user=member, circle=nordic)
    services.circle_invite(circle=nordic, inviter=sven, delegation_name="Denmark")
    core = services.circle_create(creator=amina, name="Core group on ICT")
    for name, member in [("Ghana", kwame), ("Brazil", bruno)]:
        services.circle_invite(circle=core, inviter=amina, delegation_name=name)
        services.circle_invitation_accept(user=member, circle=core)
    services.circle_invite(circle=core, inviter=amina, delegation_name="Norway")

    # The draft as issued: Norway's notes, and two proposals the pen holder accepts.
    draft = Document.objects.get(slug=SEED)
    on_draft = {p.label: p for p in draft.paragraphs.all()}
    services.annotation_create(
        author=lars,
        paragraph=on_draft["op3"],
        body="Which report: the 2021 one or the final one of 2025? Ask the pen holder.",
        quote="2021 report of the Open-ended Working Group",
        visibility=Annotation.Visibility.PUBLIC,
        tags=["question"],
    )
    kept = services.annotation_create(
        author=lars,
        paragraph=on_draft["op5"],
        body="Capital wants OP5 kept: it is the only place the draft ties the new group "
        "to the outcomes of the earlier ones.",
        quote="take into account the outcomes",
        tags=["instructions"],
    )
    services.annotation_create(
        author=ingrid,
        paragraph=on_draft["op5"],
        body="If it goes, we ask for its words in OP4.",
        reply_to=kept,
    )
    delete_op5 = services.proposal_create(
        author=kwame,
        paragraph=on_draft["op5"],
        kind=Proposal.Kind.DELETE,
        reason="Duplicates OP4.",
        state=Proposal.State.TABLED,
        on_behalf_of=core,
    )
    capacity = services.proposal_create(
        author=bruno,
        paragraph=on_draft["op6"],
        kind=Proposal.Kind.INSERT,
        text="Encourages Member States to support capacity-building for developing countries;",
        reason="Capacity-building was a priority of the working group.",
        state=Proposal.State.TABLED,
        on_behalf_of=core,
    )
    welcome = services.proposal_create(
        author=yuki,
        paragraph=on_draft["op1"],
        kind=Proposal.Kind.AMEND,
        text=on_draft["op1"].text.replace("Recognizes the adoption", "Welcomes the adoption"),
        reason="The report was welcomed in the working group itself.",
        state=Proposal.State.TABLED,
    )
    for proposal in (delete_op5, capacity, welcome):
        services.stance_record(proposal, user=greta, position="supports")
        services.proposal_decide(proposal, user=amina, decision="accept")

    # Rev.1: issued by the pen holder; Norway brings its notes across (OP5's are orphaned).
    issued = services.issue_revision(draft, amina, "A/C.1/76/L.13/Rev.1", carry_notes=True)
    rev1 = issued.document
    # Issued today; dated as the story goes, with the list it printed.
    issued_on = datetime.date(2021, 10, 22)
    Document.objects.filter(pk=rev1.pk).update(date=issued_on)
    rev1.sponsor_lists.update(as_of=issued_on)
    Document.objects.in_version_chain(rev1).mark_changed()
    services.annotations_carry_forward(user=lars, source=draft, target=rev1)
    latest = rev1.sponsor_lists.order_by("as_of", "pk").last()
    names = [
        (s.name_as_printed, s.state.iso3)
        for s in latest.sponsorships.select_related("state").order_by("position")
        if s.state.name != "Guatemala"
    ]
    for name in ("Chile", "Türkiye"):
        names.append((name, MemberState.objects.get(name=name).iso3))
    # The sponsor line as announced later: Türkiye under its older name, Iceland left out,
    # two more states, and a name that is no Member State's.
    announced = [
        "Turkey" if name == "Türkiye" else name for name, _ in names if name != "Iceland"
    ] + ["Côte d'Ivoire", "Ghana"]
    pasted = ", ".join(announced) + " and Atlantis: revised draft resolution"
    services.sponsor_list_record(
        document=rev1,
        label="At action",
        as_of=datetime.date(2021, 11, 1),
        source="Announced by the Secretary of the Committee",
        names=names,
        additional=False,
    )

    # Rev.1 under negotiation.
    text = {p.label: p for p in Paragraph.objects.filter(document=rev1)}
    op3 = text["op3"]
    norway = services.proposal_create(
        author=lars,
        paragraph=op3,
        kind=Proposal.Kind.AMEND,
        text=op3.text.replace("Calls upon", "Encourages").replace(
            "to be guided", "to be guided, as appropriate,"
        ),
        reason="Softer language agreed in the Nordic group.",
        state=Proposal.State.TABLED,
        on_behalf_of=nordic,
    )
    for person, position in [
        (sven, "supports"),
        (fiona, "supports"),
        (greta, "supports"),
        (piotr, "supports"),
        (kwame, "supports"),
        (carla, "can_accept"),
        (yuki, "objects"),
    ]:
        services.stance_record(norway, user=person, position=position)
    japan = services.proposal_create(
        author=yuki,
        paragraph=op3,
        kind=Proposal.Kind.AMEND,
        text=op3.text.removesuffix(";") + " and to report thereon;",
        reason="A report helps the follow-up.",
        state=Proposal.State.TABLED,
    )
    services.stance_record(japan, user=bruno, position="objects")
    germany = services.proposal_create(
        author=greta,
        paragraph=text["op5-a"],
        kind=Proposal.Kind.AMEND,
        text="Efforts taken at the national level, including lessons learned;",
        reason="Lessons learned.",
        state=Proposal.State.TABLED,
    )
    services.proposal_decide(
        germany, user=amina, decision="reject", reason="No support in the room."
    )
    services.proposal_create(
        author=lars,
        paragraph=text["op1"],
        kind=Proposal.Kind.AMEND,
        text=text["op1"].text.replace(
            "consensus final report", "consensus final report, adopted in March 2021,"
        ),
        reason="To discuss with capital first.",
    )
    statuses = {label: "agreed_ad_ref" for label in text if label.startswith("pp")}
    statuses.pop("pp4")
    statuses["op1"] = "agreed"
    services.paragraph_status_set(rev1, user=amina, statuses=statuses)

    # Notes on Rev.1: a quote for the Nordic group, a resolved thread, an edited note.
    gge = services.annotation_create(
        author=lars,
        paragraph=text["pp12"],
        body="The GGE and the OEWG named side by side: keep both, as in 75/240.",
        quote="Group of Governmental Experts",
        tags=["line"],
    )
    services.annotation_create(
        author=ingrid, paragraph=text["pp12"], body="Agreed; Sweden says the same.", reply_to=gge
    )
    services.annotation_create(
        author=lars,
        paragraph=text["op5"],
        body="Sweden and Finland can support (a) as drafted; we hold on (b) until Tuesday.",
        quote="continue to inform the Secretary-General",
        visibility=Annotation.Visibility.CIRCLE,
        circle=nordic,
        tags=["nordic"],
    )
    resolved = services.annotation_create(
        author=lars,
        paragraph=text["pp3"],
        body="Is “military purposes” agreed language from 75/240?",
        quote="military purposes",
        visibility=Annotation.Visibility.PUBLIC,
    )
    for author, words in [
        (amina, "Yes: PP3 of 75/240, word for word."),
        (yuki, "Confirmed by our capital."),
        (lars, "Thanks, no change needed then."),
    ]:
        services.annotation_create(
            author=author, paragraph=text["pp3"], body=words, reply_to=resolved
        )
    services.thread_set_resolved(resolved, True)
    services.annotation_create(
        author=amina,
        paragraph=text["op2"],
        body="@lars can Norway live with “Advancing Responsible State Behaviour” here?",
        visibility=Annotation.Visibility.PUBLIC,
    )
    services.annotation_create(
        author=ingrid,
        paragraph=text["pp3"],
        body="Our statement quotes this paragraph; keep it as it is.",
        tags=["statement"],
    )
    edited = services.annotation_create(
        author=lars,
        paragraph=text["op4"],
        body="Check the mandate wording against 75/240.",
        quote="acknowledges its mandate",
        tags=["check"],
    )
    edited = services.annotation_update(
        edited,
        editor=lars,
        version=edited.version,
        body="Mandate wording checked against 75/240: it matches OP1 there.",
        tags=["check"],
        quote="acknowledges its mandate",
    )
    services.annotation_update(
        edited,
        editor=ingrid,
        version=edited.version,
        body="Mandate wording checked against 75/240: it matches OP1 there word for word.",
        tags=["checked", "mandate"],
        quote="acknowledges its mandate",
    )
    services.annotation_create(
        author=amina,
        paragraph=text["op7"],
        body="The item stays on the agenda of the seventy-seventh session: pen holder's line.",
        visibility=Annotation.Visibility.PUBLIC,
        tags=["follow-up"],
    )

    # The tracker: Norway's actions around today.
    item = AgendaItem.objects.get(slug="ict-international-security")
    today = datetime.date.today()
    for title, days, status in [
        ("Send capital a summary of the working group's final report", -2, "open"),
        ("Instructions for the informal consultations", 3, "in_progress"),
        ("Statement for the thematic debate on cyber", 12, "open"),
    ]:
        services.action_create(
            agenda_item=item,
            delegation=lars.delegation,
            created_by=lars,
            title=title,
            due_date=today + datetime.timedelta(days=days),
            status=status,
            owner=lars,
        )
    services.milestone_create(
        agenda_item=item,
        updated_by=amina,
        kind="sponsorship-deadline",
        title="Last day to sponsor this session's draft",
        start_date=today + datetime.timedelta(days=5),
        place="First Committee secretariat",
    )
    return {"draft": draft.slug, "rev1": rev1.slug, "edited": edited.pk, "pasted": pasted}


# --- The server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("The development server did not start within a minute.")


# --- Pictures -------------------------------------------------------------------------------


def region(
    page, *selectors: str, pad: int = 12, max_height: int = 1400, from_top: bool = False
) -> dict:
    """The page's full width around the elements ``selectors`` name (the first of each),
    ``pad`` pixels above and below (from the top of the page with ``from_top``), at most
    ``max_height`` tall: a clip for a full-page screenshot."""
    box = page.evaluate(
        """(selectors) => {
            let top = Infinity, bottom = -Infinity;
            for (const selector of selectors) {
                const el = document.querySelector(selector);
                if (!el) throw new Error(`Nothing on the page matches ${selector}`);
                const r = el.getBoundingClientRect();
                top = Math.min(top, r.top + window.scrollY);
                bottom = Math.max(bottom, r.bottom + window.scrollY);
            }
            return {top, bottom, width: document.documentElement.clientWidth};
        }""",
        list(selectors),
    )
    top = 0 if from_top else max(0, box["top"] - pad)
    height = min(box["bottom"] + pad - top, max_height)
    return {"x": 0, "y": top, "width": box["width"], "height": height}


def shoot(page, name: str, *selectors: str, **options) -> None:
    path = HERE / f"{name}.png"
    if selectors:
        page.screenshot(path=path, full_page=True, clip=region(page, *selectors, **options))
    else:
        page.screenshot(path=path)
    print(f"  {path.relative_to(ROOT)}")


def settled(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def log_in(browser, base: str, username: str, **context_options):
    context = browser.new_context(base_url=base, **context_options)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return page


def select_words(page, label: str, words: str) -> None:
    """Drag the mouse over ``words`` in the paragraph ``label``, as a delegate selects them."""
    page.locator(f"#{label} .paragraph-text").scroll_into_view_if_needed()
    from tests.browser.reading import words_box

    box = words_box(page, label, words)
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=8)
    page.mouse.up()


def pdf_pages_side_by_side(browser, pdf: Path, name: str, pages: int = 2, dpi: int = 60) -> None:
    """The first ``pages`` pages of ``pdf`` at ``dpi`` (pdftoppm), side by side on grey."""
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(pdf), str(stem)],
        check=True,
    )
    images = sorted(pdf.parent.glob(f"{stem.name}-*.png"))
    cells = "".join(f'<img src="{image.as_uri()}" alt="">' for image in images)
    sheet = pdf.parent / f"{name}.html"
    sheet.write_text(
        "<!doctype html><style>body{margin:0;background:#d9dce1;display:inline-flex;gap:20px;"
        "padding:20px}img{box-shadow:0 1px 4px rgba(0,0,0,.35);background:#fff}</style>" + cells,
        encoding="utf-8",
    )
    page = browser.new_page()
    page.goto(sheet.as_uri())
    page.wait_for_load_state()
    page.locator("body").screenshot(path=HERE / f"{name}.png")
    page.close()
    print(f"  docs/screenshots/{name}.png")


def take_pictures(base: str, data: dict, work: Path, only: set[str]) -> None:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    draft, rev1 = f"/documents/{data['draft']}/", f"/documents/{data['rev1']}/"

    def wanted(name: str) -> bool:
        return not only or name in only

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        viewport = {"width": WIDTH, "height": 900}
        lars = log_in(browser, base, "lars", viewport=viewport)

        if wanted("reading"):
            lars.goto(rev1)
            settled(lars)
            mark = lars.locator("#pp3 mark.quote-highlight").first
            mark.scroll_into_view_if_needed()
            mark.hover()
            lars.locator("#pp3 .quote-tip").first.wait_for(state="visible")
            shoot(lars, "reading", "#pp2", "#pp4", pad=6)

        if wanted("select-annotate"):
            lars.goto(rev1)
            settled(lars)
            select_words(lars, "op2", "Advancing Responsible State Behaviour")
            lars.get_by_role("group", name="Selected words in OP2").wait_for(state="visible")
            shoot(lars, "select-annotate", "#op2", ".select-toolbar", pad=4)

        if wanted("proposals-reading"):
            lars.goto(rev1)
            settled(lars)
            shoot(lars, "proposals-reading", "#op3", pad=6)

        if wanted("orphan"):
            lars.goto(rev1)
            settled(lars)
            shoot(lars, "orphan", "#op4 .paragraph-text", ".orphaned-notes", "#op5 .paragraph-text")

        if wanted("superseded"):
            lars.goto(draft)
            settled(lars)
            shoot(lars, "superseded", ".document-versions", from_top=True)

        if wanted("search"):
            lars.goto("/search/?q=75%2F240")
            settled(lars)
            shoot(lars, "search", "body", max_height=1000)

        if wanted("notes"):
            lars.goto(rev1 + "annotations/")
            settled(lars)
            shoot(lars, "notes", "body", max_height=1000)

        if wanted("note-history"):
            lars.goto(f"/annotations/{data['edited']}/history/")
            settled(lars)
            shoot(lars, "note-history", "main", pad=0)

        if wanted("inbox"):
            lars.goto("/inbox/")
            settled(lars)
            shoot(lars, "inbox", "main", pad=0, max_height=700)

        if wanted("agenda"):
            lars.goto("/agenda/ict-international-security/")
            settled(lars)
            shoot(lars, "agenda", "#next", from_top=True)

        if wanted("sponsors-compare"):
            lars.goto("/compare/sponsors/")
            settled(lars)
            lars.get_by_label("A/C.1/76/L.13/Rev.1 (latest list)").check()
            lars.get_by_label("Pasted list (optional)").fill(data["pasted"])
            lars.get_by_role("button", name="Compare").click()
            settled(lars)
            shoot(
                lars,
                "sponsors-compare",
                "label[for=pasted]",
                ".compare-actions",
                "section[aria-labelledby=other-forms-heading]",
                pad=6,
            )

        if wanted("compare"):
            lars.goto(f"/compare/text/?a={data['draft']}&b={data['rev1']}&show=changes")
            settled(lars)
            shoot(lars, "compare", "body", max_height=1250)

        if wanted("sponsors"):
            lars.goto(f"/documents/{data['rev1']}/sponsors/?group=weog")
            settled(lars)
            shoot(lars, "sponsors", "body", max_height=1050)

        if wanted("circles"):
            lars.goto("/circles/")
            settled(lars)
            shoot(lars, "circles", "main", from_top=True)

        if wanted("circle-note"):
            lars.goto(rev1)
            settled(lars)
            shoot(lars, "circle-note", "#op5 > .paragraph-text", "#op5 > .paragraph-margin", pad=6)

        if wanted("briefing-print"):
            lars.goto(rev1 + "briefing/")
            settled(lars)
            pdf = work / "briefing.pdf"
            lars.pdf(path=pdf, format="A4", print_background=True)
            pdf_pages_side_by_side(browser, pdf, "briefing-print")

        amina = log_in(browser, base, "amina", viewport=viewport)
        if wanted("proposals"):
            amina.goto(rev1 + "proposals/")
            settled(amina)
            shoot(amina, "proposals", "body", max_height=1300)

        if wanted("compilation"):
            amina.goto(rev1 + "compilation/?status=open")
            settled(amina)
            shoot(amina, "compilation", "body", max_height=1400)

        if wanted("compilation-word") and shutil.which("soffice"):
            response = amina.request.get(rev1 + "compilation.docx?status=open")
            docx = work / "compilation.docx"
            docx.write_bytes(response.body())
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
                check=True,
                capture_output=True,
                timeout=300,
            )
            pdf_pages_side_by_side(browser, work / "compilation.pdf", "compilation-word", 1, dpi=80)

        if wanted("phone"):
            phone = log_in(
                browser,
                base,
                "lars",
                viewport={"width": PHONE_WIDTH, "height": 812},
                device_scale_factor=1,
                is_mobile=True,
                has_touch=True,
            )
            phone.goto(rev1)
            settled(phone)
            phone.evaluate("() => document.querySelector('#pp12').scrollIntoView()")
            shoot(phone, "phone")
        browser.close()


def optimise(since: float) -> None:
    """Quantise the pictures saved since ``since`` (a time.time()), when pngquant is there."""
    if not shutil.which("pngquant"):
        print("pngquant is not installed: the pictures are left as Chromium saved them.")
        return
    for picture in sorted(HERE.glob("*.png")):
        if picture.stat().st_mtime < since:
            continue
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--strip", "--output", picture, picture],
            check=False,
        )


def main(argv: list[str]) -> None:
    only = set(argv)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="workbench-screenshots-") as folder:
        work = Path(folder)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{work / 'screenshots.sqlite3'}",
            "DJANGO_ENV": "development",
            "DEBUG": "1",
        }
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        os.chdir(ROOT)
        import django

        django.setup()
        print("Building the demo data…")
        data = build_demo_data()
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_server(env, port)
        try:
            print(f"Taking the pictures from http://127.0.0.1:{port}/ …")
            take_pictures(f"http://127.0.0.1:{port}", data, work, only)
        finally:
            server.terminate()
            server.wait(timeout=30)
    optimise(started)


if __name__ == "__main__":
    main(sys.argv[1:])
