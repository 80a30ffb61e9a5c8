"""What the tests read back from a produced PDF through pypdf: the font dictionaries its pages
use and its document catalogue. pypdf types every dictionary entry as a bare `PdfObject`, so
these are `Any`: the tests index them as the PDF's structure says they may."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf


def fonts(pdf: Path | pypdf.PdfReader) -> list[Any]:
    """Every font dictionary reachable from the pages' resources, forms (XObjects) included,
    each once a resource that names it."""
    reader = pdf if isinstance(pdf, pypdf.PdfReader) else pypdf.PdfReader(pdf)
    seen: set[int] = set()
    return [font for page in reader.pages for font in _fonts(page, seen)]


def base_names(pdf: Path | pypdf.PdfReader) -> set[str]:
    """The fonts' PostScript names without their subset tags (`ABCDEF+Lato-Bold` -> `Lato-Bold`)."""
    return {str(font["/BaseFont"]).split("+")[-1] for font in fonts(pdf)}


def page_fonts(page: pypdf.PageObject) -> Any:
    """The page's own /Font resources: a dictionary of resource names to font references."""
    resources: Any = page["/Resources"]
    return resources["/Font"]


def catalogue(pdf: Path | pypdf.PdfReader) -> Any:
    """The document catalogue (the trailer's /Root): viewer preferences, output intents."""
    reader = pdf if isinstance(pdf, pypdf.PdfReader) else pypdf.PdfReader(pdf)
    return reader.trailer["/Root"]


def _fonts(obj: Any, seen: set[int]) -> list[Any]:
    found: list[Any] = []
    resources = obj.get("/Resources")
    if resources is None:
        return found
    resources = resources.get_object()
    found.extend(font.get_object() for font in (resources.get("/Font") or {}).values())
    for xobj in (resources.get("/XObject") or {}).values():
        ref = xobj.idnum if hasattr(xobj, "idnum") else id(xobj)
        if ref in seen:
            continue
        seen.add(ref)
        found += _fonts(xobj.get_object(), seen)
    return found
