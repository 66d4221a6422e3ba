"""The web side of `run`: output folder, subscription pages and the admin API (Starlette)."""

from syndication.web.app import create_app

__all__ = ["create_app"]
