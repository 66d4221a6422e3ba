"""The exception tree of the publishing side, and the `Problem` every validator reports.

    SyndicationError
    ├── ConfigError                  config.toml is unusable: every problem found
    ├── UnreadableFile               a TOML file is too large, too deep, a link, not TOML
    ├── ReleaseError                 release files are invalid: every problem found
    ├── DeliveryError                one delivery could not be made
    │   ├── TransientDeliveryError   4xx reply, dropped or timed-out connection: retry later
    │   └── PermanentDeliveryError   5xx reply: the delivery fails with the server's reply
    │       └── HardBounce           the server refused the address itself (RFC 3463 5.1.x)
    ├── BadBody                      a web request's body is not a form or a JSON object
    │   └── BodyTooLarge             ... or is larger than the web app reads
    ├── ServiceError                 `run` cannot start: port taken, database unreachable
    ├── WorkerError                  a worker process of a build or a load failed
    ├── ReportSourceError            `bounces import PATH`: not a message, mbox or Maildir
    └── MailingError                 an admin's move on a mailing cannot be made
        ├── UnknownMailing           no mailing has this key
        └── CancelledMailing         the mailing was cancelled: nothing of it is retried

The subscribers package has its own tree (`subscribers.errors.SubscriberError`), and the
storage layer its own (`storage.errors.StorageError`).

Validation never stops at the first problem: it collects `Problem`s (file, field, reason)
and raises once, or hands them back beside the good results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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


class UnreadableFile(SyndicationError):
    """A TOML file cannot be read as a document; the message is the reason."""


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


class HardBounce(PermanentDeliveryError):
    """The server refused the recipient address itself (RFC 3463 status 5.1.x)."""


class BadBody(SyndicationError):
    """A request body is neither a form nor a JSON object of strings."""


class BodyTooLarge(BadBody):
    """A request body exceeds what the web app reads (`web.forms.MAX_BODY`)."""


class ServiceError(SyndicationError):
    """The service cannot start (the port is taken, the database is unreachable)."""


class WorkerError(SyndicationError):
    """A worker process (a build's or a load's) failed; carries its error output."""


class ReportSourceError(SyndicationError):
    """A path that is neither a message, an mbox nor a Maildir, or cannot be read."""


class MailingError(SyndicationError):
    """An admin's move on a mailing (delivery/steering.py) cannot be made."""

    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message)
        self.key = key


class UnknownMailing(MailingError):
    """No mailing has this key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no mailing {key!r} (`mailings list` shows every key)", key=key)


class CancelledMailing(MailingError):
    """The mailing was cancelled: nothing of it is planned again."""

    def __init__(self, key: str, at: datetime) -> None:
        super().__init__(
            f"mailing {key!r} was cancelled at {at.isoformat()}: nothing of it is retried",
            key=key,
        )
        self.cancelled_at = at
