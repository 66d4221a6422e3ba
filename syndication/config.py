"""Settings: config.toml read into frozen, typed values, every bad key named with its reason.

Relative paths (the SQLite URL and the Maildir included) are taken from the config file's
folder. Secrets are never in the file: the file names the environment variables that hold
them, and `Settings.secret()` and friends read those variables when asked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from subscribers import Keyring
from syndication.bounce_settings import NO_BOUNCES, BounceSettings, read_bounces, read_return_path
from syndication.branding import Branding, read_branding
from syndication.contacts import Contact, read_contact
from syndication.durations import parse_duration
from syndication.errors import ConfigError, Problem, UnreadableFile
from syndication.log_settings import LogSettings, read_log_settings
from syndication.secret_strength import MAKE_ONE, weakness
from syndication.sending_settings import DkimSettings, DomainLimit, read_dkim, read_domains
from syndication.tomlfields import Fields
from syndication.tomlfiles import read_toml_file
from syndication.websub_hubs import read_websub_hubs

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_CONFIG_ENV = "SYNDICATION_CONFIG"
DATABASE_URL_ENV = "SYNDICATION_DATABASE_URL"  # wins over [database] url (it may hold a password)
MAX_CONFIG_BYTES = 1_000_000  # a real config is a few KB


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme releases are filed under; each has its own feeds."""

    slug: str
    label: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ListSettings:
    """A mailing list declared in config (created in the database on start)."""

    name: str
    label: Mapping[str, str]
    public: bool = True  # offered on the web sign-up form; False for e.g. accredited press


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """How to reach the SMTP server."""

    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"
    username: str = ""
    password_env: str = "SYNDICATION_SMTP_PASSWORD"  # noqa: S105 - a variable name
    concurrency: int = 10
    rate: float = 100.0
    timeout: timedelta = timedelta(seconds=30)

    def password(self) -> str | None:
        """The SMTP password from its environment variable, if set."""
        return os.environ.get(self.password_env) or None


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Newsletter sending."""

    from_address: str
    reply_to: str | None
    transport: str
    maildir: Path
    max_age: timedelta
    retry_base: timedelta
    max_attempts: int
    suppress_after: int
    smtp: SmtpSettings
    dkim: DkimSettings | None = None  # [mail.dkim]: sign every message
    domains: Mapping[str, DomainLimit] = field(default_factory=dict)  # [mail.domains."d"]
    return_path: str | None = None  # VERP envelope sender base ([mail] return_path)


@dataclass(frozen=True, slots=True)
class WeeklyTime:
    """A weekday (0 = Monday) and a local time."""

    weekday: int
    at: time


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """When the service scans and sends digests (local times)."""

    scan_every: timedelta
    daily_digest: time
    weekly_digest: WeeklyTime


@dataclass(frozen=True, slots=True)
class WebSettings:
    """The web server of `run`."""

    host: str
    port: int
    secret_env: str
    admin_token_env: str
    # Peers whose X-Forwarded-For names the client (IP addresses or networks); none by default.
    trusted_proxies: tuple[str, ...] = ()
    # Origins ("https://host[:port]") whose pages may make state-changing requests.
    allowed_origins: tuple[str, ...] = ()
    # Connection deadlines (web/serving.py): a request head, then its body, then the idle
    # time a kept-alive connection may wait for its next request.
    head_timeout: timedelta = timedelta(seconds=10)
    body_timeout: timedelta = timedelta(seconds=30)
    keep_alive: timedelta = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything config.toml says, validated."""

    config_path: Path
    base_url: str
    languages: tuple[str, ...]
    timezone: ZoneInfo
    title: Mapping[str, str]
    organisation_name: Mapping[str, str]
    organisation_address: Mapping[str, str]
    organisation_website: str | None
    releases_dir: Path
    output_dir: Path
    data_dir: Path
    database_url: str
    themes: Mapping[str, Theme]
    lists: Mapping[str, ListSettings]
    contacts: Mapping[str, Contact]
    feed_items: int
    mail: MailSettings
    schedule: ScheduleSettings
    web: WebSettings
    branding: Branding  # [paths] templates, [site] logo and accent (syndication.branding)
    bounces: BounceSettings = NO_BOUNCES
    websub_hubs: tuple[str, ...] = ()  # [feeds] websub_hubs (syndication/websub_hubs.py)
    log: LogSettings = LogSettings()  # noqa: RUF009 - frozen, so one shared default is safe

    def secret(self) -> bytes | None:
        """The site secret (signs tokens, keys erased-address hashes), from its env var."""
        value = os.environ.get(self.web.secret_env)
        return value.encode() if value else None

    def previous_secret_env(self) -> str:
        """The variable holding the secret the current one replaced (SPEC: rotation)."""
        return f"{self.web.secret_env}_PREVIOUS"

    def keyring(self) -> Keyring | None:
        """The site secret and the one it replaced, if set: tokens and erasure hashes made
        with either verify; new ones use the current (None when no secret is set)."""
        current = self.secret()
        if current is None:
            return None
        previous = os.environ.get(self.previous_secret_env())
        return Keyring(current, (previous.encode(),) if previous else ())

    def secret_warnings(self) -> list[str]:
        """What `check` should say without failing: a weak previous secret still verifies."""
        previous = os.environ.get(self.previous_secret_env())
        reason = weakness(previous) if previous else None
        if reason is None:
            return []
        return [f"the environment variable {self.previous_secret_env()} {reason}: links signed"
                " with it can be forged while it is set; unset it once the links mailed with"
                " it may stop working"]

    def admin_token(self) -> str | None:
        """The admin API bearer token, from its env var."""
        return os.environ.get(self.web.admin_token_env) or None

    def missing_secrets(self) -> list[str]:
        """Environment variables that the configured transport or web server needs but lack."""
        missing = []
        if self.secret() is None:
            missing.append(f"{self.web.secret_env} (signs unsubscribe and confirmation links)")
        if self.admin_token() is None:
            missing.append(f"{self.web.admin_token_env} (the admin API's bearer token)")
        smtp = self.mail.smtp
        if self.mail.transport == "smtp" and smtp.username and smtp.password() is None:
            missing.append(f"{smtp.password_env} (password of SMTP user {smtp.username!r})")
        return missing

    def weak_secrets(self) -> list[str]:
        """What is wrong with each secret that is set but too weak (see secret_strength)."""
        found = []
        for name, value in ((self.web.secret_env, os.environ.get(self.web.secret_env)),
                            (self.web.admin_token_env, self.admin_token())):
            reason = weakness(value) if value else None
            if reason:
                found.append(f"the environment variable {name} {reason}: make one with "
                             f"{MAKE_ONE}")
        return found


def default_config_path() -> Path:
    """`$SYNDICATION_CONFIG`, else ./config.toml."""
    return Path(os.environ.get(DEFAULT_CONFIG_ENV, "config.toml"))


def load_settings(path: Path) -> Settings:
    """Read and validate a config file; raise ConfigError listing every problem."""
    source = str(path)
    try:
        _raw, data = read_toml_file(path, max_bytes=MAX_CONFIG_BYTES, follow_links=True)
    except FileNotFoundError:
        raise ConfigError([Problem(source, "", "no such config file")]) from None
    except UnreadableFile as error:
        raise ConfigError([Problem(source, "", str(error))]) from None
    except OSError as error:
        raise ConfigError([Problem(source, "", f"cannot be read: {error}")]) from None
    problems: list[Problem] = []
    settings = _read_settings(Fields(data, source=source, problems=problems), path.resolve())
    if problems or settings is None:
        raise ConfigError(problems)
    return settings


def _read_settings(root: Fields, config_path: Path) -> Settings | None:
    folder = config_path.parent
    site = root.table("site", required=True) or Fields({}, source=root.source, problems=[])
    languages = _read_languages(site)
    base_url = _read_base_url(site)
    timezone = _read_timezone(site)
    title = site.localized("title", languages) or {}

    organisation = root.table("organisation") or _empty(root, "organisation")
    organisation_name = organisation.localized("name", languages) or {}
    organisation_address = organisation.localized("address", languages) or {}
    website = organisation.text("website")

    paths = root.table("paths") or _empty(root, "paths")
    releases_dir = folder / (paths.text("releases") or "releases")
    output_dir = folder / (paths.text("output") or "public")
    data_dir = folder / (paths.text("data") or "var")
    branding = read_branding(site=site, paths=paths, organisation=organisation, folder=folder,
                             languages=languages)
    site.finish()
    organisation.finish()
    paths.finish()

    database = root.table("database") or _empty(root, "database")
    file_url = database.text("url")  # read even when overridden: it is still checked
    database_url = _resolve_database_url(
        os.environ.get(DATABASE_URL_ENV) or file_url or "sqlite:///var/syndication.db", folder
    )
    if not database_url.startswith(("sqlite:///", "postgresql+psycopg://")):
        source = f"(from {DATABASE_URL_ENV}) " if os.environ.get(DATABASE_URL_ENV) else ""
        database.problem("url", f"{source}must start with sqlite:/// or postgresql+psycopg:// "
                         "(the two supported databases)")
    database.finish()

    themes = {}
    for slug, theme in root.named_tables("themes").items():
        if not SLUG.match(slug):
            theme.problem("", "a theme slug uses only a-z, 0-9 and single hyphens")
        themes[slug] = Theme(slug, theme.localized("label", languages, required=True) or {})
        theme.finish()

    lists = {}
    for name, mailing_list in root.named_tables("lists").items():
        if not SLUG.match(name):
            mailing_list.problem("", "a list name uses only a-z, 0-9 and single hyphens")
        lists[name] = ListSettings(
            name, mailing_list.localized("label", languages) or {},
            public=mailing_list.boolean("public", default=True),
        )
        mailing_list.finish()

    contacts = {}
    for key, table in root.named_tables("contacts").items():
        contact = read_contact(table, languages)
        if contact is not None:
            contacts[key] = contact

    feeds = root.table("feeds") or _empty(root, "feeds")
    feed_items = feeds.integer("items", default=50, minimum=1)
    websub_hubs = read_websub_hubs(feeds)
    feeds.finish()

    mail = _read_mail(root.table("mail") or _empty(root, "mail"), folder)
    schedule = _read_schedule(root.table("schedule") or _empty(root, "schedule"))
    web = _read_web(root.table("web") or _empty(root, "web"), base_url)
    bounces = read_bounces(root.table("bounces") or _empty(root, "bounces"), folder)
    log = read_log_settings(root.table("log") or _empty(root, "log"))
    root.finish()
    if not languages:
        return None
    return Settings(
        config_path=config_path, base_url=base_url, languages=languages, timezone=timezone,
        title=title, organisation_name=organisation_name,
        organisation_address=organisation_address, organisation_website=website,
        releases_dir=releases_dir, output_dir=output_dir, data_dir=data_dir,
        database_url=database_url, themes=themes, lists=lists, contacts=contacts,
        feed_items=feed_items, mail=mail, schedule=schedule, web=web,
        branding=branding, bounces=bounces, websub_hubs=websub_hubs, log=log,
    )


def _empty(root: Fields, key: str) -> Fields:
    return Fields({}, source=root.source, problems=root.problems, prefix=key)


def _read_languages(site: Fields) -> tuple[str, ...]:
    languages = site.text_list("languages", required=True) or []
    good = []
    for language in languages:
        try:
            Locale.parse(language)
        except (ValueError, UnknownLocaleError):
            site.problem("languages", f"{language!r} is not a language code Babel knows")
            continue
        if language in good:
            site.problem("languages", f"{language!r} is listed twice")
            continue
        good.append(language)
    if site.has("languages") and not good:
        site.problem("languages", "needs at least one language")
    return tuple(good)


def _read_base_url(site: Fields) -> str:
    base_url = site.text("base_url", required=True) or "https://invalid.example"
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        site.problem("base_url", f"must be an absolute http(s) URL, not {base_url!r}")
    return base_url.rstrip("/")


def _read_timezone(site: Fields) -> ZoneInfo:
    name = site.text("timezone") or "Europe/Brussels"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        site.problem("timezone", f"{name!r} is not an IANA time zone like Europe/Brussels")
        return ZoneInfo("UTC")


def _resolve_database_url(url: str, folder: Path) -> str:
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(folder / url[len(prefix):])
    return url


def _read_mail(mail: Fields, folder: Path) -> MailSettings:
    from_address = mail.text("from") or "Press office <press@example.invalid>"
    reply_to = mail.text("reply_to")
    transport = mail.choice("transport", ("maildir", "smtp"), default="maildir")
    maildir = folder / (mail.text("maildir") or "var/outbox")
    max_age = mail.duration("max_age", default="24h")
    retry_base = mail.duration("retry_base", default="30s")
    max_attempts = mail.integer("max_attempts", default=6, minimum=1)
    suppress_after = mail.integer("suppress_after", default=3, minimum=1)
    return_path = read_return_path(mail)
    smtp_fields = mail.table("smtp") or _empty(mail, "mail.smtp")
    smtp = SmtpSettings(
        host=smtp_fields.text("host") or "127.0.0.1",
        port=smtp_fields.integer("port", default=25, minimum=1),
        security=smtp_fields.choice("security", ("none", "starttls", "tls"), default="none"),
        username=smtp_fields.text("username") or "",
        password_env=smtp_fields.text("password_env") or "SYNDICATION_SMTP_PASSWORD",
        concurrency=smtp_fields.integer("concurrency", default=10, minimum=1),
        rate=smtp_fields.number("rate", default=100.0, minimum=0.001),
        timeout=smtp_fields.duration("timeout", default="30s"),
    )
    smtp_fields.finish()
    dkim = read_dkim(mail.table("dkim"))
    domains = read_domains(mail.named_tables("domains"))
    mail.finish()
    return MailSettings(
        from_address=from_address, reply_to=reply_to, transport=transport, maildir=maildir,
        max_age=max_age, retry_base=retry_base, max_attempts=max_attempts,
        suppress_after=suppress_after, smtp=smtp, return_path=return_path, dkim=dkim,
        domains=domains,
    )


def _read_schedule(schedule: Fields) -> ScheduleSettings:
    scan_every = schedule.duration("scan_every", default="30s")
    daily = _parse_time(schedule, "daily_digest", schedule.text("daily_digest") or "08:00")
    weekly_text = schedule.text("weekly_digest") or "monday 08:00"
    day, _, clock = weekly_text.strip().partition(" ")
    if day.lower() not in WEEKDAYS:
        schedule.problem("weekly_digest", f'must be like "monday 08:00", not {weekly_text!r}')
        day = "monday"
    weekly = WeeklyTime(WEEKDAYS.index(day.lower()), _parse_time(schedule, "weekly_digest", clock))
    schedule.finish()
    return ScheduleSettings(scan_every=scan_every, daily_digest=daily, weekly_digest=weekly)


def _parse_time(fields: Fields, key: str, text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        fields.problem(key, f'needs a local time like "08:00", not {text!r}')
        return time(8, 0)


def _read_web(web: Fields, base_url: str) -> WebSettings:
    settings = WebSettings(
        host=web.text("host") or "127.0.0.1",
        port=web.integer("port", default=8080, minimum=0),
        secret_env=web.text("secret_env") or "SYNDICATION_SECRET",
        admin_token_env=web.text("admin_token_env") or "SYNDICATION_ADMIN_TOKEN",
        trusted_proxies=_read_proxies(web),
        allowed_origins=_read_origins(web, base_url),
        head_timeout=_deadline(web, "head_timeout", "10s"),
        body_timeout=_deadline(web, "body_timeout", "30s"),
        keep_alive=_deadline(web, "keep_alive", "5s"),
    )
    web.finish()
    return settings


def _deadline(web: Fields, key: str, default: str) -> timedelta:
    value = web.duration(key, default=default)
    if not timedelta(0) < value <= timedelta(hours=1):
        web.problem(key, "must be more than 0 and at most 1h")
        return parse_duration(default)
    return value


def _read_proxies(web: Fields) -> tuple[str, ...]:
    return tuple(web.networks("trusted_proxies", example='"10.0.0.1" or "10.0.0.0/8"') or [])


def _read_origins(web: Fields, base_url: str) -> tuple[str, ...]:
    if not web.has("allowed_origins"):
        return tuple(filter(None, [origin_of(base_url)]))
    origins = []
    for text in web.text_list("allowed_origins") or []:
        origin = origin_of(text)
        parts = urlsplit(text.strip())
        if origin is None or parts.path not in ("", "/") or "@" in parts.netloc or (
                parts.query or parts.fragment):
            web.problem("allowed_origins", f"{text!r} is not an origin like "
                        '"https://www.example.org" (scheme, host and port only)')
        else:
            origins.append(origin)
    return tuple(origins)


def origin_of(url: str) -> str | None:
    """The origin (`scheme://host[:port]`, lower case, default port dropped) of an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    scheme = parts.scheme.lower()
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname.lower()
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + (f":{port}" if port not in (None, default) else "")
