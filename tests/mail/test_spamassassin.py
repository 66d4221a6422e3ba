"""Every kind of message scores at most 0.5 with SpamAssassin (offline), signed or not.

`spamassassin -L -t` runs the local rules only (no DNS blocklists, no Bayes learning), so
the score is what our own headers, HTML and text earn. The first template scored 1.7: a
hidden preheader (FONT_INVIS_MSGID, +1.0) in the background's colour
(HTML_FONT_LOW_CONTRAST, +0.7).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping

import pytest

from harness.dkim import DkimTestKeys
from syndication.config import Settings
from syndication.dkim_keys import dkim_signer
from syndication.releases import Release
from tests.mail.conftest import messages_of_every_kind

LIMIT = 0.5
SPAMASSASSIN = shutil.which("spamassassin")
_STATUS = re.compile(r"^X-Spam-Status: .*?score=(?P<score>-?[\d.]+) .*?tests=(?P<tests>.*?) "
                     r"autolearn", re.MULTILINE | re.DOTALL)


def spam_score(message: bytes) -> tuple[float, list[str]]:
    """SpamAssassin's score of `message` and the rules it hit."""
    assert SPAMASSASSIN is not None, "spamassassin is installed by .ci/run"
    report = subprocess.run(
        [SPAMASSASSIN, "-L", "-t", "--cf=bayes_auto_learn 0"],
        input=message, capture_output=True, check=False, timeout=120,
    ).stdout.decode("utf-8", "replace")
    status = _STATUS.search(report)
    assert status is not None, report[-2000:]
    tests = "".join(status.group("tests").split())
    return float(status.group("score")), [name for name in tests.split(",") if name != "none"]


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned", "dkim-signed"])
def test_every_kind_of_message_scores_at_most_half_a_point(
    settings: Settings, releases: Mapping[str, Release], monkeypatch: pytest.MonkeyPatch,
    signed: bool,
) -> None:
    messages = messages_of_every_kind(settings, releases)
    if signed:
        keys = DkimTestKeys.generate("minsoc.fed.be")
        keys.install(monkeypatch.setenv)
        signer = dkim_signer(keys.configure(settings))
        assert signer is not None
        messages = {name: signer.sign(raw, timestamp=1_700_000_000)
                    for name, raw in messages.items()}
    scores = {name: spam_score(raw) for name, raw in messages.items()}
    for name, (score, rules) in scores.items():
        print(f"{name}: {score} {' '.join(rules)}")  # shown with -s, and on failure
    assert {name: score for name, (score, _) in scores.items() if score > LIMIT} == {}
    hidden = {"FONT_INVIS_MSGID", "HTML_FONT_LOW_CONTRAST"}
    assert all(not hidden & set(rules) for _, rules in scores.values())
