"""The web side of `run`: output folder, subscription pages and the admin API (Starlette).

`create_app` (in `app.py`) is the app. Nothing is imported here: the migration chain
imports `rate_events` for its table, and that should not load Starlette and every route.
"""
