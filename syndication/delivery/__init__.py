"""Delivery: the outbox of newsletters and the pipeline that empties it.

    planner    mailings → deliveries, one INSERT ... SELECT each (who gets what, in which
               languages); digest_recipients.py and languages.py hold its SQL
    outbox     claim due deliveries under a lease (SKIP LOCKED), record results in batches
    sender     `send_due`: claim → compose → rate limit → transport → record
    workers    one sending run: producer, workers, recorder
    messages   a claimed delivery's bytes: template once per variant, Message-ID, links
    ratelimit  the global token bucket
    transports Maildir and SMTP behind one `Transport` protocol
    report     what `deliveries` shows
    release_stats  per-release delivery counts and reach (the admin API's)
    outbox_schema  the `mailings` and `deliveries` tables (migrations: syndication/migrations)

Semantics (at-least-once, bounded re-sends, stable Message-ID): docs/adr/0001.
"""
