"""Words the console shows through `_(value)`: the values themselves are message ids.

Listed here so that extraction finds them (see syndication/locales/README.md).
"""

from syndication.translations import N_

ROLES = (N_("admin"), N_("editor"))
MAILING_STATES = (N_("in progress"), N_("paused"), N_("not due yet"), N_("cancelled"),
                  N_("finished"))
DELIVERY_STATUSES = (N_("planned"), N_("sending"), N_("sent"), N_("failed"), N_("bounced"),
                     N_("skipped"))
SUBSCRIBER_STATUSES = (N_("pending"), N_("active"), N_("unsubscribed"), N_("suppressed"))
FREQUENCIES = (N_("immediate"), N_("daily"), N_("weekly"))
# Mail kinds and audiences by their value: `kind_words[value]` is the message id shown.
KIND_WORDS = {"alert": N_("release alert"), "embargo": N_("embargo notice"),
              "digest": N_("digest"), "daily": N_("daily digest"), "weekly": N_("weekly digest")}
IMPORT_OUTCOMES = (N_("new subscriber"), N_("to be updated"), N_("unchanged"))
RELEASE_STATUSES = (N_("public now"), N_("embargoed"), N_("scheduled"))
# Kinds of delivery report (bounces/schema.py ReportKind) by their value.
REPORT_WORDS = {"hard": N_("hard bounce"), "soft": N_("soft bounce"),
                "complaint": N_("complaint (marked as spam)")}
