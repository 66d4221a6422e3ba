"""The site's brand: its own templates in front of the packaged ones, its logo, its accent,
for pages, subscription pages and emails; and a build that renders again only when one of
them changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html

from syndication.config import Settings, load_settings
from syndication.errors import ConfigError
from syndication.mail import MailKind, compose_mailing
from syndication.resources import EXAMPLE_SITE_DIR
from syndication.web.pages import render_page
from tests.mail.conftest import SEED, html_of, parse, personalise_for
from tests.site.building import build, load, output_files
from tests.site.test_cli import run

LOGO = EXAMPLE_SITE_DIR / "logo.svg"


def configure(config: Path, **site_keys: str) -> Settings:
    """Set `[site]` keys of the config (TOML values as written) and load it again."""
    text = "".join(line for line in config.read_text(encoding="utf-8").splitlines(True)
                   if not any(line.startswith(f"{key} =") for key in site_keys))
    lines = "".join(f"{key} = {value}\n" for key, value in site_keys.items())
    config.write_text(text.replace("[site]\n", "[site]\n" + lines, 1), encoding="utf-8")
    return load_settings(config)


def override(config: Path, name: str, text: str) -> Path:
    """Write `templates/<name>` beside the config (the default override folder)."""
    path = config.parent / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_site_template_overrides_the_packaged_one_and_the_rest_falls_back(
    example_site: Path,
) -> None:
    override(example_site, "site/_footer.html",
             '<footer class="ours">Notre pied de page {{ page.language }}</footer>\n')
    settings = load_settings(example_site)
    assert settings.branding.templates_dir == example_site.parent / "templates"
    build(settings)
    for language in settings.languages:
        home = (settings.output_dir / f"{language}/index.html").read_text(encoding="utf-8")
        assert f'<footer class="ours">Notre pied de page {language}</footer>' in home
        assert "signup-box" in home  # listing.html itself is still the packaged one
    # No override folder: the packaged footer.
    packaged = load_settings(EXAMPLE_SITE_DIR / "config.toml")
    assert packaged.branding.templates_dir is None


def test_subscription_pages_and_emails_take_overrides_too(example_site: Path) -> None:
    settings = load_settings(EXAMPLE_SITE_DIR / "config.toml")
    override(example_site, "pages/subscribed.html",
             '{% extends "_layout.html" %}{% block heading %}Vérifiez{% endblock %}'
             "{% block content %}<p>Boîte maison</p>{% endblock %}")
    override(example_site, "email/_footer.html", "<p>Pied maison {{ organisation.name }}</p>\n")
    site = load_settings(example_site)
    page = bytes(render_page(site, "subscribed", "fr").body).decode()
    assert "Boîte maison" in page
    assert "Boîte maison" not in bytes(render_page(settings, "subscribed", "fr").body).decode()
    releases = {release.id: release for release in load(site)}
    mail = parse(personalise_for(compose_mailing(
        site, kind=MailKind.ALERT, releases=(releases[SEED],), languages=("fr",),
        list_id="press")))
    assert "Pied maison SPF Sécurité sociale" in html_of(mail)


def test_the_logo_is_copied_and_shown_in_pages_and_emails(example_site: Path) -> None:
    (example_site.parent / "brand").mkdir()
    (example_site.parent / "brand" / "emblem.svg").write_bytes(LOGO.read_bytes())
    settings = configure(example_site, logo='"brand/emblem.svg"')
    build(settings)
    files = output_files(settings)
    assert files["logo.svg"] == LOGO.read_bytes()
    release = html.fromstring(files[f"fr/{SEED}.html"])
    (image,) = release.xpath("//header//img")
    assert image.get("src") == "../logo.svg"
    # The organisation's name is the link's text: the image adds nothing to read.
    assert image.get("alt") == ""
    assert "SPF Sécurité sociale" in release.xpath("//header//a[@class='brand']")[0].text_content()
    assert html.fromstring(files["index.html"]).xpath("//header//img")[0].get("src") == "logo.svg"
    page = bytes(render_page(settings, "subscribed", "nl").body).decode()
    assert '<img src="/logo.svg"' in page
    releases = {release.id: release for release in load(settings)}
    mail = html_of(parse(personalise_for(compose_mailing(
        settings, kind=MailKind.ALERT, releases=(releases[SEED],), languages=("nl",),
        list_id="press"))))
    assert re.search(r'<td class="masthead"[^>]*><img src="https://press\.example\.be/logo\.svg"',
                     mail)


def test_the_accent_colours_the_stylesheet_and_the_emails(example_site: Path) -> None:
    settings = configure(example_site, accent='"#FFCC00"')  # a light yellow
    assert settings.branding.accent == "#ffcc00"
    build(settings)
    css = (settings.output_dir / "style.css").read_text(encoding="utf-8")
    assert "--accent: #ffcc00;" in css
    # Dark text on the light accent, and links in a darker yellow that reads on white.
    assert "--on-accent: #1b1b1b;" in css
    link = re.search(r"--link: (#[0-9a-f]{6});", css)
    assert link is not None
    assert link.group(1) != "#ffcc00"
    releases = {release.id: release for release in load(settings)}
    mail = html_of(parse(personalise_for(compose_mailing(
        settings, kind=MailKind.ALERT, releases=(releases[SEED],), languages=("fr",),
        list_id="press"))))
    masthead = re.search(r'<td class="masthead" style="([^"]*)"', mail)
    assert masthead is not None
    assert "background-color: #ffcc00" in masthead.group(1)
    assert "color: #1b1b1b" in masthead.group(1)


@pytest.mark.parametrize(
    ("keys", "field", "reason"),
    [
        ({"logo": '"missing.png"'}, "site.logo", "no such file"),
        ({"logo": '"config.toml"'}, "site.logo", "must be an image"),
        ({"accent": '"navy"'}, "site.accent", "not a CSS hex colour"),
        ({"accent": '"#7a7a7a"'}, "site.accent", "contrast"),  # mid grey: no text reads on it
    ],
)
def test_a_bad_logo_or_accent_is_a_named_problem(
    example_site: Path, keys: dict[str, str], field: str, reason: str,
) -> None:
    with pytest.raises(ConfigError) as raised:
        configure(example_site, **keys)
    (problem,) = raised.value.problems
    assert problem.field == field
    assert reason in problem.reason


def test_a_named_override_folder_must_exist(example_site: Path) -> None:
    text = example_site.read_text(encoding="utf-8")
    example_site.write_text(text.replace('data = "var"', 'data = "var"\ntemplates = "mine"'),
                            encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(example_site)
    assert [problem.field for problem in raised.value.problems] == ["paths.templates"]


def test_changing_the_accent_logo_or_an_override_renders_again_then_nothing(
    example_site: Path,
) -> None:
    logo = example_site.parent / "logo.svg"
    logo.write_bytes(LOGO.read_bytes())
    settings = configure(example_site, logo='"logo.svg"')
    first = build(settings)
    assert first.written
    assert build(settings).written == []  # nothing changed: nothing written

    def rebuilt(settings: Settings) -> set[str]:
        # A file and its .gz copy count as one.
        written = {path.relative_to(settings.output_dir).as_posix().removesuffix(".gz")
                   for path in build(settings).written}
        assert build(settings).written == [], "a second build rewrote files"
        return written

    assert rebuilt(configure(example_site, accent='"#005a32"')) == {"style.css"}  # pages link the stylesheet
    logo.write_bytes(LOGO.read_bytes().replace(b"#d8262f", b"#c8102e"))
    assert rebuilt(load_settings(example_site)) == {"logo.svg"}
    override(example_site, "site/_footer.html", "<footer>Maison</footer>\n")
    written = rebuilt(load_settings(example_site))
    assert f"fr/{SEED}.html" in written
    assert "fr/atom.xml" not in written  # feeds do not show the footer


def test_check_names_a_missing_logo(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATION_SECRET", "cli-test-secret-8Gm2Xr5Kw9Tq3Zp7Lv4Nc6BhYeA1Fo")
    monkeypatch.setenv("SYNDICATION_ADMIN_TOKEN", "cli-test-admin-token-Jd4Wy7Qs2Fk9Rm5Tx3EpUa")
    text = example_site.read_text(encoding="utf-8")
    example_site.write_text(text.replace('# logo = "logo.svg"', 'logo = "brand/logo.png"'),
                            encoding="utf-8")
    code, out, err = run(example_site, "check")
    assert code == 1
    assert "Traceback" not in out + err
    assert f"{example_site}: site.logo: no such file" in err
    (example_site.parent / "brand").mkdir()
    (example_site.parent / "brand" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert run(example_site, "check")[0] == 0


def test_an_override_that_does_not_compile_is_a_named_problem(example_site: Path) -> None:
    broken = override(example_site, "site/_footer.html", "<footer>\n{% if %}</footer>\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(example_site)
    (problem,) = raised.value.problems
    assert problem.field == "paths.templates"
    assert problem.reason.startswith(f"{broken}, line 2: ")


def test_an_override_that_cannot_render_stops_the_build_with_its_file_and_line(
    example_site: Path,
) -> None:
    broken = override(example_site, "site/_footer.html",
                      "<footer>\n{{ page.no_such_value.deeper }}</footer>\n")
    code, out, err = run(example_site, "build")
    assert code == 1
    assert "Traceback" not in out + err
    assert f"error: {broken}, line 2: cannot be rendered:" in err
    assert "no_such_value" in err
