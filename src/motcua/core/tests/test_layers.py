"""The layering check: on small made-up trees, then on the real one (which must keep the rules)."""

import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import motcua
from motcua.core import layers


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """A package folder ``root/motcua`` with the given files (paths relative to it) and their ``__init__``."""
    package = root / "motcua"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text))
        for folder in path.relative_to(package).parents:
            init = package / folder / "__init__.py"
            if not init.exists():
                init.write_text("")
    return package


CLEAN = {
    "core/text.py": "def fold(text): return text\n",
    "catalog/models.py": "from motcua.core.text import fold\n",
    "catalog/selectors.py": "from . import models\nfrom ..core import text\n",
    "dossiers/services.py": (
        """\
        import motcua.catalog.selectors


        def submit():
            from motcua.workcalendar import selectors  # inside a function: still an import

            return selectors
        """
    ),
    "dossiers/urls.py": 'URLS = ["motcua.portal.urls"]  # a string, not an import\n',
    "workcalendar/selectors.py": "from motcua import core\n",
    "portal/views.py": "from motcua.dossiers import services\nfrom motcua.catalog import selectors\n",
    "api/urls.py": "from django.urls import include\n\nurlpatterns = [include('motcua.catalog.api_urls')]\n",
    # Left out: tests, migrations and the project's own modules may import anything.
    "catalog/tests/test_pages.py": "from motcua.portal import views\n",
    "catalog/migrations/0001_initial.py": "from motcua.dossiers import services\n",
    "settings.py": "from motcua.portal import views\n",
    "urls.py": "from motcua.portal import views\n",
}


def test_a_clean_tree_has_its_edges_and_no_violation(tmp_path):
    g = layers.graph(write_tree(tmp_path, CLEAN))
    assert g.apps == ["api", "catalog", "core", "dossiers", "portal", "workcalendar"]
    assert {app: g.imports(app) for app in g.apps} == {
        "api": [],
        "catalog": ["core"],
        "core": [],
        "dossiers": ["catalog", "workcalendar"],
        "portal": ["catalog", "dossiers"],
        "workcalendar": ["core"],
    }
    assert g.edges["catalog"]["core"] == [
        layers.Site("catalog/models.py", 1),
        layers.Site("catalog/selectors.py", 2),
    ]
    assert g.example("dossiers", "workcalendar") == layers.Site("dossiers/services.py", 5)
    assert layers.violations(g) == []


def test_a_cycle_is_reported_with_the_place_of_each_import(tmp_path):
    root = write_tree(
        tmp_path,
        {
            **CLEAN,
            "catalog/demo.py": "\n\ndef load():\n    from ..dossiers import services\n",
            "workcalendar/api.py": "from motcua.catalog.selectors import *\n",
        },
    )
    problems = layers.violations(layers.graph(root))
    assert problems == [
        dedent(
            """\
            cycle between apps: catalog -> dossiers -> catalog
                catalog -> dossiers: catalog/demo.py:4
                dossiers -> catalog: dossiers/services.py:1"""
        ),
        dedent(
            """\
            cycle between apps: catalog -> dossiers -> workcalendar -> catalog
                catalog -> dossiers: catalog/demo.py:4
                dossiers -> workcalendar: dossiers/services.py:5
                workcalendar -> catalog: workcalendar/api.py:1"""
        ),
    ]


def test_a_domain_app_importing_a_web_layer_is_reported(tmp_path):
    root = write_tree(
        tmp_path,
        {
            **CLEAN,
            "catalog/api.py": "from motcua.api.schema import BAD_REQUEST\n",
            "audit/views.py": "import os\n\nfrom motcua import portal\n",
        },
    )
    # Arrows up, but no cycle: neither api nor portal imports these apps.
    assert layers.violations(layers.graph(root)) == [
        "domain app audit imports the web layer portal: audit/views.py:3",
        "domain app catalog imports the web layer api: catalog/api.py:1",
    ]


def test_the_command_prints_the_graph_and_fails_on_a_violation(tmp_path, capsys):
    clean = write_tree(tmp_path / "clean", CLEAN)
    assert layers.main([str(clean)]) == 0
    out = capsys.readouterr().out
    assert "dossiers (domain) -> catalog, workcalendar\n" in out
    assert "    workcalendar  dossiers/services.py:5\n" in out
    assert out.endswith("No cycle between apps; no domain app imports a web layer.\n")

    broken = write_tree(tmp_path / "broken", {**CLEAN, "core/views.py": "from motcua.portal import views\n"})
    assert layers.main([str(broken)]) == 1
    out = capsys.readouterr().out
    assert "core (domain) -> portal\n" in out
    # Three cycles through core -> portal (one for each edge that closes one), and the arrow up itself.
    assert "4 violation(s)" in out
    assert "cycle between apps: catalog -> core -> portal -> catalog\n" in out
    assert out.endswith("domain app core imports the web layer portal: core/views.py:1\n")


def test_it_runs_as_a_module(tmp_path):
    root = write_tree(tmp_path, CLEAN)
    src = Path(motcua.__file__).resolve().parent.parent
    done = subprocess.run(  # noqa: S603  (this interpreter, our own module)
        [sys.executable, "-m", "motcua.core.layers", str(root)],
        capture_output=True,
        text=True,
        cwd=src,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "portal (web) -> catalog, dossiers" in done.stdout


def test_the_real_tree_keeps_the_rules():
    root = Path(motcua.__file__).resolve().parent
    g = layers.graph(root)
    assert {"core", "catalog", "dossiers", "portal", "api"} <= set(g.apps)
    problems = layers.violations(g)
    assert not problems, "\n".join(["", *problems, "", layers.report(g)])
