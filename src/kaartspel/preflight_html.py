"""The preflight report as one self-contained HTML page: a summary table on top (per check:
faces checked, ok, warnings, errors), then one row per face with what was measured, then
every warning and error in words. Classes and data attributes name each cell, so the report
can be read by a program too."""

from __future__ import annotations

from html import escape

from .preflight import CHECKS, CONTRAST, IMAGE_DPI, QR_MODULE_MM, QR_QUIET, TEXT_PT, Report

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1a1a1e}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f0f3}
.ok{background:#e9f7ec}.warning{background:#fff4d6}.error{background:#fbe0e0}
caption{text-align:left;font-weight:bold;margin-bottom:.3em}
"""


def render(report: Report) -> str:
    esc = escape
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Preflight: {esc(report.deck)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Preflight: {esc(report.deck)}</h1>",
        f"<p>Card size {esc(report.card_size)}; {len(report.rows)} faces; fonts: "
        f"{esc(', '.join(sorted(set(report.fonts.values()))))}. Limits: text at least "
        f"{TEXT_PT[0]:g} pt; contrast at least {CONTRAST[0]}:1 (error below {CONTRAST[1]}:1); "
        f"QR modules at least {QR_MODULE_MM[0]} mm with a quiet zone of {QR_QUIET[0]} "
        f"modules; images {IMAGE_DPI[0]} dpi (error below {IMAGE_DPI[1]}); total ink at most "
        f"{report.ink_limit:.0f} %.</p>",
        '<table id="summary"><caption>Summary</caption>',
        "<tr><th>check</th><th>faces</th><th>ok</th><th>warnings</th><th>errors</th></tr>",
    ]
    for check, label in CHECKS:
        counts = [report.count(check, level) for level in ("ok", "warning", "error")]
        worst = "error" if counts[2] else "warning" if counts[1] else "ok"
        out.append(
            f'<tr data-check="{check}" class="{worst}"><td>{esc(label)}</td>'
            f"<td>{sum(counts)}</td>"
            + "".join(
                f'<td data-level="{lv}">{n}</td>'
                for lv, n in zip(("ok", "warning", "error"), counts, strict=True)
            )
            + "</tr>"
        )
    out.append("</table>")
    out.append('<table id="faces"><caption>Per face</caption><tr><th>face</th><th>title</th>')
    out += [f"<th>{esc(label)}</th>" for _, label in CHECKS]
    out.append("</tr>")
    for row in report.rows:
        out.append(
            f'<tr data-face="{esc(row.key)}" data-side="{row.side}" class="{row.level}">'
            f"<td>{esc(row.key)} ({row.side})</td><td>{esc(row.title)}</td>"
        )
        for check, _ in CHECKS:
            found = row.checks.get(check)
            if found is None:
                out.append(f'<td data-check="{check}"></td>')
            else:
                out.append(
                    f'<td data-check="{check}" class="{found.level}"{_element(found.element)}>'
                    f"{esc(found.value)}</td>"
                )
        out.append("</tr>")
    out.append("</table>")
    problems = report.problems
    out.append(f'<h2>Warnings and errors ({len(problems)})</h2><ul id="problems">')
    for check, row, found in problems:
        where = f"{row.where}: " if row.where else ""
        out.append(
            f'<li class="{found.level}" data-face="{esc(row.key)}" data-check="{check}"'
            f"{_element(found.element)}>"
            f"{esc(found.level)}: {esc(where)}{esc(row.key)} ({row.side}): "
            f"{esc(found.message)}</li>"
        )
    out.append("</ul></body></html>")
    return "\n".join(out) + "\n"


def _element(name: str) -> str:
    """The data attribute naming the design element a finding is about (none when none)."""
    return f' data-element="{escape(name)}"' if name else ""
