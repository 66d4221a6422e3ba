"""The scheduler: ticks, their timing and state, and `run` (the service in one process).

    tick          `publish_tick`: publish what is due, rebuild, plan the due mailings
    tick_state    the tick clock, releases seen, digests planned: tables and queries
    digest_times  the local instants at which daily and weekly digests fall due
    leader        the scheduler lock and the tick lock, shared by every process
    wakeups       APScheduler wiring: which instants wake a tick
    sending       the outbox drained on a thread (and event loop) of its own
    runner        `run_service`: wake-ups, sender and web server together

Nothing is imported here: the migration chain imports `tick_state` for its tables, and
that should not load the site build and the planner with it.
"""
