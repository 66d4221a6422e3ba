"""The kinds of email the service sends; each has one HTML and one text template."""

from __future__ import annotations

from enum import StrEnum


class MailKind(StrEnum):
    """What a message is: its template pair is `templates/email/<kind>.html` and `.txt`."""

    ALERT = "alert"  # one release, the moment it is public
    DIGEST = "digest"  # several releases, daily or weekly
    EMBARGO = "embargo"  # an advance copy under embargo, before publication
    CONFIRMATION = "confirmation"  # confirm a web sign-up (double opt-in)
    CORRECTION = "correction"  # a release corrected (`updated`, `[correction] notify`)

    @property
    def is_mailing(self) -> bool:
        """Whether this kind goes to a list (and so carries List-* headers)."""
        return self is not MailKind.CONFIRMATION
