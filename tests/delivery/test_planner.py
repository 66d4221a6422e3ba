"""Planning: who gets which mailing, in which languages, and planning twice creates nothing."""

from __future__ import annotations

from sqlalchemy import Engine

from subscribers import Frequency, erase_person
from syndication.config import Settings
from syndication.delivery.outbox_schema import alert_key, embargo_key
from syndication.delivery.planner import plan_embargo_notice, plan_release_alert
from syndication.releases import Release
from tests.delivery.people import add, by_subscriber, hours, rows

CHINA = "2016-08-31-belincosoc-china"  # fr + nl, list press
TELEWORK = "2021-06-08-telework-well-being-survey"  # fr + nl, every list
INFOSESSIES = "2023-10-05-infosessies-startende-zelfstandigen"  # nl only, list public
SENEGAL = "2026-02-10-belincosoc-senegal"  # fr only, list press
PENSION = "2027-03-15-pension-adequacy-study"  # embargo for list accredited


def plan_everything(engine: Engine, settings: Settings, releases: dict[str, Release]) -> int:
    """Plan every example release's embargo notice and alert at their due times."""
    planned = 0
    for release in releases.values():
        if release.embargo is not None:
            planned += plan_embargo_notice(engine, settings, release, at=release.embargo.notify_at)
        planned += plan_release_alert(engine, settings, release, at=release.published)
    return planned


def test_planning_twice_yields_the_same_rows(
    backend: str,
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    site_secret: bytes,
) -> None:
    add(store, "both@example.org", languages=["nl", "fr"])
    add(store, "french@example.org", languages=["fr"], lists=["press"])
    add(store, "accredited@example.org", languages=["fr"], lists=["accredited"])
    add(store, "daily@example.org", frequency=Frequency.DAILY)

    first = plan_everything(store, settings, releases)
    planned = rows(store)
    second = plan_everything(store, settings, releases)

    assert first == len(planned) > 0
    assert second == 0
    assert rows(store) == planned


def test_a_delivery_is_in_the_release_languages_the_subscriber_reads_in_their_order(
    backend: str, store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    dutch_first = add(store, "nl-fr@example.org", languages=["nl", "fr"])
    french_first = add(store, "fr-nl@example.org", languages=["fr", "nl"])
    french = add(store, "fr@example.org", languages=["fr"])
    add(store, "de@example.org", languages=["de"])

    for release_id in (TELEWORK, INFOSESSIES):
        release = releases[release_id]
        plan_release_alert(store, settings, release, at=release.published)

    assert by_subscriber(store, alert_key(TELEWORK)) == {
        dutch_first: "nl,fr",
        french_first: "fr,nl",
        french: "fr",
    }
    # A Dutch-only release: French-only readers are not planned at all.
    assert by_subscriber(store, alert_key(INFOSESSIES)) == {dutch_first: "nl", french_first: "nl"}


def test_an_alert_goes_to_immediate_subscribers_of_its_lists_whose_themes_match(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    press = add(store, "press@example.org", lists=["press"])
    public = add(store, "public@example.org", lists=["public"])
    add(store, "daily@example.org", lists=["press"], frequency=Frequency.DAILY)
    pensions_only = add(store, "pensions@example.org", lists=["press"], themes=["pensions"])
    international = add(store, "intl@example.org", lists=["press"], themes=["international"])

    for release_id in (CHINA, TELEWORK):
        release = releases[release_id]
        plan_release_alert(store, settings, release, at=release.published)

    assert set(by_subscriber(store, alert_key(CHINA))) == {press, international}
    # No lists in the release: every list; no theme matches the pensions-only reader.
    assert set(by_subscriber(store, alert_key(TELEWORK))) == {press, public}
    assert pensions_only not in by_subscriber(store, alert_key(TELEWORK))


def test_embargo_recipients_get_the_notice_whatever_their_frequency_and_no_alert(
    backend: str, store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    pension = releases[PENSION]
    assert pension.embargo is not None
    accredited = add(store, "acc@example.org", lists=["accredited", "press"])
    accredited_daily = add(
        store, "acc-daily@example.org", lists=["accredited"], frequency=Frequency.DAILY
    )
    press = add(store, "press@example.org", lists=["press"])

    notified = plan_embargo_notice(store, settings, pension, at=pension.embargo.notify_at)
    alerted = plan_release_alert(store, settings, pension, at=pension.published)

    assert notified == 2
    assert set(by_subscriber(store, embargo_key(PENSION))) == {accredited, accredited_daily}
    assert alerted == 1
    assert set(by_subscriber(store, alert_key(PENSION))) == {press}


def test_nothing_is_planned_before_its_time_or_long_after_it(
    store: Engine, settings: Settings, releases: dict[str, Release]
) -> None:
    add(store, "someone@example.org")
    china, pension = releases[CHINA], releases[PENSION]
    assert pension.embargo is not None
    too_late = settings.mail.max_age + hours(1)

    assert plan_release_alert(store, settings, china, at=china.published - hours(1)) == 0
    assert plan_release_alert(store, settings, china, at=china.published + too_late) == 0
    assert (
        plan_embargo_notice(store, settings, pension, at=pension.embargo.notify_at - hours(1)) == 0
    )
    # Once the release is public, the alert serves everyone: no embargo notice.
    assert plan_embargo_notice(store, settings, pension, at=pension.published) == 0
    assert rows(store) == []
    # At the due instant exactly, it is due.
    assert plan_release_alert(store, settings, china, at=china.published) == 1


def test_erasing_a_subscriber_keeps_the_delivery_but_nothing_about_them(
    backend: str,
    store: Engine,
    settings: Settings,
    releases: dict[str, Release],
    site_secret: bytes,
) -> None:
    add(store, "forget-me@example.org")
    kept = add(store, "keep-me@example.org")
    china = releases[CHINA]
    plan_release_alert(store, settings, china, at=china.published)

    erase_person(store, "forget-me@example.org", site_secret)

    assert set(by_subscriber(store, alert_key(CHINA))) == {None, kept}
    assert "forget-me" not in repr(rows(store))
    # Planning again after the erasure does not bring the person back.
    assert plan_release_alert(store, settings, china, at=china.published) == 0
