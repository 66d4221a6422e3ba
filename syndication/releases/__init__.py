"""Releases: the model, Markdown rendering, and the loader of release files (`load`), which
validates each file (`validate`) and keeps what it parsed (`cache`)."""

from syndication.releases.load import LoadedReleases, load_releases
from syndication.releases.model import Attachment, Correction, Embargo, LanguageVersion, Release

__all__ = [
    "Attachment", "Correction", "Embargo", "LanguageVersion", "LoadedReleases", "Release",
    "load_releases",
]
