"""Tests of the static pages: release pages, listings, templates, dates."""
