"""The audience: subscribers, lists, subscriptions, consent, tokens, import and export.

The names below are the package's public API; its modules are private to it (tests and
the package itself excepted). It depends on nothing of `syndication/`: the storage layer
(`storage/`) is all it shares with the publishing side. The command groups are mounted
from `subscribers.cli`; `subscribers_table` is there for the outbox's set-based joins and
its foreign key, and is read, never written, from outside.
"""

from subscribers.addresses import (
    address_key,
    ascii_domain,
    ascii_domain_address,
    normalise_email,
)
from subscribers.csvio import ImportReport, RowError, export_csv, import_csv
from subscribers.directory import (
    find_subscriber,
    get_subscriber,
    list_subscribers,
    subscriber_for_token,
)
from subscribers.errors import (
    DuplicateList,
    DuplicateSubscriber,
    ErasedAddress,
    ImportStopped,
    InvalidEmail,
    InvalidToken,
    InvalidValue,
    MissingSecret,
    NotSubscribed,
    SubscriberError,
    UnknownList,
    UnknownSubscriber,
    WrongStatus,
)
from subscribers.fields import check_languages, check_themes, parse_frequency, split_values
from subscribers.keyring import Keyring, Secret
from subscribers.lifecycle import (
    confirm_subscriber,
    record_complaint,
    record_hard_bounce,
    set_preferences,
)
from subscribers.lists import count_members, create_list, delete_list, list_lists, list_names
from subscribers.membership import add_subscriber, remove_subscriber, subscribe, unsubscribe
from subscribers.model import (
    Consent,
    ConsentSource,
    Frequency,
    MailingList,
    Person,
    Recipient,
    Status,
    Subscriber,
    Subscription,
)
from subscribers.privacy import Erasure, erase_person, show_person
from subscribers.recipients import recipients_query, select_recipients
from subscribers.schema import open_database
from subscribers.schema import subscribers as subscribers_table
from subscribers.suppressions import is_suppressed
from subscribers.tokens import (
    CONFIRM_MAX_AGE,
    LegacySubject,
    TokenPurpose,
    TokenSubject,
    make_token,
    read_token,
)

__all__ = [
    "CONFIRM_MAX_AGE",
    "Consent",
    "ConsentSource",
    "DuplicateList",
    "DuplicateSubscriber",
    "ErasedAddress",
    "Erasure",
    "Frequency",
    "ImportReport",
    "ImportStopped",
    "InvalidEmail",
    "InvalidToken",
    "InvalidValue",
    "Keyring",
    "LegacySubject",
    "MailingList",
    "MissingSecret",
    "NotSubscribed",
    "Person",
    "Recipient",
    "RowError",
    "Secret",
    "Status",
    "Subscriber",
    "SubscriberError",
    "Subscription",
    "TokenPurpose",
    "TokenSubject",
    "UnknownList",
    "UnknownSubscriber",
    "WrongStatus",
    "add_subscriber",
    "address_key",
    "ascii_domain",
    "ascii_domain_address",
    "check_languages",
    "check_themes",
    "confirm_subscriber",
    "count_members",
    "create_list",
    "delete_list",
    "erase_person",
    "export_csv",
    "find_subscriber",
    "get_subscriber",
    "import_csv",
    "is_suppressed",
    "list_lists",
    "list_names",
    "list_subscribers",
    "make_token",
    "normalise_email",
    "open_database",
    "parse_frequency",
    "read_token",
    "recipients_query",
    "record_complaint",
    "record_hard_bounce",
    "remove_subscriber",
    "select_recipients",
    "set_preferences",
    "show_person",
    "split_values",
    "subscribe",
    "subscriber_for_token",
    "subscribers_table",
    "unsubscribe",
]
