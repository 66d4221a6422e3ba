"""From the bytes of a report to what it says: a bounce (hard or soft), a complaint, or nothing.

- RFC 5965 ARF complaints (`multipart/report; report-type=feedback-report`) are read with
  the standard library: a `message/feedback-report` part whose Feedback-Type is a
  complaint (abuse, fraud, virus, other; `not-spam` is none).
- Bounces, RFC 3464 DSNs and the common non-standard forms (Postfix's and qmail's plain
  text, Exim, Exchange, Yahoo, AOL, ...), are recognised by Mailman's flufl.bounce:
  permanent failures are hard bounces, temporary ones (a DSN's `Action: delayed`) soft.
  Status and Diagnostic-Code come from the DSN's per-recipient fields when there are some.

Parsing never raises: whatever a message holds (garbled MIME, wrong charsets, a detector
failing on it), the worst outcome is a report of kind None, kept aside as unparseable.
What names the delivery is not decided here: `tokens` collects every text where a VERP
address or one of our Message-IDs may appear (headers of the report and of every part,
decoded bodies); match.py keeps only what verifies.
"""

from __future__ import annotations

import email.parser
import email.policy
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from email.message import Message

from flufl.bounce import BounceDetector, all_failures
from flufl.bounce import _scan as flufl_scan

from syndication.bounces.schema import ReportKind

log = logging.getLogger(__name__)

# flufl.bounce's detectors, most authoritative first. `all_failures` gives up (and logs a
# traceback) at the first detector that trips over a message (its Yale detector does on a
# report with no From), hiding what later ones would find: we run them one by one and
# treat a detector's failure as "nothing found", quietly: hostile input is expected here.
_DETECTORS: tuple[type[BounceDetector], ...] = tuple(getattr(flufl_scan, "_DETECTORS", ()))
_FLUFL_LOG = logging.getLogger("flufl.bounce")
_FLUFL_LOG.addHandler(logging.NullHandler())
_FLUFL_LOG.propagate = False

COMPLAINT_TYPES = frozenset({"abuse", "fraud", "virus", "other"})  # RFC 5965 §7.3
_TEXT_LIMIT = 2_000_000  # characters of decoded text searched for our names, at most
_DIAGNOSTIC_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Report:
    """What one report says (kind None: nothing we can use)."""

    kind: ReportKind | None
    recipients: tuple[str, ...]  # the failed (or complained-about) addresses, if given
    status: str | None  # RFC 3463 status, "5.1.1"
    diagnostic: str | None  # the remote server's words
    texts: tuple[str, ...]  # where to look for our VERP addresses and Message-IDs


def parse_report(data: bytes, *, envelope_to: Sequence[str] = ()) -> Report:
    """Read one report; never raises."""
    try:
        message = email.parser.BytesParser(policy=email.policy.compat32).parsebytes(data)
        texts = (*envelope_to, *_texts(message))
    except Exception:  # the email package is lenient; anything left is unparseable
        log.debug("cannot parse a report", exc_info=True)
        return Report(None, (), None, None, tuple(envelope_to))
    try:
        complaint = _complaint(message)
        if complaint is not None:
            return Report(ReportKind.COMPLAINT, complaint, None, None, texts)
        return _bounce(message, texts)
    except Exception:  # a detector tripping over a hostile message
        log.debug("cannot read a report", exc_info=True)
        return Report(None, (), None, None, texts)


def _complaint(message: Message) -> tuple[str, ...] | None:
    if message.get_content_type() != "multipart/report":
        return None
    if str(message.get_param("report-type", "")).lower() != "feedback-report":
        return None
    for part in message.walk():
        if part.get_content_type() != "message/feedback-report":
            continue
        fields = _fields(part)
        if fields.get("feedback-type", "").strip().lower() in COMPLAINT_TYPES:
            recipient = fields.get("original-rcpt-to", "").strip().strip("<>")
            return (recipient,) if recipient else ()
    return None


def _failures(message: Message) -> tuple[frozenset[bytes], frozenset[bytes]]:
    """(temporary, permanent) failed addresses: the first detector that finds any wins."""
    if not _DETECTORS:  # a flufl.bounce without its list: its own loop, all or nothing
        return all_failures(message)
    for detector in _DETECTORS:
        try:
            temporary, permanent = detector().process(message)
        except Exception:  # this detector cannot read it; the next one may
            log.debug("flufl.bounce detector %s failed", detector.__name__, exc_info=True)
            continue
        if temporary or permanent:
            return frozenset(temporary), frozenset(permanent)
    return frozenset(), frozenset()


def _bounce(message: Message, texts: tuple[str, ...]) -> Report:
    temporary, permanent = _failures(message)
    if not temporary and not permanent:
        return Report(None, (), None, None, texts)
    kind = ReportKind.HARD if permanent else ReportKind.SOFT
    failed = permanent or temporary
    recipients = tuple(sorted(address.decode("ascii", "replace") for address in failed))
    status, diagnostic = _dsn_details(message, hard=bool(permanent))
    return Report(kind, recipients, status, diagnostic, texts)


def _dsn_details(message: Message, *, hard: bool) -> tuple[str | None, str | None]:
    """Status and Diagnostic-Code of the first recipient block of the kind found."""
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status" or not part.is_multipart():
            continue
        blocks = part.get_payload()
        for block in blocks[1:] if isinstance(blocks, list) else []:
            if not isinstance(block, Message):
                continue
            action = str(block.get("Action", "")).strip().lower()
            if (action == "failed") != hard and action in ("failed", "delayed"):
                continue
            status = " ".join(str(block.get("Status", "")).split())[:16] or None
            diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
            return status, diagnostic[:_DIAGNOSTIC_LIMIT] or None
    return None, None


def _fields(part: Message) -> dict[str, str]:
    """The header fields of a message/feedback-report (or similar) part, lower-case keys."""
    payload = part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    found: dict[str, str] = {}
    for block in blocks:
        if isinstance(block, Message):
            for key, value in block.items():
                found.setdefault(key.lower(), str(value))
    if not blocks and isinstance(payload, str):
        parsed = email.parser.HeaderParser(policy=email.policy.compat32).parsestr(payload)
        found.update((key.lower(), str(value)) for key, value in parsed.items())
    return found


def _texts(message: Message) -> Iterator[str]:
    """Every header value and decoded text body of the message and its parts, bounded."""
    budget = _TEXT_LIMIT
    for part in message.walk():
        for _key, value in part.items():
            yield str(value)
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and budget > 0:
            text = payload[:budget].decode("utf-8", "replace")
            budget -= len(text)
            yield text
