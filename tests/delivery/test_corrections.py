"""Correction notices: mailed once per `updated` value to whoever received the release.

"Received" is a SENT delivery of its alert, its embargo notice or a digest that carried
it; the messages are really sent (Maildir transport) and read back.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from email import message_from_bytes, policy

from sqlalchemy import Engine, update

from subscribers import Frequency
from syndication.config import Settings
from syndication.delivery.outbox_schema import (
    DeliveryStatus,
    alert_key,
    correction_key,
    deliveries,
    mailings,
)
from syndication.delivery.planner import plan_digest, plan_embargo_notice, plan_release_alert
from syndication.delivery.sender import send_due
from syndication.releases import Correction, Embargo, LoadedReleases, Release
from syndication.scheduler.tick import publish_tick
from tests.delivery.people import add, by_subscriber, hours

TELEWORK = "2021-06-08-telework-well-being-survey"
NOTE = {"fr": "Le montant a été corrigé.", "nl": "Het bedrag is gecorrigeerd."}


def fresh(release: Release, embargo: Embargo | None = None) -> Release:
    """An uncorrected copy of an example release under another id."""
    return dataclasses.replace(release, id="corrected-release", updated=None, correction=None,
                               embargo=embargo, digest="")


def corrected(release: Release, updated: datetime) -> Release:
    """The release corrected at `updated`, with a note and `notify = true`."""
    return dataclasses.replace(release, updated=updated,
                               correction=Correction(NOTE, notify=True), digest="")


def sent_subjects(settings: Settings) -> dict[str, set[str]]:
    """The subjects of the messages in the Maildir, by recipient."""
    found: dict[str, set[str]] = {}
    for path in (settings.mail.maildir / "new").iterdir():
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        found.setdefault(str(message["To"]), set()).add(str(message["Subject"]))
    return found


async def test_the_notice_goes_once_to_everyone_who_received_the_release_and_no_one_else(
    backend: str, store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    published = releases[TELEWORK].published
    release = fresh(releases[TELEWORK], Embargo(("accredited",), published - hours(6)))
    alice = add(store, "alice@example.org", lists=["press"])  # the alert
    bob = add(store, "bob@example.org", lists=["press"], frequency=Frequency.DAILY)  # a digest
    carol = add(store, "carol@example.org", lists=["accredited"])  # the embargo notice
    dave = add(store, "dave@example.org", lists=["press"])  # an alert that failed
    live = {release.id: release}

    plan_embargo_notice(store, settings, release, at=published - hours(6))
    await send_due(store, settings, live, now=lambda: published - hours(6))
    plan_release_alert(store, settings, release, at=published)
    with store.begin() as conn:  # the server refused dave's copy: a 5xx, no reception
        conn.execute(
            update(deliveries).where(deliveries.c.subscriber_id == dave)
            .values(status=DeliveryStatus.FAILED.value, last_reply="550 no such user")
        )
    await send_due(store, settings, live, now=lambda: published)
    plan_digest(store, settings, frequency=Frequency.DAILY, period_end=published + hours(20),
                releases=[release])
    await send_due(store, settings, live, now=lambda: published + hours(20))
    assert set(by_subscriber(store, alert_key(release.id))) == {alice, dave}
    erin = add(store, "erin@example.org", lists=["press"], since=published + hours(30))
    before = sent_subjects(settings)
    assert set(before) == {"alice@example.org", "bob@example.org", "carol@example.org"}

    first = published + hours(48)
    fixed = corrected(release, first)
    tick = publish_tick(store, settings, at=first + hours(1),
                        releases=LoadedReleases((fixed,), ()), wall_clock=first + hours(1))
    assert tick.corrections == {release.id: 3}
    key = correction_key(release.id, first)
    assert set(by_subscriber(store, key)) == {alice, bob, carol}
    assert dave not in by_subscriber(store, key)
    assert erin not in by_subscriber(store, key)

    # A second tick (and a second planning) sends nothing new.
    again = publish_tick(store, settings, at=first + hours(2),
                         releases=LoadedReleases((fixed,), ()), wall_clock=first + hours(2))
    assert again.corrections == {release.id: 0}
    await send_due(store, settings, {release.id: fixed}, now=lambda: first + hours(2))
    notices = {to: subjects - before[to] for to, subjects in sent_subjects(settings).items()}
    notice = {f"Correctif : {release.versions['fr'].title}"}  # in the reader's first language
    assert notices == {"alice@example.org": notice, "bob@example.org": notice,
                       "carol@example.org": notice}

    # A new `updated` value is a new correction: mailed again, to the same people.
    second = first + hours(24)
    refixed = corrected(release, second)
    tick = publish_tick(store, settings, at=second + hours(1),
                        releases=LoadedReleases((refixed,), ()), wall_clock=second + hours(1))
    assert tick.corrections == {release.id: 3}
    assert set(by_subscriber(store, correction_key(release.id, second))) == {alice, bob, carol}


async def test_the_notice_says_what_changed_in_the_readers_language(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    release = fresh(releases[TELEWORK])
    add(store, "jan@example.org", languages=["nl", "fr"])
    plan_release_alert(store, settings, release, at=release.published)
    await send_due(store, settings, {release.id: release}, now=lambda: release.published)
    fixed = corrected(release, release.published + hours(3))
    publish_tick(store, settings, at=fixed.modified + hours(1),
                 releases=LoadedReleases((fixed,), ()), wall_clock=fixed.modified + hours(1))
    await send_due(store, settings, {fixed.id: fixed}, now=lambda: fixed.modified + hours(1))

    messages = [message_from_bytes(path.read_bytes(), policy=policy.default)
                for path in (settings.mail.maildir / "new").iterdir()]
    title = release.versions["nl"].title
    assert sorted(str(item["Subject"]) for item in messages) == [f"Correctie: {title}", title]
    (message,) = [item for item in messages if str(item["Subject"]).startswith("Correctie")]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert NOTE["nl"] in text
    assert NOTE["fr"] in text
    assert "CORRECTIE van" in text
    assert "CORRECTIF du" in text
    assert message["List-Unsubscribe"]


async def test_without_notify_or_too_late_nothing_is_mailed(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    release = fresh(releases[TELEWORK])
    add(store, "alice@example.org")
    plan_release_alert(store, settings, release, at=release.published)
    await send_due(store, settings, {release.id: release}, now=lambda: release.published)
    quiet = dataclasses.replace(corrected(release, release.published + hours(3)),
                                correction=Correction(NOTE, notify=False))
    late = corrected(release, release.published + hours(3))
    for version, at in ((quiet, quiet.modified + hours(1)), (late, late.modified + hours(25))):
        tick = publish_tick(store, settings, at=at, releases=LoadedReleases((version,), ()),
                            wall_clock=at)
        assert not any(tick.corrections.values())
    with store.connect() as conn:
        kinds = {row.kind for row in conn.execute(mailings.select())}
    assert "correction" not in kinds
    assert "alert" in kinds
