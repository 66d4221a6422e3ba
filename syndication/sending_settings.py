"""The deliverability keys of `[mail]`: DKIM signing (`[mail.dkim]`) and per-domain limits.

    [mail.dkim]
    domain = "press.example.be"
    selector = "press2026"                       # RSA-2048 (or Ed25519) key
    private_key_env = "SYNDICATION_DKIM_KEY"     # the PEM text, in the environment
    ed25519_selector = "press2026e"              # optional second signature (RFC 8463)
    ed25519_private_key_env = "SYNDICATION_DKIM_ED25519_KEY"

    [mail.domains."gmail.com"]
    concurrency = 2                              # messages in flight to the domain at once
    rate = 20                                    # messages a second to the domain, site-wide

Only the names of the variables are in the file: the keys are read from the environment
when a message is signed or `check` runs (syndication/dkim_keys.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from syndication.tomlfields import Fields

# RFC 6376 §3.1: a selector is dot-separated sub-domains; RFC 1035 labels.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")


@dataclass(frozen=True, slots=True)
class DkimKeySettings:
    """One signing key: its selector and the environment variable that holds its PEM text."""

    selector: str
    private_key_env: str

    def pem(self) -> str | None:
        """The private key's PEM text from its environment variable, if set."""
        return os.environ.get(self.private_key_env) or None


@dataclass(frozen=True, slots=True)
class DkimSettings:
    """Sign every message for `domain` with each key (the first is the main one)."""

    domain: str
    keys: tuple[DkimKeySettings, ...]


@dataclass(frozen=True, slots=True)
class DomainLimit:
    """Limits for one recipient domain, on top of the site-wide ones."""

    concurrency: int | None
    rate: float | None


def read_dkim(fields: Fields | None) -> DkimSettings | None:
    """`[mail.dkim]`, or None when the table is absent (messages go out unsigned)."""
    if fields is None:
        return None
    domain = _domain(fields, "domain", required=True)
    keys = [DkimKeySettings(
        _domain(fields, "selector", required=True),
        fields.text("private_key_env") or "SYNDICATION_DKIM_KEY",
    )]
    second = _domain(fields, "ed25519_selector", required=False)
    if second:
        keys.append(DkimKeySettings(
            second, fields.text("ed25519_private_key_env") or "SYNDICATION_DKIM_ED25519_KEY"
        ))
    elif fields.has("ed25519_private_key_env"):
        fields.problem("ed25519_selector", "is needed when ed25519_private_key_env is set")
    if len({key.selector for key in keys}) < len(keys):
        fields.problem("ed25519_selector", "must differ from selector (one key per selector)")
    fields.finish()
    return DkimSettings(domain.lower(), tuple(keys))


def read_domains(fields: Mapping[str, Fields]) -> dict[str, DomainLimit]:
    """`[mail.domains."<domain>"]` tables: each with `concurrency` and/or `rate`."""
    limits = {}
    for name, table in fields.items():
        if not _DOMAIN.fullmatch(name):
            table.problem("", "the table's name must be a recipient domain (example.org)")
        concurrency = table.integer("concurrency", default=0, minimum=1) if table.has(
            "concurrency") else None
        rate = table.number("rate", default=0, minimum=0.001) if table.has("rate") else None
        if concurrency is None and rate is None:
            table.problem("", "set concurrency, rate or both")
        table.finish()
        limits[name.lower()] = DomainLimit(concurrency, rate)
    return limits


def _domain(fields: Fields, key: str, *, required: bool) -> str:
    value = fields.text(key, required=required) or ""
    if value and not _DOMAIN.fullmatch(value):
        fields.problem(key, f"must be a DNS name (letters, digits, hyphens, dots), not {value!r}")
    return value
