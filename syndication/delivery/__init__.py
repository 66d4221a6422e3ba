"""Delivery: the outbox of newsletters and the pipeline that empties it.

    planner    mailings → deliveries, one INSERT ... SELECT each (who gets what, in which
               languages); digest_recipients.py and languages.py hold its SQL
    outbox     claim due deliveries under a lease (SKIP LOCKED), record results in batches
    sender     `send_due`: reap the dead → register → claim → compose → rate limit →
               transport → record → what is left (backlog)
    workers    one sending run: producer (claim window), workers, recorder
    presence   a sender's lock, row and heartbeat while it runs (lease renewal, rate split)
    senders    the `senders` table: register, heartbeat, find and reap dead senders
    claimant_locks  locks that die with their sender (PostgreSQL advisory, SQLite flock)
    backlog    what a send left and why: held, orphaned, retrying, not due yet
    messages   a claimed delivery's bytes: template once per variant, Message-ID, links
    ratelimit  token buckets by key (`site`, `domain:<name>`), split among live senders
    transports Maildir and SMTP behind one `Transport` protocol
    report     what `deliveries` shows
    release_stats  per-release delivery counts and reach (the admin API's)
    outbox_schema  the `mailings`, `deliveries` and `senders` tables (migrations:
               syndication/migrations)

Semantics (at-least-once, claims that die with their sender, bounded re-sends, stable
Message-ID, one site-wide rate): docs/adr/0001.
"""
