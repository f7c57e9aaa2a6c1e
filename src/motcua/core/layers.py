"""The app graph of ``src/motcua`` (which app imports which, read from the source) and its two rules.

Arrows point one way: no cycle between apps, and no domain app imports a web layer (``portal``,
``backoffice``, ``api``). ``python -m motcua.core.layers [src/motcua]`` prints the graph, one example
``file:line`` per edge, and exits with 1 and the reasons when a rule is broken; the test suite runs it on the
real tree (``core/tests/test_layers.py``).

The files are parsed with ``ast``, never imported. An import is an ``import`` statement anywhere in a
module (inside functions too, absolute or relative); a dotted path in a string (``include("motcua.x.urls")``,
a setting) is not. Left out: ``tests/`` and ``migrations/`` folders, and the project's own modules at the top
of the package (settings, urls, wsgi, celery, errors, ``__init__``), which wire the apps together.
"""

import ast
import itertools
import sys
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "motcua"
WEB_LAYERS = frozenset({"portal", "backoffice", "api"})
SKIPPED_FOLDERS = frozenset({"tests", "migrations"})


@dataclass(frozen=True, order=True)
class Site:
    """Where an import is written: a path relative to the package folder, and a line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Graph:
    """Apps and their imports of each other: ``edges[a][b]`` lists every place where ``a`` imports ``b``."""

    root: Path
    apps: list[str]
    edges: dict[str, dict[str, list[Site]]] = field(default_factory=dict)

    def imports(self, app: str) -> list[str]:
        return sorted(self.edges.get(app, {}))

    def example(self, source: str, target: str) -> Site:
        return min(self.edges[source][target])


def is_web_layer(app: str) -> bool:
    return app in WEB_LAYERS


def graph(root: Path) -> Graph:
    """The app graph of the package folder ``root`` (e.g. ``src/motcua``)."""
    root = Path(root)
    apps = sorted(p.name for p in root.iterdir() if (p / "__init__.py").is_file())
    result = Graph(root=root, apps=apps)
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_FOLDERS & set(relative.parts[:-1]):
                continue
            for target, line in _imported_apps(path, relative, set(apps)):
                if target != app:
                    sites = result.edges.setdefault(app, {}).setdefault(target, [])
                    sites.append(Site(relative.as_posix(), line))
    return result


def _imported_apps(path: Path, relative: Path, apps: set[str]):
    """``(app, line)`` for every import of a ``motcua.<app>`` module in one file."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    # The dotted name of the file's package: motcua.catalog for catalog/api.py and catalog/__init__.py.
    package = [PACKAGE, *relative.parts[:-1]]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if node.level > len(package):  # above the package: not ours (and not valid Python)
                    continue
                base = package[: len(package) - node.level + 1]
            else:
                base = []
            module = [*base, *(node.module.split(".") if node.module else [])]
            # ``from motcua import catalog`` imports the app catalog; ``from motcua.catalog import x`` too.
            names = [[*module, alias.name] for alias in node.names] if module == [PACKAGE] else [module]
        else:
            continue
        for parts in names:
            if len(parts) >= 2 and parts[0] == PACKAGE and parts[1] in apps:
                yield parts[1], node.lineno


def cycles(g: Graph) -> list[list[str]]:
    """Cycles between apps, each as ``[a, b, ..., a]``: every edge that lies on a cycle is in at least one.

    For each such edge ``a -> b`` the shortest way back from ``b`` to ``a`` closes a cycle; the same cycle
    found from several of its edges is listed once, starting from its first app in alphabetical order.
    """
    found: dict[tuple[str, ...], list[str]] = {}
    for source in sorted(g.edges):
        for target in g.imports(source):
            back = _shortest_path(g, target, source)
            if back is None:
                continue
            ring = [source, *back[:-1]]  # source -> target -> ... -> (back to) source
            start = ring.index(min(ring))
            ring = ring[start:] + ring[:start]
            found.setdefault(tuple(ring), [*ring, ring[0]])
    return [found[key] for key in sorted(found)]


def _shortest_path(g: Graph, start: str, goal: str) -> list[str] | None:
    """The apps on a shortest chain of imports from ``start`` to ``goal``, both included."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        app = queue.popleft()
        if app == goal:
            path = [app]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])
            return path[::-1]
        for nxt in g.imports(app):
            if nxt not in previous:
                previous[nxt] = app
                queue.append(nxt)
    return None


def violations(g: Graph) -> list[str]:
    """What breaks the rules, one message per cycle and per domain app's import of a web layer."""
    messages = []
    for ring in cycles(g):
        lines = [f"cycle between apps: {' -> '.join(ring)}"]
        for source, target in itertools.pairwise(ring):
            lines.append(f"    {source} -> {target}: {_where(g, source, target)}")
        messages.append("\n".join(lines))
    for source in sorted(g.edges):
        if is_web_layer(source):
            continue
        for target in g.imports(source):
            if is_web_layer(target):
                messages.append(
                    f"domain app {source} imports the web layer {target}: {_where(g, source, target)}"
                )
    return messages


def _where(g: Graph, source: str, target: str) -> str:
    sites = g.edges[source][target]
    more = f" (and {len(sites) - 1} more)" if len(sites) > 1 else ""
    return f"{g.example(source, target)}{more}"


def report(g: Graph) -> str:
    """The graph as text: each app with the apps it imports, one example ``file:line`` per edge."""
    web = ", ".join(sorted(WEB_LAYERS))
    lines = [f"Apps of {g.root} and the apps each imports (web layers: {web}; the others are domain apps)"]
    width = max((len(app) for app in g.apps), default=0)
    for app in g.apps:
        targets = g.imports(app)
        kind = "web" if is_web_layer(app) else "domain"
        lines.append(f"{app} ({kind}) -> {', '.join(targets) if targets else 'nothing'}")
        for target in targets:
            lines.append(f"    {target:<{width}}  {_where(g, app, target)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent
    g = graph(root)
    print(report(g))
    problems = violations(g)
    print()
    if not problems:
        print("No cycle between apps; no domain app imports a web layer.")
        return 0
    print(f"{len(problems)} violation(s) of the layering rules (arrows must point one way, down):")
    for problem in problems:
        print(problem)
    return 1


if __name__ == "__main__":
    sys.exit(main())
