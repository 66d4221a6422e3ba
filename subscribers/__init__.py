"""The audience: subscribers, lists, subscriptions, consent, tokens, import and export."""
