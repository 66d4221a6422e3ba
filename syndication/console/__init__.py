"""The admins' console under `/admin/`: accounts and roles, sessions, the audit log, pages.

    schema       the `admins` and `audit_log` tables (migration `0006_console`)
    accounts     admins: add, list, remove, check a password (Argon2), lock after failures
    audit        record a change (who, when, what, from where), read the log, erase from it
    sessions     the signed session cookie and the CSRF tokens of its forms
    routes       the Starlette routes of the pages (templates in templates/console/)
"""
