"""Admin accounts: add, list, remove; check a password; lock an account after failures.

Passwords are kept as Argon2id hashes (argon2-cffi's defaults, re-hashed when those
change). A failed sign-in counts against the account: after `MAX_FAILURES` in a row it is
locked for `LOCK_SECONDS`, whatever password comes next; a good password resets the count.
A name that is no account costs the same hashing time as one that is, so timing does not
tell which names exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, RowMapping, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage import reading, writing
from syndication.console.schema import admins
from syndication.errors import AccountError, DuplicateAdmin, UnknownAdmin

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
MIN_PASSWORD = 12
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


class Role(StrEnum):
    """What an admin may do (SPEC "Admin console")."""

    EDITOR = "editor"  # sees everything but exports, previews, test-sends
    ADMIN = "admin"  # also changes subscribers and lists, imports, exports, erases, steers


@dataclass(frozen=True, slots=True)
class Admin:
    """One console account, without its password hash."""

    id: int
    name: str
    role: Role
    email: str
    created_at: datetime
    session_epoch: int

    @property
    def is_admin(self) -> bool:
        """Whether the account has the admin role (not only editor)."""
        return self.role is Role.ADMIN


class SignIn(StrEnum):
    """The outcome of a sign-in attempt."""

    OK = "ok"
    REFUSED = "refused"  # unknown name or wrong password (never said which)
    LOCKED = "locked"  # too many failures: wait


def check_name(name: str) -> str:
    """The name, or AccountError saying what a name may be."""
    if not NAME.fullmatch(name):
        raise AccountError(
            f"bad admin name {name!r}: 1-64 lower-case letters, digits, '.', '_' or '-'"
        )
    return name


def check_password(password: str) -> str:
    """The password, or AccountError if it is too short to resist guessing."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    return password


def add_admin(
    engine: Engine, name: str, *, role: Role, password: str, email: str = "",
    now: datetime | None = None,
) -> Admin:
    """Create an account; raise DuplicateAdmin or AccountError."""
    check_name(name)
    hashed = _HASHER.hash(check_password(password))
    now = now or datetime.now(UTC)
    try:
        with writing(engine) as conn:
            conn.execute(insert(admins).values(
                name=name, role=role.value, email=email.strip(), password_hash=hashed,
                created_at=now, failures=0, session_epoch=0,
            ))
    except IntegrityError:
        raise DuplicateAdmin(name) from None
    return get_admin(engine, name)


def get_admin(engine: Engine, name: str) -> Admin:
    """The account of this name, or UnknownAdmin."""
    with reading(engine) as conn:
        row = conn.execute(select(admins).where(admins.c.name == name)).first()
    if row is None:
        raise UnknownAdmin(name)
    return _admin(row._mapping)


def list_admins(engine: Engine) -> list[Admin]:
    """Every account, by name."""
    with reading(engine) as conn:
        rows = conn.execute(select(admins).order_by(admins.c.name)).all()
    return [_admin(row._mapping) for row in rows]


def remove_admin(engine: Engine, name: str) -> None:
    """Delete an account (its sessions die with it); raise UnknownAdmin."""
    with writing(engine) as conn:
        if not conn.execute(delete(admins).where(admins.c.name == name)).rowcount:
            raise UnknownAdmin(name)


def end_sessions(engine: Engine, name: str) -> None:
    """Make every session cookie of the account invalid (sign-out)."""
    with writing(engine) as conn:
        conn.execute(update(admins).where(admins.c.name == name)
                     .values(session_epoch=admins.c.session_epoch + 1))


def sign_in(engine: Engine, name: str, password: str, *, now: datetime | None = None) -> SignIn:
    """Check a name and password, counting failures and locking the account after many."""
    now = now or datetime.now(UTC)
    with reading(engine) as conn:
        row = conn.execute(select(admins).where(admins.c.name == name)).first()
    if row is None:
        _verify(_DUMMY_HASH, password)  # the same work as for a real account
        return SignIn.REFUSED
    if row.locked_until is not None and row.locked_until > now:
        return SignIn.LOCKED
    good = _verify(row.password_hash, password)
    with writing(engine) as conn:
        if good:
            values: dict[str, object] = {"failures": 0, "locked_until": None}
            if _HASHER.check_needs_rehash(row.password_hash):
                values["password_hash"] = _HASHER.hash(password)
            conn.execute(update(admins).where(admins.c.id == row.id).values(**values))
            return SignIn.OK
        failures = conn.scalar(
            update(admins).where(admins.c.id == row.id)
            .values(failures=admins.c.failures + 1).returning(admins.c.failures)
        ) or 0
        if failures >= MAX_FAILURES:
            conn.execute(update(admins).where(admins.c.id == row.id).values(
                failures=0, locked_until=now + timedelta(seconds=LOCK_SECONDS)))
            return SignIn.LOCKED
    return SignIn.REFUSED


def failures_of(engine: Engine, name: str) -> int:
    """How many sign-ins failed in a row on this account (0 for no account)."""
    with reading(engine) as conn:
        return int(conn.scalar(select(admins.c.failures).where(admins.c.name == name)) or 0)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _admin(row: RowMapping) -> Admin:
    return Admin(id=row["id"], name=row["name"], role=Role(row["role"]), email=row["email"],
                 created_at=row["created_at"], session_epoch=row["session_epoch"])


def accounts_with_email(conn: Connection, address: str) -> list[dict[str, str]]:
    """The console accounts whose email is the address, any case (GDPR access)."""
    rows = conn.execute(select(admins.c.name, admins.c.role, admins.c.created_at)
                        .where(func.lower(admins.c.email) == address.lower())).all()
    return [{"name": row.name, "role": row.role, "created_at": row.created_at.isoformat()}
            for row in rows]
