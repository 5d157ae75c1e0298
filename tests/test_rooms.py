"""The rule of each room, checked on the source itself, so that the layout a newcomer reads in
the README stays true as the code grows."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "resolutions"


def python_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize(
    "path", python_files(APP / "un"), ids=lambda p: str(p.relative_to(APP / "un"))
)
def test_the_un_room_is_plain_python(path):
    """Parsing UN texts, matching state names, comparing texts and sponsor sets need no
    framework: nothing in resolutions/un/ imports Django or the rest of the app."""
    outside = {
        module
        for module in imported_modules(path)
        if module.split(".")[0] == "django"
        or (module.startswith("resolutions") and not module.startswith("resolutions.un"))
    }
    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}"


def test_the_un_room_imports_without_django_installed(tmp_path):
    """Proof that the rule above holds at run time: the room imports in a fresh interpreter
    in which importing Django fails."""
    blocker = tmp_path / "django"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('no Django here')\n")
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in python_files(APP / "un")
    ]
    code = "import importlib, sys\nfor name in sys.argv[1:]: importlib.import_module(name)\n"
    result = subprocess.run(
        [sys.executable, "-c", code, *modules],
        cwd=ROOT,
        env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "path",
    python_files(APP, ROOT / "tests", ROOT / "bench", ROOT / "config"),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_nothing_reads_outside_the_repository(path):
    """A clone stands alone: no code or test names the team's shared folder beside the
    clone; the reference data lives in resolutions/un/data/."""
    text = path.read_text(encoding="utf-8")
    forbidden = ["../" + "shared", "SHARED_" + "DATA_DIR", 'parent / "' + 'shared"']
    assert not [word for word in forbidden if word in text]


def test_the_makefile_and_ci_read_nothing_outside_the_repository():
    for path in [ROOT / "Makefile", ROOT / ".ci" / "run", ROOT / "pyproject.toml"]:
        assert "../" + "shared" not in path.read_text(encoding="utf-8"), path.name


def test_only_rendering_marks_html_safe():
    """Trusted markup is built and escaped in one module; nowhere else calls ``mark_safe``
    and no template uses ``|safe``."""
    callers = [
        path.relative_to(ROOT)
        for path in python_files(APP)
        if "mark_safe(" in path.read_text(encoding="utf-8") and path.name != "rendering.py"
    ]
    assert callers == []
    templates = [
        path.relative_to(ROOT)
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"\|\s*safe\b|{%\s*autoescape\s+off", path.read_text(encoding="utf-8"))
    ]
    assert templates == []


def test_views_choose_the_partial_only_through_the_htmx_helper():
    """The full-page-or-partial switch is written once (resolutions/htmx.py), so every htmx
    view sets ``Vary: HX-Request``: no view builds a ``template#partial`` name itself."""
    offenders = [
        path.relative_to(ROOT)
        for path in python_files(APP / "views")
        if re.search(r"""\.html#|\+= ?["']#|f["'][^"']*\.html#""", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_views_check_permissions_only_through_the_permission_module():
    """Who may use a view is written once, in resolutions/permissions.py."""
    offenders = [
        path.relative_to(ROOT)
        for path in python_files(APP / "views")
        if re.search(r"\bis_editor\b|delegation_id is None|PermissionDenied\(", path.read_text())
    ]
    assert offenders == []


def test_no_module_shadows_the_standard_library():
    shadowing = [
        path.relative_to(ROOT)
        for path in python_files(APP)
        if path.stem in sys.stdlib_module_names and path.stem != "__init__"
    ]
    assert shadowing == []


def test_views_pin_no_attributes_onto_model_instances():
    """What a page adds to a model (what the reader may do, a thread's replies, days left)
    is a dataclass in pages/ or a model method, never an attribute set from outside."""
    pinned = re.compile(
        r"^\s*(annotation|thread|note|action|milestone|listing|follow_up|document|paragraph)"
        r"\.(\w+) = ",
        re.MULTILINE,
    )
    allowed = {"status", "agenda_item", "delegation_id", "created_by", "updated_by", "updated_at"}
    # A relation given the row already read for it (a note's paragraph, a paragraph's
    # document), so that it is not read again: the model's own field, nothing added.
    allowed |= {"document", "paragraph"}
    found = [
        (path.relative_to(ROOT), match.group(0).strip())
        for path in python_files(APP / "views", APP / "pages")
        for match in pinned.finditer(path.read_text(encoding="utf-8"))
        if match.group(2) not in allowed
    ]
    assert found == []


def test_no_template_comment_spans_lines():
    """Django's ``{# #}`` comments end at the line: one that goes on shows on the page."""
    spanning = [
        path.relative_to(ROOT)
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"{#(?:(?!#}).)*\n", path.read_text(encoding="utf-8"))
    ]
    assert spanning == []
