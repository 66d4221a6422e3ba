"""Where the project's own files live: templates, catalogs, the example site.

The service runs from a checkout (the README installs it editable), so these are found
beside the package rather than inside it.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
EXAMPLE_SITE_DIR = PROJECT_ROOT / "examples"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
