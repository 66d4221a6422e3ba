"""Bounces and complaints that come back after sending: three ways in, one path through.

    bytes of a report (`bounces import`, `[bounces] maildir`, `[bounces] listen`)
      → parse (RFC 3464 DSNs and non-standard bounces with flufl.bounce; RFC 5965 ARF)
      → match (a signed VERP token or a signed Message-ID: delivery_ids.py; never a guess)
      → record (SPEC's rules: hard, soft, complaint) | keep aside (unmatched, counted)

    schema    the bounce store: delivery_reports, unmatched_reports
    parse     a report's kind, failed addresses, status, and the texts to match in
    match     the one delivery a report names with our signature
    record    SPEC's rules for a matched report
    intake    the one path: take_report, keep_aside, Tally
    sources   files: one message, an mbox, a Maildir (read, or drained by the leader)
    server    the `listen` SMTP/LMTP handler, with `[bounces] allow`
    service   the leader's part in `run`: listen, read the Maildir
    history   what people read: `deliveries`, the API, `subscribers show`
    erasure   `subscribers erase`: the address out of the bounce store
"""
