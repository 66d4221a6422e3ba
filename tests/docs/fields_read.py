"""Which keys a loader reads: every `Fields` access recorded, by its dotted name."""

from __future__ import annotations

from typing import Any

import pytest

from syndication.tomlfields import Fields


def record_fields_read(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """From now on (for the test), every key any `Fields` reads or tests is added here."""
    read: set[str] = set()
    get, has = Fields._get, Fields.has

    def recording_get(self: Fields, key: str, required: bool) -> Any:
        read.add(self.name(key))
        return get(self, key, required)

    def recording_has(self: Fields, key: str) -> bool:
        read.add(self.name(key))
        return has(self, key)

    monkeypatch.setattr(Fields, "_get", recording_get)
    monkeypatch.setattr(Fields, "has", recording_has)
    return read
