"""The house rules of the layout: who may import whom, and where exceptions live.

Import edges are read from the source (every `import`, also inside functions):
`storage/` imports neither `subscribers/` nor `syndication/`, `subscribers/` imports
nothing of `syndication/`, no module imports itself back however far round, and no two
packages import each other (the static site's package excepted: its lower modules serve
`feeds/` and `pages/`, its build uses them). Every exception class a package defines is
in its `errors.py` and under its root.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

import storage
import subscribers
import syndication
from storage.errors import StorageError
from subscribers.errors import SubscriberError
from syndication.errors import SyndicationError

ROOT = Path(__file__).resolve().parents[1]
TOPS = ("storage", "subscribers", "syndication")
ROOTS: dict[str, type[Exception]] = {
    "storage": StorageError, "subscribers": SubscriberError, "syndication": SyndicationError,
}
# Packages a loop may run through: the static site is layered inside its package (paths,
# templates, views below feeds/ and pages/; the build above them), which a package-level
# graph cannot see (the search index is one more such layer). Until the site package lands,
# feeds/ and pages/ import each other.
LAYERED = {"syndication.feeds", "syndication.pages", "syndication.search", "syndication.site"}
# The site writer's worker error (site_writer.py; process_pool.py once the site package and
# its one worker pool land) is not in errors.py yet: move it there and empty this.
KNOWN_STRAYS: set[str] = set()


def _node(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "syndication" and len(parts) > 1 else parts[0]


def _modules() -> Iterator[tuple[str, Path]]:
    for top in TOPS:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts and ("versions" in parts or parts[-1] == "env"):
                continue  # Alembic scripts, loaded by path, never imported
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


def _imports() -> dict[str, set[str]]:
    """Module to the modules it imports (`from package import name`: the submodule if any)."""
    modules = dict(_modules())
    edges: dict[str, set[str]] = {}
    for module, path in modules.items():
        for item in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(item, ast.ImportFrom) and item.module and item.level == 0:
                targets = [
                    f"{item.module}.{alias.name}"
                    if f"{item.module}.{alias.name}" in modules else item.module
                    for alias in item.names
                ]
            elif isinstance(item, ast.Import):
                targets = [alias.name for alias in item.names]
            else:
                continue
            edges.setdefault(module, set()).update(
                target for target in targets if target.split(".")[0] in TOPS and target != module
            )
    return edges


def _edges() -> dict[str, set[str]]:
    """Package to the packages it imports."""
    edges: dict[str, set[str]] = {}
    for module, targets in _imports().items():
        here = _node(module)
        for target in targets:
            there = _node(target)
            if there not in (here, "syndication"):
                edges.setdefault(here, set()).add(there)
    return edges


def _loops(edges: dict[str, set[str]]) -> set[frozenset[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_storage_imports_neither_package() -> None:
    assert _edges().get("storage", set()) == set()


def test_subscribers_imports_nothing_of_syndication() -> None:
    assert _edges().get("subscribers", set()) <= {"storage"}


def test_no_module_imports_itself_back() -> None:
    assert _loops(_imports()) == set()


def test_no_two_packages_import_each_other() -> None:
    edges = _edges()
    assert "syndication.scheduler" not in edges["syndication.web"]
    assert all(loop <= LAYERED for loop in _loops(edges))


def test_every_exception_class_is_in_its_package_tree() -> None:
    strays = set()
    for package in (storage, subscribers, syndication):
        top = package.__name__
        for info in pkgutil.walk_packages(package.__path__, f"{top}."):
            if ".migrations." in f"{info.name}.":
                continue
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if not (inspect.isclass(value) and issubclass(value, BaseException)):
                    continue
                if value.__module__ != info.name:
                    continue  # imported, not defined here
                if info.name != f"{top}.errors" or not issubclass(value, ROOTS[top]):
                    strays.add(f"{info.name}.{name}")
    assert strays <= KNOWN_STRAYS
