"""The corpus through `bounces import`: every sample gives its expected outcome.

Each sample is filled in for a delivery of its own (a subscriber per sample, one alert
sent through the Maildir transport with VERP return paths), imported alone, then the
delivery and the subscriber are checked against SPEC's rules.
"""

from __future__ import annotations

import base64
import tomllib

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from harness.sites import Site
from subscribers import get_subscriber
from syndication.bounces.schema import delivery_reports, unmatched_reports
from syndication.cli import cli
from syndication.delivery.outbox_schema import deliveries
from tests.bounces.conftest import (
    CORPUS,
    RETURN_PATH,
    Run,
    fill,
    plan_alert,
    send_to,
    sent_from_maildir,
)

EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))


def test_the_corpus_and_its_expectations_list_the_same_samples() -> None:
    assert sorted(path.stem for path in CORPUS.glob("*.eml")) == sorted(EXPECTED)


def test_every_delivery_goes_out_with_its_own_verp_return_path(bounce_site: Site, run: Run) -> None:
    sent = send_to(bounce_site, run, ["ann@example.org", "bob@example.org"])

    verps = {item.verp for item in sent.values()}
    assert len(verps) == 2
    for item in sent.values():
        local, _, domain = item.verp.partition("@")
        assert domain == "press.example.be"
        assert local.startswith("bounces+")
        assert len(local) <= 64
        assert local == local.lower()
        assert item.address.split("@")[0] not in local
        raw = base64.b32decode(local.removeprefix("bounces+").upper() + "===")
        assert item.delivery_id.to_bytes(8, "big") not in raw  # not the row id in clear


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_sample_gives_its_expected_outcome(
    name: str, bounce_site: Site, run: Run, tmp_path
) -> None:
    address = f"{name}@example.org"
    sent = send_to(bounce_site, run, [address])[address]
    sample = tmp_path / f"{name}.eml"
    sample.write_bytes(fill((CORPUS / f"{name}.eml").read_bytes(), sent))

    result = run("bounces", "import", str(sample))

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    expected = EXPECTED[name]
    with bounce_site.engine.connect() as conn:
        status = conn.scalar(select(deliveries.c.status)
                             .where(deliveries.c.id == sent.delivery_id))
        recorded = conn.execute(select(delivery_reports.c.kind, delivery_reports.c.counted)
                                .where(delivery_reports.c.delivery_id == sent.delivery_id)).all()
        unmatched = conn.execute(select(unmatched_reports.c.reason)).scalars().all()
    subscriber = get_subscriber(bounce_site.engine, sent.subscriber_id)
    if expected["outcome"] != "counted":
        assert recorded == []
        assert unmatched == [expected["outcome"]]
        assert f"1 report kept aside unmatched (1 {expected['outcome']})" in result.output
        assert (status, subscriber.status.value, subscriber.bounces) == ("sent", "active", 0)
        return
    assert unmatched == []
    assert [(kind, counted) for kind, counted in recorded] == [(expected["kind"], True)]
    assert f"1 report matched (1 {expected['kind']}), 1 counted" in result.output
    if expected["kind"] == "hard":
        assert (status, subscriber.status.value, subscriber.bounces) == ("bounced", "active", 1)
    elif expected["kind"] == "soft":  # half a hard bounce: nothing to add yet
        assert (status, subscriber.status.value, subscriber.bounces) == ("sent", "active", 0)
    else:  # a complaint: the delivery stays sent, the person is suppressed at once
        assert (status, subscriber.status.value) == ("sent", "suppressed")


def test_the_whole_corpus_as_a_maildir_and_as_an_mbox(bounce_site: Site, run: Run, tmp_path) -> None:
    names = sorted(EXPECTED)
    sent = send_to(bounce_site, run, [f"{name}@example.org" for name in names])
    maildir = tmp_path / "reports"
    for part in ("new", "cur", "tmp"):
        (maildir / part).mkdir(parents=True)
    mbox = tmp_path / "reports.mbox"
    with mbox.open("wb") as stream:
        for number, name in enumerate(names):
            data = fill((CORPUS / f"{name}.eml").read_bytes(), sent[f"{name}@example.org"])
            (maildir / "new" / f"{number}.sample").write_bytes(data)
            stream.write(b"From MAILER-DAEMON Wed Dec  2 08:00:00 2026\n")
            stream.write(data.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From "))
            stream.write(b"\n")

    from_maildir = run("bounces", "import", str(maildir))
    from_mbox = run("bounces", "import", str(mbox))

    counted = sum(1 for item in EXPECTED.values() if item["outcome"] == "counted")
    kept = len(EXPECTED) - counted
    assert from_maildir.exit_code == 0, from_maildir.output
    assert f"{counted} reports matched (2 complaint, 5 hard, 1 soft), {counted} counted" \
        in from_maildir.output
    assert f"{kept} reports kept aside unmatched (3 unparseable, 3 unsigned)." in from_maildir.output
    # The same reports again: recorded, but a bounce counts once per delivery and a soft
    # bounce once a day; complaints suppress again (already suppressed).
    assert from_mbox.exit_code == 0, from_mbox.output
    assert f"{counted} reports matched (2 complaint, 5 hard, 1 soft), 2 counted" \
        in from_mbox.output
    with bounce_site.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(unmatched_reports)) == 2 * kept
    assert RETURN_PATH.split("@")[1] in next(iter(sent.values())).verp


def test_without_return_path_the_envelope_sender_is_the_from_address(empty_site: Site) -> None:
    empty_site.add_subscriber("ann@example.org")
    plan_alert(empty_site, "alert-1")
    result = CliRunner().invoke(cli, ["--config", str(empty_site.config), "send"])

    assert result.exit_code == 0, result.output
    (sent,) = sent_from_maildir(empty_site).values()
    assert sent.verp == "press@minsoc.fed.be"
