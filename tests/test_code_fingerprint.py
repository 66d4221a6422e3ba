"""The import closure behind the code fingerprints: complete, and libraries all declared."""

from __future__ import annotations

import ast
import re
from importlib import metadata

import pytest

from syndication import code_fingerprint
from syndication.code_fingerprint import PACKAGE, SOURCE_DIR, imported_modules, library_imports
from syndication.releases import cache
from syndication.site import fingerprints


def _module_name(relative: str) -> str:
    parts = relative.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _ast_imports(source: str, module: str, is_package: bool) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = module.split(".")
            anchor = parts if is_package else parts[:-1]
            if node.level:
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return found


@pytest.mark.parametrize(
    "relative", sorted(path.relative_to(SOURCE_DIR).as_posix()
                       for path in SOURCE_DIR.rglob("*.py")),
)
def test_the_fast_scan_sees_every_import_ast_sees(relative: str) -> None:
    source = (SOURCE_DIR / relative).read_text("utf-8")
    module = _module_name(relative)
    is_package = relative.endswith("__init__.py")
    scanned = set(imported_modules(source, module, is_package=is_package))
    assert _ast_imports(source, module, is_package) <= scanned


def test_the_closure_follows_imports_to_the_modules_the_issue_named() -> None:
    # The hand-kept list of output code missed these two.
    for module in (fingerprints.BUILD, cache.LOADER):
        closure = code_fingerprint.import_closure(module)
        assert {"contacts.py", "releases/markdown.py", "__init__.py"} <= set(closure)
    assert "site/build.py" not in code_fingerprint.import_closure(cache.LOADER)


def _distributions(module: str) -> set[str]:
    by_import = metadata.packages_distributions()
    return {_canonical(dist) for name in library_imports(module) for dist in by_import.get(name, [name])}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# The product's other packages, which ship in the same wheel: the build reaches `subscribers`
# only through the config's keyring of secrets, which shapes no output file.
FIRST_PARTY = frozenset({"subscribers", "storage"})


def test_every_library_the_build_imports_is_in_its_fingerprint() -> None:
    declared = {_canonical(name) for name in fingerprints.LIBRARIES}
    assert _distributions(fingerprints.BUILD) - FIRST_PARTY <= declared


def test_every_library_the_loader_imports_is_in_the_cache_key() -> None:
    declared = {_canonical(name) for name in cache.LIBRARIES}
    # Babel only checks the config's language codes, Jinja2 only the syntax of a site's
    # override templates (syndication.branding): neither shapes a release.
    assert _distributions(cache.LOADER) - {"babel", "jinja2"} - FIRST_PARTY <= declared
