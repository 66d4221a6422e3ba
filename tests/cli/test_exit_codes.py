"""SPEC's one exit-code rule ("Precisely"), asserted on every command of the Click tree.

2: the command line is malformed (unknown option, missing argument, a value of the wrong
syntax); 1: well-formed but naming something that does not exist, or invalid input; 0
otherwise. The malformed cases are derived from each command's own parameters, so a
command added later is covered without a line here; the "names nothing" cases need a
value per command and are listed below.
"""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from syndication.cli import cli
from syndication.cli.options import accept_everywhere
from tests.cli.conftest import Run

accept_everywhere(cli)


def leaf_commands(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every runnable command of the tree with the words that name it."""
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*path, name))
        else:
            yield (*path, name), command


COMMANDS = dict(leaf_commands())
IDS = [" ".join(path) for path in COMMANDS]


def required_arguments(command: click.Command) -> list[str]:
    """Well-formed values for the command's required arguments."""
    samples = {"EMAIL": "nobody@example.be", "DIRECTORY": "site-dir", "FILE": __file__}
    return [samples.get((param.name or "").upper(), "nope")
            for param in command.params
            if isinstance(param, click.Argument) and param.required]


@pytest.mark.parametrize("path", COMMANDS, ids=IDS)
def test_an_unknown_option_exits_2(run: Run, path: tuple[str, ...]) -> None:
    result = run(*path, *required_arguments(COMMANDS[path]), "--no-such-option")

    assert result.exit_code == 2, result.output
    assert "No such option" in result.output


@pytest.mark.parametrize("path", COMMANDS, ids=IDS)
def test_a_missing_argument_exits_2(run: Run, path: tuple[str, ...]) -> None:
    command = COMMANDS[path]
    if not required_arguments(command):
        assert all(not (isinstance(p, click.Argument) and p.required) for p in command.params)
        return
    result = run(*path)

    assert result.exit_code == 2, result.output
    assert "Missing" in result.output  # the argument, or a required option declared first


def typed_options(command: click.Command) -> Iterator[click.Option]:
    """The options whose value has a syntax (a choice, a number, a time)."""
    for param in command.params:
        if isinstance(param, click.Option) and not param.is_flag and not isinstance(
            param.type, click.types.StringParamType | click.Path
        ):
            yield param


CASES = [(path, option.opts[-1]) for path, command in COMMANDS.items()
         for option in typed_options(command)]


@pytest.mark.parametrize(("path", "option"), CASES, ids=[f"{' '.join(p)} {o}" for p, o in CASES])
def test_a_value_of_the_wrong_syntax_exits_2(run: Run, path: tuple[str, ...], option: str) -> None:
    result = run(*path, *required_arguments(COMMANDS[path]), option, "not-valid!")

    assert result.exit_code == 2, result.output
    assert "Invalid value" in result.output
    assert "Traceback" not in result.output


def test_config_and_format_go_after_the_command_too(run: Run) -> None:
    after = run("deliveries", "--format", "json")
    before = run("--format", "json", "deliveries")

    assert after.exit_code == before.exit_code == 0
    assert after.output == before.output
    assert after.output.lstrip().startswith("{")


# Well-formed lines naming something the site does not have: exit 1, saying what.
NAMES_NOTHING = [
    (("deliveries", "nope"), "nope"),
    (("preview", "nope"), "nope"),
    (("preview", "nope", "--lang", "de"), "nope"),
    (("mailings", "cancel", "alert:nope", "--yes"), "alert:nope"),
    (("mailings", "retry", "alert:nope"), "alert:nope"),
    (("lists", "delete", "nope", "--yes"), "nope"),
    (("subscribers", "add", "x@example.be", "--lists", "nope"), "nope"),
    (("subscribers", "add", "x@example.be", "--languages", "de"), "'de'"),
    (("subscribers", "add", "x@example.be", "--themes", "sport"), "'sport'"),
    (("subscribers", "remove", "nobody@example.be"), "nobody@example.be"),
    (("subscribers", "show", "nobody@example.be"), "nobody@example.be"),
    (("subscribers", "list", "--list", "nope"), "nope"),
    (("subscribers", "import", "nope.csv"), "nope.csv: no such file"),
]


@pytest.mark.parametrize(("arguments", "named"), NAMES_NOTHING,
                         ids=[" ".join(case[0]) for case in NAMES_NOTHING])
def test_naming_what_does_not_exist_exits_1(
    run: Run, arguments: tuple[str, ...], named: str
) -> None:
    result = run(*arguments)

    assert result.exit_code == 1, result.output
    assert "error:" in result.output
    assert named in result.output
    assert "Traceback" not in result.output


def test_subscribers_add_unknown_list_and_language_exit_the_same(run: Run) -> None:
    lists = run("subscribers", "add", "x@example.be", "--lists", "nope")
    languages = run("subscribers", "add", "x@example.be", "--languages", "de")

    assert lists.exit_code == languages.exit_code == 1


def test_removing_from_a_list_that_does_not_exist_exits_1(run: Run) -> None:
    assert run("subscribers", "add", "x@example.be").exit_code == 0

    result = run("subscribers", "remove", "x@example.be", "--list", "nope")

    assert result.exit_code == 1
    assert "nope" in result.output


def test_a_format_before_a_command_that_has_none_is_a_usage_error(run: Run) -> None:
    result = run("--format", "json", "check")

    assert result.exit_code == 2
    assert "has no --format option" in result.output
