"""Read one YAML file safely into plain Python values plus the position of every node.

This module knows YAML and files, nothing about decks. It refuses what PyYAML would
silently accept: repeated keys, tags other than the plain YAML ones, documents that expand
through aliases into huge trees, very deep nesting, files that are not UTF-8 or too big.
Every refusal is a located message `file:line:col: ...`.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 200_000  # values after alias expansion: stops alias bombs quickly
MAX_DEPTH = 40
SHALLOW = 3  # the fast path records the positions of nodes this many levels deep (cards[2].id)

Path_ = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")  # deleted by _too_deep
# where an anchor (&name) may start: at a node's start, after space or a flow indicator (an
# alias without an anchor is an error, which the full reader reports); `?a=1&b=2` is no anchor.
# Written '&' first (the look-behind after it), so the engine scans for '&' alone: 50 times
# faster on card files full of URLs than with the alternation `(?:^|[\s\[{,])` in front
_ANCHOR = re.compile(r"&(?<=[\s\[{,]&)\S")
_ANCHOR_FIRST = re.compile(r"&\S")
_TAG_SHORT = re.compile(r"^tag:yaml\.org,2002:")


def display_path(path: Path) -> str:
    """A path as the user should read it: relative to the working folder when inside it."""
    absolute = Path(os.path.abspath(path))  # no symlink resolution: show the name the user gave
    try:
        return str(absolute.relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(path)


def format_path(path: Path_) -> str:
    """('cards', 2, 'segment') -> 'cards[2].segment'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class Document:
    """The values of one YAML file and where each node and each mapping key sits.

    Positions are read through `at` (or `problem`): a document read the fast way holds
    libyaml's own marks (0-based line and column) in `values` and `keys`, made Locations
    the first time one is asked for. A card file has one for each key of each card; a
    build asks for two a card (where it is, where its id is), and a Location made for
    each cost 1 % of a build's instructions."""

    file: str
    data: Any
    values: dict[Path_, Location] = field(default_factory=dict)
    keys: dict[Path_, Location] = field(default_factory=dict)
    # how messages name a node instead of its path, e.g. ('cards', 2) -> 'card S01'
    names: dict[Path_, str] = field(default_factory=dict)
    # read without every position (the fast path): the text, to recover them when a message
    # needs a node deeper than SHALLOW levels; None once `values` and `keys` are complete
    _text: str | None = field(default=None, repr=False)

    def at(self, path: Path_, key: bool = False) -> Location:
        """Location of the node at `path` (or of its key), falling back to the nearest parent."""
        if self._text is not None and len(path) > SHALLOW:
            self._recover()
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return self._location(table, probe)
            if probe in self.values:
                return self._location(self.values, probe)
            probe = probe[:-1]
        if () in self.values:
            return self._location(self.values, ())
        return Location(self.file, 1, 1)

    def _location(self, table: dict[Path_, Location], path: Path_) -> Location:
        """The Location at `path` in `table`, made from libyaml's mark there if need be."""
        where: Any = table[path]
        if not isinstance(where, Location):
            where = table[path] = Location(self.file, where.line + 1, where.column + 1)
        return where

    def _recover(self) -> None:
        """Fill in every position by reading the text again the slow way (same values)."""
        text, self._text = self._text, None
        assert text is not None
        full = parse(self.file, text)
        self.values, self.keys = full.values, full.keys

    def problem(self, path: Path_, message: str, key: bool = False) -> str:
        where = self.at(path, key)
        prefix = f"{format_path(path)}: " if path else ""
        for n in range(len(path), 0, -1):  # a named node (a card) is shown by its name
            if (name := self.names.get(path[:n])) is not None:
                rest = format_path(path[n:]).lstrip(".")
                prefix = f"{name}, {rest}: " if rest else f"{name}: "
                break
        return f"{where}: {prefix}{message}"


class SourceError(Exception):
    """Raised with a located message when a file cannot be read as safe YAML."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_OPENERS = {
    "while scanning a quoted scalar": ("the quoted text", "quote"),
    "while parsing a flow sequence": ("the '['", "']'"),
    "while parsing a flow mapping": ("the '{'", "'}'"),
}


def _loc(file: str, mark: yaml.Mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _describe_tag(tag: str) -> str:
    return _TAG_SHORT.sub("!!", tag)


def read_text(path: Path) -> tuple[str, str]:
    """Read a file as UTF-8 text; returns (display name, text)."""
    name = display_path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            raise SourceError(
                f"{name}: this is not a regular file (a pipe, device or folder); "
                "kaartspel reads only ordinary files. Replace it with a file."
            )
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(
                f"{name}:1:1: file is {size / 1048576:.1f} MB; a deck file may be at most "
                f"{MAX_FILE_BYTES // 1048576} MB. Split the cards over several files."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{name}: cannot read the file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        col = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise SourceError(
            f"{name}:{line}:{col}: the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}). "
            "Save it as UTF-8 in your editor."
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return name, text


def _check_tabs(name: str, text: str) -> None:
    if "\t" not in text:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            col = line.index("\t") + 1
            raise SourceError(
                f"{name}:{number}:{col}: a tab is used for indentation; YAML needs spaces. "
                "Replace the tab with spaces."
            )


def parse(name: str, text: str, positions: bool = True) -> Document:
    """Parse YAML text into a Document; raises SourceError with a located message.

    positions=False: libyaml builds the values directly and only the positions of the top
    SHALLOW levels are kept; the others are recovered (by parsing again) when a message needs
    one. Anything unusual (aliases, tags, repeated or merge keys, an error) takes the full
    path, so every message stays the same."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise SourceError(f"{name}:1:1: the file is empty; it should hold a YAML mapping.")
    _check_tabs(name, text)
    found = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if found:
        before = text[: found.start()]
        line = before.count("\n") + 1
        col = found.start() - (before.rfind("\n") + 1) + 1
        raise SourceError(
            f"{name}:{line}:{col}: the file contains the control character "
            f"U+{ord(found.group()[0]):04X}, which YAML does not allow; remove it."
        )
    if not positions:
        doc = _read_fast(name, text)
        if doc is not None:
            return doc
    fast = _compose_fast(text)
    if fast is not None:
        node, loader = fast
        return _document(name, node, loader, "&" in text and "*" in text)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _loc(name, mark) if mark else Location(name, 1, 1)
        problem = (exc.problem or "malformed YAML").strip()
        context = f" ({exc.context})" if exc.context else ""
        opener = _OPENERS.get(exc.context or "")
        if opener and exc.context_mark and mark and exc.context_mark.line < mark.line:
            # an unclosed quote or bracket: the mistake is where it opens, not where YAML noticed
            raise SourceError(
                f"{_loc(name, exc.context_mark)}: YAML syntax error: {opener[0]} opened here is "
                f"not closed (at line {mark.line + 1}: {problem}). Add the closing {opener[1]}."
            ) from None
        raise SourceError(
            f"{where}: YAML syntax error: {problem}{context}. Check the indentation and quote "
            "values that contain ': ' or start with a special character."
        ) from None
    except RecursionError:
        raise SourceError(
            f"{name}:1:1: the YAML nests too deeply (more than {MAX_DEPTH} levels)."
        ) from None
    finally:
        loader.dispose()
    return _document(name, node, loader, "&" in text and "*" in text)


def _too_deep(text: str) -> bool:
    """Whether a cheap upper bound of how deep the YAML nests (its deepest indentation plus
    the most brackets open at once) exceeds MAX_DEPTH. The brackets are counted in the text's
    bytes with every other byte deleted (in C: a Python step per bracket, not per character);
    the lines' indentation is looked at only when a run of spaces as long as the indentation
    that would exceed MAX_DEPTH is in the text at all (a deck file has none)."""
    depth = deepest = 0
    for byte in text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS):
        if byte == 91 or byte == 123:  # [ {
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    if " " * (MAX_DEPTH - deepest + 1) not in text:  # no line indented that deep
        return deepest > MAX_DEPTH
    deepest_indent = max((len(ln) - len(ln.lstrip(" ")) for ln in text.splitlines()), default=0)
    return deepest_indent + deepest > MAX_DEPTH


def _compose_fast(text: str) -> tuple[yaml.Node | None, Any] | None:
    """Compose with libyaml when it is there and the text is safely shallow; None when the
    pure-Python parser must run (no libyaml, possibly deep nesting, or an error to locate)."""
    fast_loader = getattr(yaml, "CSafeLoader", None)
    if fast_loader is None or _too_deep(text):
        return None
    loader = fast_loader(text)
    try:
        return loader.get_single_node(), loader
    except yaml.YAMLError:
        return None  # the pure-Python parser reports the same mistake with better marks
    finally:
        loader.dispose()


class _Slow(Exception):
    """Something the fast reader leaves to the full one (which accepts or reports it)."""


def _slow(*_: Any) -> Any:
    raise _Slow


class _StrictConstructor(yaml.constructor.SafeConstructor):
    """PyYAML's safe constructor less everything the full reader refuses."""

    yaml_constructors = {
        tag: yaml.constructor.SafeConstructor.yaml_constructors[tag] for tag in _PLAIN_TAGS
    }
    yaml_constructors[None] = _slow  # type: ignore[index]
    yaml_multi_constructors: ClassVar[dict[Any, Any]] = {}

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        for key_node, _ in node.value:
            if key_node.tag not in _PLAIN_TAGS or not isinstance(key_node, yaml.ScalarNode):
                raise _Slow  # a merge key ('<<'), a tagged or a complex key

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = str(key)
            if key in mapping:
                raise _Slow  # a repeated key, reported with both lines by the full reader
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_STR_TAG = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_FastLoader: Any = None  # PyYAML without libyaml: the full reader does everything
try:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:
    pass
else:

    class _CLoader(CParser, _StrictConstructor, yaml.resolver.Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _StrictConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            """PyYAML's tag of a node; for a plain scalar, remembered for short texts (keys
            and names repeat: 'id', 'title', 'nl') or answered at once for a text whose first
            character starts no other type (most card texts)."""
            if kind is not yaml.ScalarNode or not implicit[0] or not value:
                return super().resolve(kind, value, implicit)
            tag = _PLAIN_SCALARS.get(value)
            if tag is None:
                if value[0] not in _IMPLICIT_FIRST and not _ANY_FIRST:
                    return _STR_TAG
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 40 and len(_PLAIN_SCALARS) < 4096:
                    _PLAIN_SCALARS[value] = tag
            return tag

    _IMPLICIT_FIRST = frozenset(k for k in _CLoader.yaml_implicit_resolvers if k)
    _ANY_FIRST = None in _CLoader.yaml_implicit_resolvers  # a resolver for every text
    _PLAIN_SCALARS: dict[str, str] = {}  # plain scalar -> its tag

    _FastLoader = _CLoader


def _read_fast(name: str, text: str) -> Document | None:
    """The values through libyaml with the top positions only; None for the full reader."""
    if (
        _FastLoader is None
        # possibly an anchor, so aliases: the full reader checks them
        or _ANCHOR_FIRST.match(text)
        or _ANCHOR.search(text)
        or _too_deep(text)
    ):
        return None
    loader = _FastLoader(text)
    try:
        doc = _from_events(name, text, loader)
    except SourceError:  # too many values: the full reader's message, without its slow walk
        raise
    except Exception:  # noqa: BLE001 - anything unusual or wrong: the full reader reports it
        return None
    finally:
        loader.dispose()
    return doc


def _refuse_too_many(name: str, event: Any, get: Any) -> None:
    """`event` makes one value more than a file may hold: the full reader's message for it,
    at once, when the rest of the file reads without an error (which the full reader would
    report instead: `_Slow`), one document only."""
    where = _loc(name, event.start_mark)
    while True:
        try:
            kind = type(get())
        except Exception:  # noqa: BLE001 - a syntax error further on: the full reader's
            raise _Slow from None
        if kind is yaml.DocumentStartEvent:
            raise _Slow
        if kind is yaml.StreamEndEvent:
            raise _too_many_values(where)


_COLLECTION_TAGS = {
    yaml.MappingStartEvent: ("tag:yaml.org,2002:map", "!", None),
    yaml.SequenceStartEvent: ("tag:yaml.org,2002:seq", "!", None),
}
_KEY: Any = object()  # what an open mapping waits for when it waits for a key, not a value


def _from_events(name: str, text: str, loader: Any) -> Document | None:
    """The document built straight from libyaml's events (no node tree, no second walk to
    construct it): the values PyYAML's safe loader gives, and the positions of the top
    SHALLOW levels (values, and the keys of mappings above them) as the full reader records
    them. Raises `_Slow` for whatever the full reader must see: an anchor, an alias, a tag
    other than the plain ones, a merge or repeated key, a key that is not a plain scalar,
    a second document. More than MAX_VALUES values (keys included) raise the full reader's
    SourceError, unless the rest of the file has something it would report first.

    This loop runs once for each of the some 50 events of a card (a tenth of a build's
    work at 5,000 cards went here), so it does as little as it can per event: the open
    collection and its state are local variables (saved on `stack` only while a collection
    inside it is open), a path is made only for a node whose position is kept, and a plain
    scalar is typed without a call when its type is known from its first character or it
    was seen before (keys: 'id', 'title', 'nl')."""
    get, resolve, construct = loader.get_event, loader.resolve, loader.yaml_constructors
    # the commonest cases of `resolve` inlined: a plain scalar whose first character starts
    # no other type is a text (unless some resolver looks at every text), and so is a
    # quoted or block scalar; a plain scalar seen before has the type it had then
    implicit_first, inline, seen = _IMPLICIT_FIRST, not _ANY_FIRST, _PLAIN_SCALARS.get
    scalar, mapping_start, sequence_start, mapping_end, sequence_end = (
        yaml.ScalarEvent,
        yaml.MappingStartEvent,
        yaml.SequenceStartEvent,
        yaml.MappingEndEvent,
        yaml.SequenceEndEvent,
    )
    count = 0  # the values and keys so far: the events that make one (no alias gets here)
    # positions as libyaml's marks, made Locations when asked for (`Document.at`)
    values: dict[Path_, Any] = {}
    keys: dict[Path_, Any] = {}
    # the open collection (None before the root), whether it is a mapping, its path when
    # the positions of its children are kept (else None), and in a mapping the key read and
    # waiting for its value (else _KEY) with that value's path (when kept)
    container: Any = None
    is_map = False
    above: Path_ | None = ()
    key: Any = _KEY
    at: Path_ | None = None
    stack: list[tuple[Any, bool, Path_ | None, Any, Path_ | None]] = []  # the collections around
    root: Any = None
    path: Path_ | None
    documents = 0
    while True:
        event = get()
        kind = type(event)
        if kind is scalar:
            if event.anchor is not None:
                raise _Slow
            value = event.value
            tag = event.tag
            if tag is None and inline:
                if not event.implicit[0]:
                    tag = _STR_TAG  # quoted or a block: a text
                elif value and value[0] not in implicit_first:
                    tag = _STR_TAG
                else:
                    tag = seen(value) or resolve(yaml.ScalarNode, value, event.implicit)
            elif tag is None or tag == "!":
                tag = resolve(yaml.ScalarNode, value, event.implicit)
            if tag != _STR_TAG:
                if tag not in _PLAIN_TAGS:
                    raise _Slow  # a merge key, a date, a tag of its own
                node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
                value = construct[tag](loader, node)
            count += 1
            if count > MAX_VALUES:
                _refuse_too_many(name, event, get)
            if is_map:
                if key is _KEY:  # a key: unique in its mapping
                    key = value
                    if type(key) is not str and (not isinstance(key, int) or isinstance(key, bool)):
                        key = str(key)
                    if key in container:
                        raise _Slow
                    if above is not None:
                        at = above + (key,)
                        keys[at] = event.start_mark
                    continue
                container[key] = value
                key = _KEY
                if above is None:
                    continue
                path = at
            elif container is not None:
                if above is None:
                    container.append(value)
                    continue
                path = above + (len(container),)
                container.append(value)
            else:
                root, path = value, ()
            values[path] = event.start_mark  # type: ignore[index]
            continue
        if kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag not in _COLLECTION_TAGS[kind]:
                raise _Slow
            opened: Any = {} if kind is mapping_start else []
            count += 1
            if count > MAX_VALUES:
                _refuse_too_many(name, event, get)
            if is_map:
                if key is _KEY:
                    raise _Slow  # a key that is not a scalar
                container[key] = opened
                path = at if above is not None else None
                key = _KEY
            elif container is not None:
                path = above + (len(container),) if above is not None else None
                container.append(opened)
            else:
                root, path = opened, ()
            if path is not None:
                values[path] = event.start_mark
            stack.append((container, is_map, above, key, at))
            container, is_map, key = opened, kind is mapping_start, _KEY
            above = path if path is not None and len(path) < SHALLOW else None
            continue
        if kind is mapping_end or kind is sequence_end:
            container, is_map, above, key, at = stack.pop()
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Slow
        elif kind is yaml.StreamEndEvent:
            break
        elif kind is yaml.AliasEvent:
            raise _Slow
        # else the stream's start, a document's end
    if documents == 0:
        return None  # no document at all: the full reader says so
    return Document(name, root, values, keys, _text=text)


def _too_many_values(where: Location) -> SourceError:
    """The value at `where` is one more than a deck file may hold (counted in file order)."""
    return SourceError(
        f"{where}: the file holds more than {MAX_VALUES} values (keys included), more than "
        "one deck file may hold; split its cards over several files in cards/."
    )


def _document(name: str, node: yaml.Node | None, loader: Any, may_alias: bool) -> Document:
    if node is None:
        raise SourceError(f"{name}:1:1: the file is empty; it should hold a YAML mapping.")
    doc = Document(name, None)
    if may_alias:  # an alias (*name) needs an anchor (&name); most decks have neither
        _refuse_alias_bomb(name, node)
    budget = [MAX_VALUES]
    doc.data = _convert(doc, loader, node, (), 0, budget)
    return doc


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _refuse_alias_bomb(name: str, root: yaml.Node) -> None:
    """Count the values the document expands to in time linear in its size (an alias is a
    shared node, sized once) and refuse a bomb before building anything, at the value that
    is too big by itself."""
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:  # depth-first, post-order, without recursion
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in _children(node))
        elif id(node) in entered:  # reached again inside itself: `&a [*a]`
            raise SourceError(
                f"{_loc(name, node.start_mark)}: this value contains itself through an alias "
                "(*name); a deck cannot hold loops. Write the value out."
            )
        else:
            entered.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    if sizes[id(root)] <= MAX_VALUES:
        return
    node = root
    path: Path_ = ()
    while True:
        pairs: list[tuple[str | int, yaml.Node]]
        if isinstance(node, yaml.MappingNode):
            pairs = [(str(k.value), v) for k, v in node.value]
        else:
            pairs = list(enumerate(_children(node)))
        big = next(((key, child) for key, child in pairs if sizes[id(child)] > MAX_VALUES), None)
        if big is None:
            break
        path, node = path + (big[0],), big[1]
    prefix = f"{format_path(path)}: " if path else ""
    raise SourceError(
        f"{_loc(name, node.start_mark)}: {prefix}this value expands through aliases (*name) to "
        f"more than {MAX_VALUES} values; this looks like an alias bomb and is refused."
    )


def _convert(
    doc: Document,
    loader: Any,
    node: yaml.Node,
    path: Path_,
    depth: int,
    budget: list[int],
) -> Any:
    where = _loc(doc.file, node.start_mark)
    budget[0] -= 1
    if budget[0] < 0:  # aliases that expand this far were refused before (_refuse_alias_bomb)
        raise _too_many_values(where)
    if depth > MAX_DEPTH:
        raise SourceError(f"{where}: the YAML nests too deeply (more than {MAX_DEPTH} levels).")
    doc.values.setdefault(path, where)
    if node.tag not in _PLAIN_TAGS:
        raise SourceError(
            f"{where}: the tag '{_describe_tag(node.tag)}' is not allowed; a deck holds only "
            "plain text, numbers, lists and mappings."
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        if any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
            raise SourceError(f"{where}: merge keys ('<<') are not supported; write the keys out.")
        for key_node, value_node in node.value:
            key_where = _loc(doc.file, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                raise SourceError(f"{key_where}: a mapping key must be a plain name.")
            key = _convert(doc, loader, key_node, path, depth + 1, budget)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = str(key)
            if key in result:
                first = doc.keys[path + (key,)]
                raise SourceError(
                    f"{key_where}: {format_path(path + (key,))}: the key '{key}' appears twice "
                    f"in the same mapping (first at line {first.line}); remove one of them."
                )
            doc.keys[path + (key,)] = key_where
            result[key] = _convert(doc, loader, value_node, path + (key,), depth + 1, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(doc, loader, item, path + (i,), depth + 1, budget)
            for i, item in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:
        raise SourceError(f"{where}: cannot read this value: {exc}") from None


def load(path: Path, positions: bool = True) -> Document:
    """Read and parse one YAML file (positions: see `parse`)."""
    name, text = read_text(path)
    return parse(name, text, positions)
