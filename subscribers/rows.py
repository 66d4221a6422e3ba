"""Converting table rows into the model's frozen values."""

from __future__ import annotations

from sqlalchemy import RowMapping

from subscribers.fields import split_values
from subscribers.model import (
    Consent,
    ConsentSource,
    Frequency,
    Status,
    Subscriber,
    Subscription,
)


def to_subscriber(mapping: RowMapping) -> Subscriber:
    """Build a Subscriber from a row of the subscribers table."""
    return Subscriber(
        id=mapping["id"],
        public_id=mapping["public_id"],
        email=mapping["email"],
        name=mapping["name"],
        organisation=mapping["organisation"],
        languages=split_values(mapping["languages"]),
        status=Status(mapping["status"]),
        created_at=mapping["created_at"],
        confirmed_at=mapping["confirmed_at"],
        bounces=mapping["bounces"],
    )


def to_subscription(mapping: RowMapping) -> Subscription:
    """Build a Subscription from a subscriptions row carrying a ``list_name`` column."""
    return Subscription(
        id=mapping["id"],
        subscriber_id=mapping["subscriber_id"],
        list_name=mapping["list_name"],
        themes=split_values(mapping["themes"]),
        frequency=Frequency(mapping["frequency"]),
        created_at=mapping["created_at"],
    )


def to_consent(mapping: RowMapping) -> Consent:
    """Build a Consent from a row of the consents table."""
    return Consent(
        id=mapping["id"],
        subscriber_id=mapping["subscriber_id"],
        source=ConsentSource(mapping["source"]),
        given_at=mapping["given_at"],
        confirmed_at=mapping["confirmed_at"],
        withdrawn_at=mapping["withdrawn_at"],
        detail=mapping["detail"],
    )
