"""Tests of the feeds: definitions, Atom, RSS, JSON Feed, OPML."""
