"""The options every command takes before or after its name: `--config` and `--format`.

SPEC (Command line): `syndication --config X check` and `syndication check --config X` are
the same command. One mechanism for all: `accept_everywhere` walks the command tree before
each command line is parsed, and gives every command a `--config` option (each group too, so
`syndication subscribers --config X add …` works) that writes to the same place as the
group's. `--format` stays each command's own option (its choices differ: `preview` prints
html|text|eml); a `--format` before the command name is its default, so
`syndication --format json deliveries` is `syndication deliveries --format json`.
Commands added later by anyone get both by being added to the tree: nothing to repeat.
"""

from __future__ import annotations

from pathlib import Path

import click

CONFIG_KEY = "syndication.config_path"
FORMAT_KEY = "syndication.format"  # the --format given before the command name, if any
CONFIG_TYPE = click.Path(path_type=Path, dir_okay=False)
CONFIG_HELP = "Config file (default: $SYNDICATION_CONFIG, else ./config.toml)."


def _remember_config(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[CONFIG_KEY] = value
    # Every command has this option, so here is where a --format given before the name of a
    # command that prints one format only is refused (a usage error), not silently ignored.
    has_format = any("--format" in param.opts for param in ctx.command.params
                     if isinstance(param, click.Option))
    if FORMAT_KEY in ctx.meta and not has_format and not isinstance(ctx.command, click.Group):
        raise click.UsageError(f"{ctx.command_path} has no --format option", ctx)


def config_option() -> click.Option:
    """A `--config` option that records its value for the whole invocation."""
    return click.Option(
        ["--config"], type=CONFIG_TYPE, default=None, expose_value=False, is_eager=True,
        callback=_remember_config, help=CONFIG_HELP,
    )


def config_path() -> Path | None:
    """The `--config` given anywhere on the command line (the last one wins), if any."""
    value = click.get_current_context().meta.get(CONFIG_KEY)
    return value if isinstance(value, Path) else None


def _remember_format(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[FORMAT_KEY] = value


def format_before_command() -> click.Option:
    """The group's `--format`: the default of the command's own `--format`."""
    return click.Option(
        ["--format"], default=None, expose_value=False, callback=_remember_format,
        help="Output format of the command (table, json, csv…; see the command's --format).",
    )


def accept_everywhere(command: click.Command) -> None:
    """Give `command` and every command below it `--config`, and `--format` its default."""
    names = {name for param in command.params for name in param.opts}
    if "--config" not in names:
        command.params.append(config_option())
    if isinstance(command, SyndicationGroup) and "--format" not in names:
        command.params.append(format_before_command())
    for param in command.params:
        if isinstance(param, click.Option) and "--format" in param.opts and not isinstance(
            command, SyndicationGroup
        ):
            _default_from_group(param)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            accept_everywhere(sub)


def _default_from_group(option: click.Option) -> None:
    if getattr(option, "_group_default", False):
        return  # done already: the tree is walked at every invocation
    own = option.get_default

    def get_default(ctx: click.Context, call: bool = True) -> object:
        given = ctx.meta.get(FORMAT_KEY)
        return own(ctx, call=call) if given is None else given

    setattr(option, "get_default", get_default)  # noqa: B010 - an instance's own default
    setattr(option, "_group_default", True)  # noqa: B010


class SyndicationGroup(click.Group):
    """The root group: before parsing, every command in the tree gets the shared options.

    Done at each invocation (it is idempotent and quick), so a command added anywhere in the
    tree, at any time before the command line runs, takes `--config` and `--format` too.
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: object,
    ) -> click.Context:
        """Complete the tree, then parse as Click does."""
        accept_everywhere(self)
        return super().make_context(info_name, args, parent, **extra)
