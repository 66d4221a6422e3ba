"""A hand-written corpus of hostile release and config files (issue 6: hostile input).

Each case is (name, TOML text). Cases are built from a valid release by replacing one field
with something hostile, so every case exercises one failure on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

VALID_RELEASE = """published = 2026-03-02T10:00:00+01:00
themes = ["pensions"]
lists = ["press"]
[fr]
title = "Titre"
summary = "Résumé"
body = "Corps du texte."
more_info = "Plus"
[nl]
title = "Titel"
body = "Tekst."
[[contacts]]
name = "Jan Janssens"
role = { fr = "Porte-parole", nl = "Woordvoerder" }
phone = "02 528 60 11"
email = "jan@example.be"
[[attachments]]
title = { fr = "Rapport", nl = "Verslag" }
url = "https://example.org/r.pdf"
type = "application/pdf"
"""

HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<object data=evil.swf></object>",
    "<embed src=evil.swf>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](java\tscript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    "<a href='data:text/html;base64,PHNjcmlwdD4='>x</a>",
    "<a href='vbscript:msgbox(1)'>x</a>",
    "![x](javascript:alert(1))",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<form action=https://evil.example><input name=p></form>",
    "<p style='background:url(javascript:alert(1))'>x</p>",
    "<div onclick=alert(1)>x</div>",
    "<a href=x onmouseover=alert(1)>x</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
    "<!--<script>alert(1)//-->",
    "<base href=https://evil.example/>",
    "<template><script>alert(1)</script></template>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<isindex action=javascript:alert(1)>",
    "<textarea><script>alert(1)</script></textarea>",
    "<xmp><script>alert(1)</script></xmp>",
    "<plaintext><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<a href=\"https://ok.example\" target=_blank>ok</a>",
    "<scr<script>ipt>alert(1)</script>",
]
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "style", "link", "meta", "form", "base",
                  "svg", "math", "template", "input", "textarea", "img", "video", "source"}
SAFE_URL_SCHEMES = {"", "http", "https", "mailto", "tel"}

CONTROL_CHARACTERS = ["\\u0000", "\\u0001", "\\u0007", "\\u0008", "\\u000B", "\\u000C",
                      "\\u001B", "\\u001F", "\\uFFFE", "\\uFFFF"]
TEXT_FIELDS = ["fr.title", "fr.summary", "fr.body", "fr.more_info", "nl.title",
               "contacts.name", "attachments.title"]


def _replace_field(field: str, value_toml: str) -> str:
    """The valid release with one field's value replaced (`value_toml` is TOML syntax)."""
    table, _, key = field.rpartition(".")
    lines = VALID_RELEASE.splitlines()
    current = ""
    for index, line in enumerate(lines):
        if line.startswith("["):
            current = line.strip("[]")
        elif line.startswith(f"{key} =") and current == table:
            lines[index] = f"{key} = {value_toml}"
            return "\n".join(lines) + "\n"
        elif table and current == table and key == "title" and line.startswith("title = {"):
            lines[index] = f"{key} = {value_toml}"
            return "\n".join(lines) + "\n"
    raise KeyError(field)


def markdown_cases() -> Iterator[tuple[str, str]]:
    """Hostile HTML and URLs in every Markdown field: sanitised, never rejected."""
    for index, payload in enumerate(HOSTILE_MARKDOWN):
        escaped = payload.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
        for field in ("fr.body", "fr.more_info"):
            yield f"markdown-{index}-{field}", _replace_field(field, f'"{escaped}"')


def error_cases() -> Iterator[tuple[str, str, str]]:
    """(name, text, field or '' for the file): each must be rejected naming that field."""
    for character in CONTROL_CHARACTERS:
        for field in TEXT_FIELDS:
            if field == "attachments.title":
                yield (f"control-{character}-{field}",
                       _replace_field(field, f'{{ fr = "a{character}b", nl = "x" }}'),
                       "attachments[0].title.fr")
            elif field == "contacts.name":
                yield (f"control-{character}-{field}", _replace_field(field, f'"a{character}b"'),
                       "contacts[0].name")
            else:
                yield f"control-{character}-{field}", _replace_field(field, f'"a{character}b"'), field
    wrong_types = {
        "published": ['"2026-03-02"', "2026-03-02", "10:00:00", "12", "true", "[]", "2026-03-02T10:00:00"],
        "fr.title": ["12", "true", "[]", "{ a = 1 }", "2026-03-02T10:00:00Z", '""', '"   "'],
        "fr.body": ["12", "[\"a\"]", "false"],
        "themes": ['"pensions"', "[1, 2]", '["astrology"]', '["Pensions"]', '["pensions", "pensions"]'],
        "lists": ['"press"', '["nobody"]', "[true]"],
        "contacts.phone": ['"12"', '"abc"', '"+32"', "473636124", '"0473 63 61 24 99 99"'],
        "contacts.email": ['"no-at-sign"', '"a@b@c"', '"a @example.be"', '"<a@example.be>"', "12",
                           '"a@example.be\\r\\nBcc: x@evil.example"'],
        "attachments.url": ['"ftp://x"', '"javascript:alert(1)"', '"/relative.pdf"', "12"],
    }
    for field, values in wrong_types.items():
        for index, value in enumerate(values):
            where = (field.replace("contacts.", "contacts[0].")
                     .replace("attachments.", "attachments[0]."))
            yield f"type-{field}-{index}", _replace_field(field, value), where
    huge = "x" * 200_001
    yield "huge-body", _replace_field("fr.body", f'"{huge}"'), "fr.body"
    yield "huge-title", _replace_field("fr.title", f'"{"t" * 600}"'), "fr.title"
    yield "huge-file", VALID_RELEASE + "# " + "y" * 2_100_000 + "\n", ""
    yield from nesting_cases(VALID_RELEASE, "themes")
    syntax = ["published = ", "[fr\ntitle = 'x'", 'title = "unterminated', "= 1", "[[contacts]\n",
              "a = 1\na = 2", "x = [1,", "\x00", "published = 2026-13-45T10:00:00Z",
              '[fr]\ntitle = """', "key = 'multi\nline'"]
    for index, text in enumerate(syntax):
        yield f"syntax-{index}", text, ""
    yield "not-utf8", "title = '\udcff'".encode("utf-8", "surrogateescape").decode("latin-1"), ""
    yield "no-languages", 'published = 2026-03-02T10:00:00+01:00\n', ""
    yield "unknown-language", VALID_RELEASE + "[de]\ntitle = 'x'\nbody = 'y'\n", "de"
    yield "unknown-top-field", "colour = 'red'\n" + VALID_RELEASE, "colour"
    yield "unknown-version-field", VALID_RELEASE.replace("[nl]\n", "[nl]\ntitel = 'x'\n"), "nl.titel"
    yield "missing-title", VALID_RELEASE.replace('[nl]\ntitle = "Titel"\n', "[nl]\n"), "nl.title"
    yield "missing-body", VALID_RELEASE.replace('body = "Tekst."\n', ""), "nl.body"
    yield "missing-published", VALID_RELEASE.replace("published = 2026-03-02T10:00:00+01:00\n", ""), "published"
    yield "updated-before", "updated = 2026-03-01T10:00:00+01:00\n" + VALID_RELEASE, "updated"
    yield "naive-updated", "updated = 2026-03-03T10:00:00\n" + VALID_RELEASE, "updated"
    yield "ref-unknown", VALID_RELEASE + "[[contacts]]\nref = 'ghost'\n", "contacts[1].ref"
    yield "ref-plus-fields", VALID_RELEASE + "[[contacts]]\nref = 'press-service'\nname = 'x'\n", "contacts[1]"
    yield "contact-empty", VALID_RELEASE + "[[contacts]]\nname = 'Only A Name'\n", "contacts[1]"
    yield "contacts-not-array", VALID_RELEASE.replace("[[contacts]]", "[contacts]"), "contacts"
    yield "embargo-after", VALID_RELEASE + "[embargo]\nlists = ['accredited']\nnotify_at = 2026-03-02T11:00:00+01:00\n", "embargo.notify_at"
    yield "embargo-equal", VALID_RELEASE + "[embargo]\nlists = ['accredited']\nnotify_at = 2026-03-02T09:00:00Z\n", "embargo.notify_at"
    yield "embargo-naive", VALID_RELEASE + "[embargo]\nlists = ['accredited']\nnotify_at = 2026-03-01T11:00:00\n", "embargo.notify_at"
    yield "embargo-no-list", VALID_RELEASE + "[embargo]\nlists = []\nnotify_at = 2026-03-01T11:00:00Z\n", "embargo.lists"
    yield "embargo-unknown-list", VALID_RELEASE + "[embargo]\nlists = ['x']\nnotify_at = 2026-03-01T11:00:00Z\n", "embargo.lists"
    yield "id-uppercase", 'id = "Bad"\n' + VALID_RELEASE, "id"
    yield "id-traversal", 'id = "../../etc/passwd"\n' + VALID_RELEASE, "id"
    yield "id-slash", 'id = "a/b"\n' + VALID_RELEASE, "id"


CRLF_TITLES = ['"Titre\\r\\nBcc: victim@example.org"', '"Titre\\nSubject: spam"',
               '"Titre\\rX-Injected: 1"', '"\\r\\n\\r\\n<html>"']

CONFIG_BASE = """[site]
base_url = "https://press.example.be"
languages = ["fr", "nl"]
"""


def _site(
    base_url: str = '"https://press.example.be"', languages: str = '["fr", "nl"]',
    timezone: str = '"Europe/Brussels"',
) -> str:
    return f"[site]\nbase_url = {base_url}\nlanguages = {languages}\ntimezone = {timezone}\n"


def config_error_cases() -> Iterator[tuple[str, str, str]]:
    """(name, config text, field): each must be a ConfigError naming the field."""
    site_values = {
        "base_url": ['"press.example.be"', '"javascript:alert(1)"', "12", '"ftp://x"', '"/rel"'],
        "languages": ['[]', '"fr"', '["fr", "fr"]', '["zz-top"]', "[1]"],
        "timezone": ['"Mars/Olympus"', "1", '"../../etc/passwd"'],
    }
    for key, values in site_values.items():
        for index, value in enumerate(values):
            yield f"config-site.{key}-{index}", _site(**{key: value}), f"site.{key}"
    sections = {
        "mail.transport": ['"pigeon"', "1"], "mail.max_age": ['"forever"', '"-5s"', "24"],
        "mail.max_attempts": ["0", '"6"', "-1", "1.5"], "mail.suppress_after": ["0"],
        "mail.smtp.port": ['"25"', "0", "true"], "mail.smtp.security": ['"ssl"'],
        "mail.smtp.concurrency": ["0"], "mail.smtp.rate": ['"fast"', "0"],
        "mail.smtp.timeout": ['"30"'], "schedule.scan_every": ['"often"'],
        "schedule.daily_digest": ['"25:00"', '"8h"'],
        "schedule.weekly_digest": ['"funday 08:00"', '"monday"', '"monday 99:00"'],
        "feeds.items": ["0", '"50"'], "web.port": ['"8080"', "-1"],
        "themes.Bad_Slug.label": ['"x"'], "contacts.x.phone": ['"12"'],
    }
    for field, values in sections.items():
        table, _, key = field.rpartition(".")
        for index, value in enumerate(values):
            yield f"config-{field}-{index}", CONFIG_BASE + f"[{table}]\n{key} = {value}\n", (
                table if table.startswith("themes.") else field)
    yield "config-unknown-section", CONFIG_BASE + "[colours]\nred = 1\n", "colours"
    yield "config-unknown-key", CONFIG_BASE + "[mail]\nfrom_ = 'x'\n", "mail.from_"
    yield "config-no-site", "[mail]\ntransport = 'smtp'\n", "site"
    yield "config-control-char", CONFIG_BASE + '[site.title]\nfr = "a\\u0001"\n', "site.title.fr"
    yield from (
        (f"config-{name}", text, "") for name, text, _field in nesting_cases(CONFIG_BASE, "x")
    )


# Depths around every limit: ours (16), then tomllib's recursion (≈ 400–500 levels, issue 11:
# "one small release file stops all publishing and mail").
NESTING_DEPTHS = (17, 40, 400, 500, 2000)


def nesting_cases(base: str, key: str) -> Iterator[tuple[str, str, str]]:
    """(name, text, field ""): nested arrays, inline tables and tables, too deep to take."""
    for depth in NESTING_DEPTHS:
        yield f"nested-arrays-{depth}", f"{key} = {'[' * depth}{']' * depth}\n" + base, ""
        yield (f"nested-inline-tables-{depth}",
               f"{key} = {'{a = ' * depth}1{' }' * depth}\n" + base, "")
        yield (f"nested-mixed-{depth}",
               f"{key} = {'[{a = ' * (depth // 2)}1{'}]' * (depth // 2)}\n" + base, "")
    yield "nested-tables-40", base + "[" + ".".join(["t"] * 40) + "]\nv = 1\n", ""
