"""Read one YAML file safely into plain Python values plus the position of every node.

This module knows YAML and files, nothing about decks. It refuses what PyYAML would
silently accept: repeated keys, tags other than the plain YAML ones, documents that expand
through aliases into huge trees, very deep nesting, files that are not UTF-8 or too big.
Every refusal is a located message `file:line:col: ...`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_VALUES = 200_000  # values after alias expansion: stops alias bombs quickly
MAX_DEPTH = 40

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
_TAG_SHORT = re.compile(r"^tag:yaml\.org,2002:")


def display_path(path: Path) -> str:
    """A path as the user should read it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
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


@dataclass(frozen=True)
class Location:
    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class Document:
    """The values of one YAML file and where each node and each mapping key sits."""

    file: str
    data: Any
    values: dict[Path_, Location] = field(default_factory=dict)
    keys: dict[Path_, Location] = field(default_factory=dict)

    def at(self, path: Path_, key: bool = False) -> Location:
        """Location of the node at `path` (or of its key), falling back to the nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Location(self.file, 1, 1))

    def problem(self, path: Path_, message: str, key: bool = False) -> str:
        where = self.at(path, key)
        prefix = f"{format_path(path)}: " if path else ""
        return f"{where}: {prefix}{message}"


class SourceError(Exception):
    """Raised with a located message when a file cannot be read as safe YAML."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _loc(file: str, mark: yaml.Mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _describe_tag(tag: str) -> str:
    return _TAG_SHORT.sub("!!", tag)


def read_text(path: Path) -> tuple[str, str]:
    """Read a file as UTF-8 text; returns (display name, text)."""
    name = display_path(path)
    try:
        size = path.stat().st_size
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
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SourceError(
            f"{name}:{line}:{col}: the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}). "
            "Save it as UTF-8 in your editor."
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return name, text


def _check_tabs(name: str, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            col = line.index("\t") + 1
            raise SourceError(
                f"{name}:{number}:{col}: a tab is used for indentation; YAML needs spaces. "
                "Replace the tab with spaces."
            )


def parse(name: str, text: str) -> Document:
    """Parse YAML text into a Document; raises SourceError with a located message."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise SourceError(f"{name}:1:1: the file is empty; it should hold a YAML mapping.")
    _check_tabs(name, text)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _loc(name, mark) if mark else Location(name, 1, 1)
        problem = (exc.problem or "malformed YAML").strip()
        context = f" ({exc.context})" if exc.context else ""
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
    if node is None:
        raise SourceError(f"{name}:1:1: the file is empty; it should hold a YAML mapping.")
    doc = Document(name, None)
    budget = [MAX_VALUES]
    doc.data = _convert(doc, loader, node, (), 0, budget)
    return doc


def _convert(
    doc: Document,
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: Path_,
    depth: int,
    budget: list[int],
) -> Any:
    where = _loc(doc.file, node.start_mark)
    budget[0] -= 1
    if budget[0] < 0:
        raise SourceError(
            f"{where}: the document expands to more than {MAX_VALUES} values through aliases "
            "(*name); this looks like an alias bomb and is refused."
        )
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


def load(path: Path) -> Document:
    """Read and parse one YAML file."""
    name, text = read_text(path)
    return parse(name, text)
