"""The admins' accounts and the audit log: what the console (`syndication.web.console`),
the API and the CLI share.

    schema       the `admins` and `audit_log` tables (migration `0007_console`)
    accounts     admins: add, list, remove, check a password (Argon2), lock after failures
    audit        record a change (who, when, what, from where), read the log, erase from it
    uploads      CSV files uploaded for import, kept privately until applied
"""
