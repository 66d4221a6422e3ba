"""SPEC "Confirmations" for `subscribers erase` and `lists delete` (issue 11, item 21).

Both acted at once, with no question even on a terminal.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from tests.subscribers.conftest import Invoke, make_root, site


def typed(database_url: str, *args: str, answer: str) -> Result:
    """Run a command as if on a terminal where someone types `answer`."""
    return CliRunner().invoke(make_root(site(database_url)), list(args), input=answer,
                              catch_exceptions=False)


@pytest.fixture
def on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("subscribers.cli.confirmation.on_terminal", lambda: True)


def test_without_a_terminal_or_yes_nothing_is_erased_or_deleted(cli: Invoke) -> None:
    assert cli("lists", "create", "press").exit_code == 0
    assert cli("subscribers", "add", "a@example.be", "--lists", "press").exit_code == 0

    erase = cli("subscribers", "erase", "a@example.be")
    delete = cli("lists", "delete", "press")

    assert erase.exit_code == 2
    assert "run `syndication subscribers erase a@example.be --yes` to confirm" in erase.stderr
    assert delete.exit_code == 2
    assert "run `syndication lists delete press --yes` to confirm" in delete.stderr
    assert "a@example.be" in cli("subscribers", "list").stdout
    assert "press" in cli("lists", "list").stdout


def test_on_a_terminal_no_keeps_and_yes_acts(
    cli: Invoke, database_url: str, on_a_terminal: None
) -> None:
    assert cli("lists", "create", "press").exit_code == 0
    assert cli("subscribers", "add", "a@example.be", "--lists", "press").exit_code == 0

    kept = typed(database_url, "subscribers", "erase", "a@example.be", answer="n\n")
    assert kept.exit_code == 1
    assert "Erase a@example.be for ever (it cannot be undone)?" in kept.output
    assert "a@example.be" in cli("subscribers", "list").stdout

    kept = typed(database_url, "lists", "delete", "press", answer="n\n")
    assert kept.exit_code == 1
    assert "Delete the list press (1 active member loses it)?" in kept.output

    deleted = typed(database_url, "lists", "delete", "press", answer="y\n")
    assert deleted.exit_code == 0
    assert "deleted list press" in deleted.output
    erased = typed(database_url, "subscribers", "erase", "a@example.be", answer="y\n")
    assert erased.exit_code == 0
    assert "erased a@example.be" in erased.output


def test_an_unknown_list_fails_without_a_question(cli: Invoke) -> None:
    missing = cli("lists", "delete", "nope")
    assert missing.exit_code == 1
    assert "nope" in missing.stderr
