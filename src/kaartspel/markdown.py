"""The rules text: Markdown (CommonMark with pipe tables) parsed into a small block tree.

markdown-it-py does the parsing. Supported: headings, paragraphs, bullet and numbered
lists (nested), emphasis, strong, links, inline code, line breaks, simple tables, and a
thematic break (`---`), which starts a new page. Anything else (images, HTML, code blocks,
block quotes) is an error with its line, never silently lost text. Nothing here draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import InvalidDeck

# what fits a booklet page (A5): wider tables, deeper lists and longer words in a cell are
# refused with their line rather than crash the layout or run off the page
MAX_COLUMNS = 6
MAX_LIST_DEPTH = 6
MAX_CELL_WORD = 30  # characters


@dataclass(frozen=True)
class Heading:
    level: int
    markup: str  # reportlab paragraph markup
    text: str  # plain text (for running titles and tests)


@dataclass(frozen=True)
class Para:
    markup: str


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Para | ListBlock | Table | PageBreak


@dataclass
class _Cursor:
    tokens: list[Token]
    pos: int = 0
    file: str = "rules.md"
    problems: list[str] = field(default_factory=list)

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    depth: int = 0  # of nested lists

    def unsupported(self, token: Token, what: str) -> None:
        line = token.map[0] + 1 if token.map else 1
        self.problems.append(
            f"{self.file}:{line}:1: {what} is not supported in the rules text; "
            "use headings, paragraphs, lists, tables, bold, italic and links."
        )

    def too_much(self, token: Token, what: str) -> None:
        line = token.map[0] + 1 if token.map else 1
        self.problems.append(f"{self.file}:{line}:1: {what}")


def inline_markup(token: Token, cursor: _Cursor, link_colour: str) -> str:
    """Inline children to reportlab paragraph markup."""
    out: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            out.append(escape(child.content, quote=False))
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind == "strong_open":
            out.append("<b>")
        elif kind == "strong_close":
            out.append("</b>")
        elif kind == "em_open":
            out.append("<i>")
        elif kind == "em_close":
            out.append("</i>")
        elif kind == "code_inline":
            out.append(f"<b>{escape(child.content, quote=False)}</b>")
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            if not href.startswith(("http://", "https://", "mailto:")):
                cursor.unsupported(token, f"the link '{href}' (only http, https and mailto)")
            out.append(f'<a href="{escape(href)}" color="{link_colour}"><u>')
        elif kind == "link_close":
            out.append("</u></a>")
        elif kind == "image":
            cursor.unsupported(token, "an image")
        elif kind in ("html_inline",):
            cursor.unsupported(token, "inline HTML")
        else:
            cursor.unsupported(token, f"'{kind}'")
    return "".join(out)


def _plain(token: Token) -> str:
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def _blocks(cursor: _Cursor, link_colour: str, until: str | None = None) -> list[Block]:
    blocks: list[Block] = []
    while (token := cursor.peek()) is not None:
        kind = token.type
        if until is not None and kind == until:
            cursor.take()
            return blocks
        cursor.take()
        if kind == "heading_open":
            inline = cursor.take()
            cursor.take()  # heading_close
            blocks.append(
                Heading(
                    int(token.tag[1]), inline_markup(inline, cursor, link_colour), _plain(inline)
                )
            )
        elif kind == "paragraph_open":
            inline = cursor.take()
            cursor.take()
            blocks.append(Para(inline_markup(inline, cursor, link_colour)))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrs.get("start", 1) or 1) if ordered else 1
            close = kind.replace("_open", "_close")
            items: list[tuple[Block, ...]] = []
            cursor.depth += 1
            if cursor.depth == MAX_LIST_DEPTH + 1:
                cursor.too_much(
                    token,
                    f"lists are nested more than {MAX_LIST_DEPTH} levels deep; "
                    "a booklet page has no room for that. Flatten the list.",
                )
            while (nxt := cursor.peek()) is not None and nxt.type != close:
                cursor.take()  # list_item_open
                items.append(tuple(_blocks(cursor, link_colour, until="list_item_close")))
            cursor.take()
            cursor.depth -= 1
            blocks.append(ListBlock(ordered, tuple(items), start))
        elif kind == "table_open":
            header: list[str] = []
            rows: list[tuple[str, ...]] = []
            row: list[str] = []
            long_word = False
            while (nxt := cursor.take()).type != "table_close":
                if nxt.type == "inline":
                    row.append(inline_markup(nxt, cursor, link_colour))
                    word = max(_plain(nxt).split(), key=len, default="")
                    if len(word) > MAX_CELL_WORD and not long_word:
                        long_word = True
                        cursor.too_much(
                            nxt,
                            f"a table cell holds a word of {len(word)} characters "
                            f"('{word[:20]}...'); at most {MAX_CELL_WORD} fit in a column. "
                            "Shorten it or put it in a paragraph under the table.",
                        )
                elif nxt.type == "tr_close":
                    if not header:
                        header = row
                    else:
                        rows.append(tuple(row))
                    row = []
            if len(header) > MAX_COLUMNS:
                cursor.too_much(
                    token,
                    f"the table has {len(header)} columns; at most {MAX_COLUMNS} fit on a "
                    "booklet page. Split it into narrower tables.",
                )
            blocks.append(Table(tuple(header), tuple(rows)))
        elif kind == "hr":
            blocks.append(PageBreak())
        elif kind in ("fence", "code_block"):
            cursor.unsupported(token, "a code block")
        elif kind == "html_block":
            cursor.unsupported(token, "HTML")
        elif kind == "blockquote_open":
            cursor.unsupported(token, "a block quote")
        elif kind.endswith("_close"):
            continue
        else:
            cursor.unsupported(token, f"'{kind}'")
    return blocks


def parse(text: str, file: str, link_colour: str = "#245E8C") -> list[Block]:
    """Parse the rules text; raises InvalidDeck (exit 3) listing every unsupported construct."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    cursor = _Cursor(tokens, file=file)
    blocks = _blocks(cursor, link_colour)
    if cursor.problems:
        raise InvalidDeck(cursor.problems)
    return blocks
