"""Every SMTP fault, one test each: each delivery ends sent, or failed with the server's reply.

None is lost (every address is sent or failed), none is stuck (`sending` or `planned` at
the end), a permanent failure is attempted once, and a mailing that meets error after
error pauses and later resumes.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from harness.sites import Site
from syndication.delivery.sender import PAUSE_COOL_DOWN
from syndication.delivery.workers import PAUSE_AFTER
from tests.faults.conftest import Outbox, plan_outbox
from tests.faults.fault_server import FaultServer

DEFERRED = "451 4.3.0 Try again later"
NO_SUCH_USER = "550 5.1.1 No such user here"
MAILBOX_FULL = "552 5.2.2 Mailbox full"
POLICY = "554 5.7.1 Relay access denied"
REJECTED = "554 5.6.0 Message content rejected"
BUSY = "421 4.3.2 Service not available, closing transmission channel"


def received(server: FaultServer) -> Counter[str]:
    """How many messages the server accepted for each address."""
    return Counter(server.plan.recipients())


def assert_settled(
    outbox: Outbox, server: FaultServer, *, failed: dict[str, tuple[str, str]] | None = None
) -> None:
    """Each address sent once with a 250, or (status, reply) as `failed` says and not sent."""
    failed = failed or {}
    rows = outbox.rows()
    copies = received(server)
    assert sorted(rows) == outbox.addresses  # nobody lost from the outbox
    for address, row in rows.items():
        if address in failed:
            assert (row.status, row.last_reply) == failed[address], address
            assert copies[address] == 0, address
        else:
            assert row.status == "sent", (address, row)
            assert (row.last_reply or "").startswith("250 "), row
            assert copies[address] == 1, address
    assert set(copies) <= set(rows)


async def test_refused_connections_keep_everyone_planned_until_the_server_is_back(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, 6)
    server.stop()

    down = await outbox.send(server)

    assert (down.sent, down.retry) == (0, 6)
    rows = outbox.rows().values()
    assert {(row.status, row.attempts) for row in rows} == {("planned", 1)}
    assert all(row.last_reply and row.last_reply.startswith("cannot connect") for row in rows)
    server.start()
    outbox.later(outbox.site.settings.mail.retry_base)
    up = await outbox.send(server)
    assert up.sent == 6
    assert_settled(outbox, server)


async def test_a_421_greeting_fails_only_those_connections_and_is_retried(
    site: Site, server: FaultServer
) -> None:
    # A 421 is a throttle (domain_lanes.py): the domain is backed off and the refused
    # claims wait in its lane and are retried in this same run, without counting an
    # attempt, instead of being planned for a later run with attempts == 1 as before the
    # lanes. So the first run sends all 8, each exactly once, none planned again.
    outbox = plan_outbox(site, 8)
    server.plan.greet(BUSY, times=3)  # the first connection of each of the 3 pool slots

    first = await outbox.send(server)

    assert (first.sent, first.retry, first.failed) == (8, 0, 0)
    assert server.plan.sessions >= 3 + 1  # 3 refused greetings, then a connection that sent
    assert {(row.status, row.attempts) for row in outbox.rows().values()} == {("sent", 1)}
    assert_settled(outbox, server)


async def test_451_to_some_recipients_retries_only_them(site: Site, server: FaultServer) -> None:
    outbox = plan_outbox(site, 8)
    deferred = outbox.addresses[1::3]
    for address in deferred:
        server.plan.defer(address, times=2)

    first = await outbox.send(server)

    assert (first.sent, first.retry) == (8 - len(deferred), len(deferred))
    rows = outbox.rows()
    assert {a: (r.status, r.last_reply) for a, r in rows.items() if a in deferred} == {
        address: ("planned", DEFERRED) for address in deferred
    }
    await outbox.drain(server)
    assert_settled(outbox, server)
    rows = outbox.rows()
    assert {address: rows[address].attempts for address in deferred} == dict.fromkeys(deferred, 3)
    assert {server.plan.attempts[address] for address in deferred} == {3}


async def test_a_connection_dropped_in_the_middle_of_data_is_retried_and_arrives_once(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, 8)
    server.plan.drop_mid_data(times=2)

    first = await outbox.send(server)

    assert (first.sent, first.retry) == (6, 2)
    assert len(server.plan.messages) == 6  # half a message is no message
    waiting = [row for row in outbox.rows().values() if row.status == "planned"]
    assert all(row.last_reply and row.last_reply.startswith("connection lost") for row in waiting)
    await outbox.drain(server)
    assert_settled(outbox, server)


async def test_a_connection_dropped_after_the_final_dot_is_retried_and_arrives_once(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, 8)
    server.plan.drop(2)  # the server read the whole message, then hung up without a reply

    first = await outbox.send(server)

    assert (first.sent, first.retry) == (6, 2)
    await outbox.drain(server)
    assert_settled(outbox, server)


async def test_a_server_stalling_past_the_timeout_is_given_up_on_and_retried(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, 6)
    stalled = outbox.addresses[2]
    server.plan.stall_rcpt(stalled, seconds=30)
    timeout = {"smtp": {"timeout": timedelta(seconds=0.5)}}  # a transaction gets 3 × 0.5 s

    first = await outbox.send(server, **timeout)

    assert (first.sent, first.retry) == (5, 1)
    row = outbox.rows()[stalled]
    assert (row.status, row.attempts, row.last_reply) == ("planned", 1, "no reply within 2 s")
    server.plan.heal()
    await outbox.drain(server, **timeout)
    assert_settled(outbox, server)


async def test_a_250_that_comes_too_late_sends_again_with_the_same_message_id(
    site: Site, server: FaultServer
) -> None:
    # The server stored the message but answered after our deadline: we cannot know it
    # arrived, so it is sent again (at-least-once), and the copy carries the same
    # Message-ID so mail clients show it once (docs/adr/0001).
    outbox = plan_outbox(site, 4)
    slow = outbox.addresses[0]
    server.plan.stall_after_data(slow, seconds=3)
    timeout = {"smtp": {"timeout": timedelta(seconds=0.5)}}

    first = await outbox.send(server, **timeout)
    server.plan.heal()
    await outbox.drain(server, **timeout)

    assert (first.sent, first.retry) == (3, 1)
    copies = [message.parsed() for message in server.plan.messages if message.recipients == (slow,)]
    assert len(copies) == 2
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"]
    assert outbox.rows()[slow].status == "sent"
    assert all(count == 1 for address, count in received(server).items() if address != slow)


async def test_550_and_552_to_recipients_fail_at_once_with_the_reply_and_are_not_retried(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, 8)
    unknown, full, policy = outbox.addresses[1], outbox.addresses[4], outbox.addresses[6]
    server.plan.refuse(unknown)
    server.plan.answer_rcpt(full, MAILBOX_FULL)
    server.plan.answer_rcpt(policy, POLICY)

    first = await outbox.send(server)
    outbox.later(timedelta(days=30))
    later = await outbox.send(server)

    assert (first.sent, first.bounced, first.failed, first.retry) == (5, 1, 2, 0)
    assert later == type(later)()  # nothing left to try
    assert_settled(outbox, server, failed={
        unknown: ("bounced", NO_SUCH_USER),  # the address itself: counts toward suppression
        full: ("failed", MAILBOX_FULL),
        policy: ("failed", POLICY),  # 5.7.x is a policy refusal, not a bad address
    })
    assert {server.plan.attempts[a] for a in (unknown, full, policy)} == {1}
    assert {outbox.rows()[a].attempts for a in (unknown, full, policy)} == {1}


async def test_a_5xx_after_the_message_fails_it_and_a_4xx_retries_it(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, 6)
    refused, deferred = outbox.addresses[0], outbox.addresses[3]
    server.plan.answer_data(refused, REJECTED)
    server.plan.answer_data(deferred, DEFERRED)

    first = await outbox.send(server)
    server.plan.heal()
    await outbox.drain(server)

    assert (first.sent, first.failed, first.retry) == (4, 1, 1)
    assert_settled(outbox, server, failed={refused: ("failed", REJECTED)})
    assert outbox.rows()[deferred].attempts == 2


async def test_a_mailing_pauses_after_errors_in_a_row_and_resumes_after_the_cool_down(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, PAUSE_AFTER + 20)
    server.plan.defer(times=100_000)  # 451 to everyone

    failing = await outbox.send(server)

    assert failing.sent == 0
    assert PAUSE_AFTER <= failing.retry < PAUSE_AFTER + 3  # + what was in flight
    ((_key, reason),) = failing.paused
    assert reason.startswith(f"{PAUSE_AFTER} errors in a row")
    assert DEFERRED in reason
    attempts = Counter((row.status, row.attempts) for row in outbox.rows().values())
    assert attempts == {("planned", 1): failing.retry, ("planned", 0): 70 - failing.retry}
    server.plan.heal()
    outbox.later(PAUSE_COOL_DOWN / 2)
    cooling = await outbox.send(server)
    assert (cooling.sent, cooling.paused) == (0, failing.paused)
    outbox.later(PAUSE_COOL_DOWN)
    resumed = await outbox.send(server)
    assert (resumed.resumed, resumed.sent, resumed.paused) == ((_key,), 70, ())
    assert_settled(outbox, server)


async def test_a_relay_refusing_everyone_pauses_before_it_bounces_the_whole_list(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, PAUSE_AFTER + 30)
    for address in outbox.addresses:
        server.plan.refuse(address)

    refusing = await outbox.send(server)

    assert refusing.paused
    assert PAUSE_AFTER <= refusing.bounced < PAUSE_AFTER + 3
    bounced = {a for a, row in outbox.rows().items() if row.status == "bounced"}
    server.plan.heal()
    resumed = await outbox.send(server, resume=True)
    assert resumed.sent == len(outbox.addresses) - len(bounced)
    assert_settled(outbox, server, failed=dict.fromkeys(bounced, ("bounced", NO_SUCH_USER)))


async def test_every_fault_at_once_still_settles_every_delivery(
    site: Site, server: FaultServer
) -> None:
    outbox = plan_outbox(site, 40)
    addresses = outbox.addresses
    server.plan.greet(BUSY, times=2)
    server.plan.drop_mid_data(times=3)
    server.plan.drop(2)
    for address in addresses[0:10:2]:
        server.plan.defer(address, times=2)
    server.plan.refuse(addresses[11])
    server.plan.answer_rcpt(addresses[13], MAILBOX_FULL)
    server.plan.answer_data(addresses[15], REJECTED)
    server.plan.stall_rcpt(addresses[17], seconds=30)
    timeout = {"smtp": {"timeout": timedelta(seconds=0.5)}}

    first = await outbox.send(server, **timeout)
    server.plan.stall_rcpt(addresses[17], seconds=0)
    await outbox.drain(server, **timeout)

    assert first.retry >= 5 + 3 + 2 + 1
    assert_settled(outbox, server, failed={
        addresses[11]: ("bounced", NO_SUCH_USER),
        addresses[13]: ("failed", MAILBOX_FULL),
        addresses[15]: ("failed", REJECTED),
    })
