"""The exception tree of the publishing side, and the `Problem` every validator reports.

    SyndicationError
    ├── ConfigError                  config.toml is unusable: every problem found
    ├── ReleaseError                 release files are invalid: every problem found
    └── DeliveryError                one delivery could not be made
        ├── TransientDeliveryError   4xx reply, dropped or timed-out connection: retry later
        └── PermanentDeliveryError   5xx reply: the delivery fails with the server's reply

Validation never stops at the first problem: it collects `Problem`s (file, field, reason)
and raises once, or hands them back beside the good results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from syndication.pickling import PickledByFields


@dataclass(frozen=True, slots=True)
class Problem(PickledByFields):
    """One thing wrong with one input: where (file and field) and why."""

    source: str
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        return f"{where}: {self.reason}"


class SyndicationError(Exception):
    """Root of every error this package raises on purpose."""


class _ProblemsError(SyndicationError):
    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class ConfigError(_ProblemsError):
    """The config file is missing, unreadable or invalid."""


class ReleaseError(_ProblemsError):
    """One or more release files are invalid."""


class DeliveryError(SyndicationError):
    """A delivery could not be made; `reply` is the server's answer, if any."""

    def __init__(self, reply: str, *, code: int | None = None) -> None:
        self.reply = reply
        self.code = code
        super().__init__(reply)


class TransientDeliveryError(DeliveryError):
    """Worth retrying later: 4xx reply, connection refused, dropped or timed out."""


class PermanentDeliveryError(DeliveryError):
    """Not worth retrying: 5xx reply."""
