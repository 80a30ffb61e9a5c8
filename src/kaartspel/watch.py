"""`kaartspel watch`: the designer's loop. Watches the deck folder (deck.yaml, design.yaml,
cards, assets, fonts, rules) with `watchfiles`; on every save it validates the deck again and
re-renders the preview PNGs of the cards that changed (every card when the design, deck.yaml,
an asset or a font changed), then the contact sheet, then the card sheets PDF.

A problem (invalid YAML, a card that does not fit) is printed as `check` prints it and watching
goes on; the previews of a card that does not fit show where, in red. Ctrl-C stops after the
work in hand is written (exit 0; outputs are written atomically, so no temporary file stays).
`serve()` shows the previews on a local page (127.0.0.1 only) that reloads when they change.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .build import BuildOptions, Print
from .errors import KaartspelError
from .model import Card

ALL = ("deck.yaml", "design.yaml")  # files whose change redraws every card
ALL_FOLDERS = ("assets", "fonts")  # folders whose change redraws every card


def signature(card: Card) -> str:
    """What a card's faces are drawn from: everything but where it stands in its file."""
    return repr(replace(card, origin=None))  # type: ignore[arg-type]


def affects_all(path: Path, deck_dir: Path, fonts: Iterable[Path]) -> bool:
    """Does a change of `path` redraw every card (design, deck.yaml, assets, fonts)?"""
    try:
        rel = path.resolve().relative_to(deck_dir.resolve())
    except ValueError:
        return True  # a font outside the deck folder
    if rel.as_posix() in ALL or (rel.parts and rel.parts[0] in ALL_FOLDERS):
        return True
    return path.resolve() in {f.resolve() for f in fonts}


@dataclass
class Session:
    """What the previews on disk were drawn from, to redraw only what changed."""

    options: BuildOptions
    out: Callable[[str], None]  # a line on stdout (paths written)
    err: Callable[[str], None]  # a line on stderr (problems, status)
    pr: Print | None = None
    signatures: dict[str, str] = field(default_factory=dict)
    fronts: dict[str, bytes] = field(default_factory=dict)
    backs: dict[str, bytes] = field(default_factory=dict)
    back_of: dict[str, str] = field(default_factory=dict)
    marks: dict[tuple[str, str], list[tuple[str, Any]]] = field(default_factory=dict)
    by_face: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    font_files: list[Path] = field(default_factory=list)
    pages: dict[bytes, Any] = field(default_factory=dict)  # contact sheet pages, drawn once
    version: int = 0  # counts the rounds that wrote previews (the served page reloads on it)
    broken: bool = False  # the last round stopped on an invalid deck

    @property
    def folder(self) -> Path:
        return self.options.out_dir / "preview"

    def round(self, changed: set[Path] | None) -> list[Path]:
        """Bring the previews and the PDF up to date after `changed` (None: everything)."""
        from .filters import no_match, select
        from .load import load_deck
        from .output import prepare_folder, write_all
        from .preview import Rendered, clean, face_files, preview_print, render_faces, sheet_files

        started = time.monotonic()
        opts = self.options
        try:
            deck = load_deck(opts.deck_dir, opts.language)
            cards = select(deck, opts.selection)
            if not cards:
                raise no_match(opts.selection)
            pr = preview_print(opts, deck)
        except KaartspelError as exc:
            self.err(exc.format_message())
            self.broken = True
            return []
        self.font_files = [path for chain in deck.fonts.values() for path, _ in chain]
        everything = (
            changed is None
            or pr != self.pr
            or any(affects_all(p, opts.deck_dir, self.font_files) for p in changed)
        )
        signatures = {c.id: signature(c) for c in cards}
        if everything:
            todo = list(cards)
            self.fronts, self.backs, self.marks, self.by_face = {}, {}, {}, {}
        else:
            todo = [c for c in cards if self.signatures.get(c.id) != signatures[c.id]]
        gone = set(self.signatures) - set(signatures)
        rules_only = not todo and not gone
        if rules_only and not self.broken and changed is not None:
            if any(p.name == "rules.md" for p in changed):  # the booklet is made from it
                return self._pdf(booklet=True)
            return []
        self.broken = False
        written: list[Path] = []
        if todo:
            try:
                rendered = render_faces(deck, todo, pr, [] if everything else list(self.backs))
            except KaartspelError as exc:
                self.err(exc.format_message())
                return []
            for card in todo:
                self.marks.pop((card.id, "front"), None)
                self.by_face.pop((card.id, "front"), None)
            self.fronts.update(rendered.fronts)
            self.backs.update(rendered.backs)
            self.back_of.update(rendered.back_of)
            self.marks.update(rendered.marks)
            self.by_face.update(rendered.by_face)
            prepare_folder(opts.out_dir)
            written += write_all(face_files(self.folder, rendered, todo))
        for card_id in gone:
            self.fronts.pop(card_id, None)
            self.marks.pop((card_id, "front"), None)
            self.by_face.pop((card_id, "front"), None)
        self.signatures, self.pr = signatures, pr
        for path in written:
            self.out(_shown(path))
        took = time.monotonic() - started
        # the contact sheet and preview.json, from the faces in memory
        keys = {self.back_of[c.id] for c in cards}
        problems = [m for c in cards for m in self.by_face.get((c.id, "front"), [])]
        problems += [m for k in sorted(keys) for m in self.by_face.get((k, "back"), [])]
        whole = Rendered(
            fronts=self.fronts,
            backs=self.backs,
            back_of=self.back_of,
            problems=problems,
            marks=self.marks,
            size=(pr.size.width, pr.size.height),
        )
        from .build import output_stem

        stem = output_stem(opts.selection, "overzicht")
        sheet = sheet_files(deck, self.folder, stem, cards, whole, pr.dpi, self.pages)
        sheets = write_all(sheet)
        for path in sheets:
            self.out(_shown(path))
        keep = set(sheets) | set(face_files(self.folder, whole, cards))
        clean(self.folder, keep)
        self.version += 1
        written += sheets
        if problems:
            from .errors import DoesNotFitPreview

            self.err(DoesNotFitPreview(problems).format_message())
        else:
            written += self._pdf()
        self.err(
            f"watch: {len(todo)} of {len(cards)} cards redrawn in {took:.2f} s; "
            + ("waiting for changes" if not problems else "fix them and save")
        )
        return written

    def _pdf(self, booklet: bool = False) -> list[Path]:
        """The card sheets PDF as `build` writes it (not while a card does not fit), and the
        rules booklet when rules.md changed."""
        from .build import build

        try:
            paths = build(replace(self.options, booklet=booklet, dpi=None, bleed=None))
        except KaartspelError as exc:
            self.err(exc.format_message())
            return []
        for path in paths:
            self.out(_shown(path))
        return paths


def _shown(path: Path) -> str:
    from .source import display_path

    return display_path(path)


def _watched(session: Session) -> Callable[[Any, str], bool]:
    """Which changes count: files of the deck, not outputs, temporary or hidden files."""
    from watchfiles import DefaultFilter

    default = DefaultFilter()
    out = session.options.out_dir.resolve()

    def keep(change: Any, path: str) -> bool:
        p = Path(path)
        if p.name.startswith(".") or p.name.endswith(("~", ".tmp", ".swp")):
            return False
        with contextlib.suppress(OSError):
            if p.resolve().is_relative_to(out):
                return False
        return bool(default(change, path))

    return keep


def watch(session: Session, serve_port: int | None = None) -> None:
    """Run rounds until Ctrl-C (or SIGTERM): the first draws everything, then one per save."""
    from watchfiles import watch as changes

    gc.enable()  # off for one-shot commands (`kaartspel.run`); rounds go on for hours here
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    server = None
    try:
        first = True
        # watching starts before the first round, so a save during it is not missed
        for batch in changes(
            session.options.deck_dir,  # the deck's fonts lie inside it
            watch_filter=_watched(session),
            stop_event=stop,
            debounce=50,
            step=20,
            rust_timeout=200,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            if stop.is_set():
                break
            try:
                if first:
                    first = False
                    session.round(None)
                    if serve_port is not None:
                        server = serve(session, serve_port)
                if batch:
                    session.round({Path(path) for _, path in batch})
            except KaartspelError as exc:  # e.g. an output that cannot be written: say so, go on
                session.err(exc.format_message())
    finally:
        if server is not None:
            server.shutdown()
        for s, handler in old.items():
            signal.signal(s, handler)


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: sans-serif; background: #e9e9ec; margin: 16px; }}
main {{ display: flex; flex-wrap: wrap; gap: 16px; }}
figure {{ margin: 0; text-align: center; }}
img {{ width: 180px; display: block; box-shadow: 0 1px 3px #0003; }}
pre {{ color: #b00; white-space: pre-wrap; }}
</style></head><body>
<pre>{problems}</pre>
<main>{figures}</main>
<script>
const seen = "{version}";
setInterval(async () => {{
  try {{
    const now = await (await fetch("version", {{cache: "no-store"}})).text();
    if (now !== seen) location.reload();
  }} catch (e) {{}}
}}, 700);
</script></body></html>
"""


def page(session: Session) -> bytes:
    """The served page: every preview of the last round, its problems, a reload script."""
    from html import escape

    figures = []
    for key in session.signatures:
        for side in ("front", "back"):
            name = f"{key}-{side}.png"
            figures.append(
                f'<figure><img src="{escape(name)}?v={session.version}" alt="{escape(name)}">'
                f"<figcaption>{escape(key)}</figcaption></figure>"
            )
    problems = "\n".join(m for ms in session.by_face.values() for m in ms)
    return PAGE.format(
        title=escape(session.options.deck_dir.name),
        problems=escape(problems),
        figures="\n".join(figures),
        version=session.version,
    ).encode()


def serve(session: Session, port: int) -> Any:
    """Serve the previews on http://127.0.0.1:PORT/ (never on other interfaces)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    folder = session.folder

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            name = self.path.split("?", 1)[0].lstrip("/")
            if name in ("", "index.html"):
                self._send(page(session), "text/html; charset=utf-8")
            elif name == "version":
                self._send(str(session.version).encode(), "text/plain")
            elif "/" not in name and name.endswith(".png") and (folder / name).is_file():
                self._send((folder / name).read_bytes(), "image/png")
            else:
                self.send_error(404)

        def _send(self, data: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    session.err(f"watch: previews on http://127.0.0.1:{server.server_address[1]}/")
    return server
