"""The admins' console under `/admin/`: server-rendered pages over the library.

    sessions     the signed session cookie and the CSRF tokens of its forms
    guard        who may see a page or post a form: session, role, CSRF
    login        signing in (throttled, locking) and out
    rendering    templates/console/ in the admin's language
    routes       every route of the console

Accounts and the audit log are `syndication.console`'s; the pages only call them.
"""
