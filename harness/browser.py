"""A real browser for tests: Debian's Chromium driven by Playwright, and axe-core on pages.

Playwright's own browser download cannot run on our machines, so it launches the system
Chromium (`executable_path`). axe-core is vendored (`harness/vendor/axe.min.js`) and injected
into the page under test; `serious_violations` keeps what WCAG 2.1 AA work must fix.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
PHONE_WIDTH = 400
DESKTOP_WIDTH = 1280


def chromium_path() -> str:
    """Debian's Chromium (package `chromium`, which .ci/run installs)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise RuntimeError("chromium is not installed: apt-get install chromium (see .ci/run)")
    return path


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"],
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(
    browser: Browser, *, width: int = DESKTOP_WIDTH, locale: str = "fr-BE",
    bypass_csp: bool = True,
) -> Iterator[Page]:
    """A fresh page (own cookies) of the given viewport width.

    Our pages' Content-Security-Policy forbids inline scripts, which is how axe-core is
    injected: the context bypasses it unless `bypass_csp=False` (to test the policy itself).
    """
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale=locale, bypass_csp=bypass_csp,
    )
    try:
        yield context.new_page()
    finally:
        context.close()


@dataclass(frozen=True, slots=True)
class Violation:
    """One axe-core rule broken on a page, with where."""

    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.impact} {self.rule}: {self.help} at {', '.join(self.targets)}"


def axe_violations(page: Page, *, tags: Sequence[str] = WCAG_AA_TAGS) -> list[Violation]:
    """Run axe-core on the page as it is now; every violation of the WCAG tags."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    return [
        Violation(
            rule=item["id"], impact=item.get("impact") or "unknown", help=item["help"],
            targets=tuple(str(node["target"]) for node in item["nodes"]),
        )
        for item in result["violations"]
    ]


def serious_violations(page: Page) -> list[Violation]:
    """The violations an accessible page must not have (impact serious or critical)."""
    return [v for v in axe_violations(page) if v.impact in BLOCKING_IMPACTS]


def save_screenshot(page: Page, path: Path) -> None:
    """A full-page PNG (for docs/: the look of a page, committed by hand)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
