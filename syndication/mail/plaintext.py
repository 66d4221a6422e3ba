"""Release HTML fragments as readable plain text, for the text part of a newsletter.

The text part is written from its own template; only the release's body and "more
information", which exist as sanitised HTML (the small tag set of
`syndication.releases.markdown`), go through this converter: paragraphs wrapped at 72
columns, `- ` and `1. ` list items, `> ` quotes, links as `text <url>`.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html.parser import HTMLParser

from syndication.mail.templating import TEXT_WIDTH

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "table"})
_LINE_BREAK = "\u2028"  # stands for <br> until the paragraph is wrapped


def html_to_text(fragment: str, *, width: int = TEXT_WIDTH) -> str:
    """Plain text of a sanitised HTML fragment, wrapped at `width` columns."""
    writer = _TextWriter(width)
    writer.feed(fragment)
    writer.close()
    writer.flush()
    return writer.text()


@dataclass
class _List:
    ordered: bool
    serial: int
    counter: int = 0


@dataclass
class _Link:
    href: str
    start: int


@dataclass
class _Block:
    text: str
    group: int | None  # items of one list (or rows of one table) follow without blank line


@dataclass
class _State:
    pieces: list[str] = field(default_factory=list)
    lists: list[_List] = field(default_factory=list)
    links: list[_Link] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    cell_start: int | None = None
    serial: int = 0
    bullet: str = ""
    quote_depth: int = 0
    pre: bool = False


class _TextWriter(HTMLParser):
    def __init__(self, width: int) -> None:
        super().__init__(convert_charrefs=True)
        self.width = width
        self.blocks: list[_Block] = []
        self.state = _State()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        state = self.state
        if tag in _BLOCKS or tag in ("ul", "ol", "blockquote", "pre", "tr", "hr"):
            self.flush()
        if tag in ("ul", "ol", "table"):
            state.serial += 1
        if tag in ("ul", "ol"):
            state.lists.append(_List(ordered=tag == "ol", serial=state.serial))
        elif tag == "li":
            self.flush()
            current = state.lists[-1] if state.lists else _List(ordered=False, serial=0)
            current.counter += 1
            state.bullet = f"{current.counter}. " if current.ordered else "- "
        elif tag == "blockquote":
            state.quote_depth += 1
        elif tag == "pre":
            state.pre = True
        elif tag == "br":
            state.pieces.append(_LINE_BREAK)
        elif tag == "hr":
            self.blocks.append(_Block("-" * 24, group=None))
        elif tag == "a":
            state.links.append(_Link(dict(attrs).get("href") or "", len(state.pieces)))
        elif tag in ("td", "th"):
            state.cell_start = len(state.pieces)

    def handle_endtag(self, tag: str) -> None:
        state = self.state
        if tag == "a" and state.links:
            link = state.links.pop()
            label = " ".join("".join(state.pieces[link.start:]).split())
            target = link.href.removeprefix("mailto:").removeprefix("tel:")
            if link.href and label not in (link.href, target):
                state.pieces.append(f" <{link.href}>")
        elif tag in ("td", "th") and state.cell_start is not None:
            state.cells.append(" ".join("".join(state.pieces[state.cell_start:]).split()))
            del state.pieces[state.cell_start:]
            state.cell_start = None
        elif tag == "tr":
            self.blocks.append(_Block(" | ".join(state.cells), group=state.serial))
            state.cells = []
        elif tag in _BLOCKS or tag in ("li", "pre"):
            self.flush()
            state.pre = False if tag == "pre" else state.pre
        elif tag in ("ul", "ol") and state.lists:
            self.flush()
            state.lists.pop()
        elif tag == "blockquote":
            self.flush()
            state.quote_depth = max(0, state.quote_depth - 1)

    def handle_data(self, data: str) -> None:
        self.state.pieces.append(data)

    def flush(self) -> None:
        """End the paragraph being written, if any."""
        state = self.state
        raw = "".join(state.pieces)
        state.pieces.clear()
        quote = "> " * state.quote_depth
        if state.pre:
            if raw.strip("\n"):
                lines = raw.strip("\n").split("\n")
                self.blocks.append(_Block("\n".join(quote + line for line in lines), group=None))
            return
        if not raw.strip():
            return
        depth = max(0, len(state.lists) - 1)
        first = quote + "  " * depth + state.bullet
        rest = quote + " " * (len(first) - len(quote))
        lines = []
        for number, line in enumerate(part for part in raw.split(_LINE_BREAK) if part.strip()):
            lines.append(textwrap.fill(
                " ".join(line.split()), width=self.width,
                initial_indent=first if number == 0 else rest, subsequent_indent=rest,
                break_long_words=False, break_on_hyphens=False,
            ))
        group = state.lists[0].serial if state.bullet and state.lists else None
        self.blocks.append(_Block("\n".join(lines), group=group))
        state.bullet = ""

    def text(self) -> str:
        """Every block written, separated by blank lines (list items by one newline)."""
        out: list[str] = []
        previous: int | None = None
        for block in self.blocks:
            if out:
                out.append("\n" if block.group is not None and block.group == previous else "\n\n")
            out.append(block.text)
            previous = block.group
        return "".join(out)
