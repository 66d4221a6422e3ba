"""Fingerprints of the code that shapes an output: a module and every module it imports.

A cache keyed on its inputs goes stale when the code turning those inputs into output
changes. Rather than a hand-kept list of files (which missed some), the fingerprint follows
a module's imports through the source within this package (statically, not `sys.modules`:
the same tree gives the same value in every process, whatever was imported before) and
hashes those files with the versions of the libraries named.

Imports are found by a regular expression over each line, not by `ast`: parsing the ~35
modules of the site's build took a tenth of a second of every build. The scan can only see
too much (an import-looking line in a docstring counts, as does an import inside a function),
which costs a render, never a stale page; a test checks it sees everything `ast` sees.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

PACKAGE = "syndication"
# `from .x import (a, b)` (parentheses may span lines) and `import a.b as c, d`, at the start
# of a line; backslash continuations are joined first.
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)"
    r"|import[ \t]+([^\n#;]*))",
    re.MULTILINE,
)
_COMMENT = re.compile(r"#[^\n]*")
# Read at call time (not bound as a default), so a test can point it at an edited copy.
SOURCE_DIR = Path(__file__).resolve().parent


def code_fingerprint(module: str, *, libraries: Sequence[str] = ()) -> str:
    """A hash of the sources `module` imports (itself included) and of `libraries`' versions."""
    return _fingerprint(module, SOURCE_DIR, tuple(libraries))


def import_closure(module: str) -> tuple[str, ...]:
    """The package-relative paths of `module`'s source and of all it imports, sorted."""
    return _closure(module, SOURCE_DIR)[0]


def library_imports(module: str) -> frozenset[str]:
    """The top-level names `module`'s closure imports from outside the package and stdlib."""
    return _closure(module, SOURCE_DIR)[1]


@lru_cache(maxsize=16)
def _fingerprint(module: str, source_dir: Path, libraries: tuple[str, ...]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for path in _closure(module, source_dir)[0]:
        # The path too, so moving code between modules changes the value.
        digest.update(f"{path}\0".encode())
        digest.update((source_dir / path).read_bytes())
        digest.update(b"\0")
    for library in libraries:
        digest.update(f"{library}={metadata.version(library)}\0".encode())
    return digest.hexdigest()


@lru_cache(maxsize=16)
def _closure(module: str, source_dir: Path) -> tuple[tuple[str, ...], frozenset[str]]:
    files = _package_files(source_dir)
    seen: dict[str, str] = {}  # module name -> package-relative path
    outside: set[str] = set()
    pending = [module]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        path = _source_path(name, files)
        if path is None:
            raise ModuleNotFoundError(f"no source for {name} in {source_dir}")
        seen[name] = path
        pending.extend(_parents(name))
        source = (source_dir / path).read_text(encoding="utf-8")
        for imported in imported_modules(source, name, is_package=path.endswith("__init__.py")):
            top = imported.partition(".")[0]
            if top == PACKAGE:
                if _source_path(imported, files) is not None:
                    pending.append(imported)  # else a name imported from a module
            elif top not in sys.stdlib_module_names:
                outside.add(top)
    return tuple(sorted(seen.values())), frozenset(outside)


def imported_modules(source: str, module: str, *, is_package: bool) -> Iterable[str]:
    """Every module name an import line of `source` may load (imported names as modules too)."""
    for base, names, plain in _IMPORT.findall(source.replace("\\\n", " ")):
        if plain:
            yield from (_alias_target(alias) for alias in plain.split(","))
            continue
        if base.startswith("."):
            dots = len(base) - len(base.lstrip("."))
            parts = module.split(".")
            anchor = parts if is_package else parts[:-1]
            anchor = anchor[: len(anchor) - (dots - 1)]
            base = ".".join([*anchor, base[dots:]] if base[dots:] else anchor)
        yield base
        # `from package import name`: the name may be a submodule.
        for alias in _COMMENT.sub("", names).strip("()").split(","):
            target = _alias_target(alias)
            if target and target != "*":
                yield f"{base}.{target}"


def _alias_target(alias: str) -> str:
    """`a.b` of `a.b as c`, whitespace around it."""
    words = alias.split()
    return words[0] if words else ""


@lru_cache(maxsize=4)
def _package_files(source_dir: Path) -> frozenset[str]:
    """Every module file of the package, relative to it (one walk, not a stat per name)."""
    return frozenset(path.relative_to(source_dir).as_posix() for path in source_dir.rglob("*.py"))


def _parents(module: str) -> list[str]:
    """The packages whose `__init__` importing `module` runs."""
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def _source_path(module: str, files: frozenset[str]) -> str | None:
    """The package-relative source of `module`, or None if it is not a module of ours."""
    relative = "/".join(module.split(".")[1:])
    package = f"{relative}/__init__.py" if relative else "__init__.py"
    if package in files:
        return package
    return f"{relative}.py" if f"{relative}.py" in files else None
