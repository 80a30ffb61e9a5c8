"""PDF/X-1a:2001 for print shops: what reportlab cannot write, set afterwards with pikepdf.

The painted file is already CMYK only, without transparency, with every font embedded as a
subset and TrimBox/BleedBox on every page (`paint` with cmyk, printshop layout). This module
adds the PDF/X identification (/GTS_PDFXVersion, /GTS_PDFXConformance, /Trapped in the
document info), the output intent naming the shop's registered print condition (color.org
registry; no DestOutputProfile is embedded: PDF/X-1a:2001 allows the registered identifier
alone, and no freely licensed FOGRA39 or CGATS21 profile ships with kaartspel), removes link
annotations (PDF/X forbids annotations inside the bleed box), writes PDF 1.3 without object
streams, and checks the result (`problems`).
"""

from __future__ import annotations

import io
import re

from .errors import BadFilter

REGISTRY = "http://www.color.org"
CONDITIONS = {  # registered identifier -> a short description of the print condition
    "FOGRA39": "Coated FOGRA39 (ISO 12647-2:2004), commercial offset, coated paper",
    "CGATS21_CRPC6": "CGATS 21-2 CRPC6, premium coated paper (ANSI CGATS.21-2)",
    "CGATS21_CRPC5": "CGATS 21-2 CRPC5, coated paper (ANSI CGATS.21-2)",
}
VERSIONS = {"X-1a": ("PDF/X-1:2001", "PDF/X-1a:2001", "1.3")}
COLOUR_OPERATORS_RGB = re.compile(rb"(?:^|[\s\]])(?:rg|RG)(?=\s|$)")


def make(pdf: bytes, version: str, condition: str) -> bytes:
    """`pdf` (CMYK, page boxes set) as PDF/X `version` for the print `condition`."""
    import pikepdf

    if version not in VERSIONS:
        raise BadFilter(
            f"--pdfx: PDF/{version} is not supported (supported: "
            f"{', '.join('PDF/' + v for v in VERSIONS)}); PDF/X-4 needs an ICC output profile."
        )
    if condition not in CONDITIONS:
        raise BadFilter(
            f"--pdfx: '{condition}' is not a known print condition (known: {', '.join(CONDITIONS)})"
        )
    gts_version, conformance, pdf_version = VERSIONS[version]
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        info = doc.docinfo
        info[pikepdf.Name.GTS_PDFXVersion] = pikepdf.String(gts_version)
        info[pikepdf.Name.GTS_PDFXConformance] = pikepdf.String(conformance)
        info[pikepdf.Name.Trapped] = pikepdf.Name("/False")
        if pikepdf.Name.ModDate not in info and pikepdf.Name.CreationDate in info:
            info[pikepdf.Name.ModDate] = info[pikepdf.Name.CreationDate]
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(condition),
            OutputCondition=pikepdf.String(CONDITIONS[condition]),
            RegistryName=pikepdf.String(REGISTRY),
            Info=pikepdf.String(CONDITIONS[condition]),
        )
        doc.Root.OutputIntents = pikepdf.Array([doc.make_indirect(intent)])
        for page in doc.pages:
            if pikepdf.Name.Annots in page.obj:
                del page.obj[pikepdf.Name.Annots]
        out = io.BytesIO()
        doc.save(
            out,
            force_version=pdf_version,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            deterministic_id=True,
        )
    return out.getvalue()


def problems(pdf: bytes) -> list[str]:
    """What keeps `pdf` from being PDF/X-1a:2001, as plain sentences (empty when none)."""
    import pikepdf

    found: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        info = doc.docinfo
        for key in ("/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Trapped", "/Title"):
            if key not in info:
                found.append(f"the document info has no {key}")
        if info.get("/Trapped") not in (pikepdf.Name("/True"), pikepdf.Name("/False")):
            found.append("/Trapped is neither /True nor /False")
        intents = doc.Root.get("/OutputIntents")
        if not intents or intents[0].get("/S") != pikepdf.Name.GTS_PDFX:
            found.append("no /OutputIntents entry with /S /GTS_PDFX")
        elif "/OutputConditionIdentifier" not in intents[0]:
            found.append("the output intent names no /OutputConditionIdentifier")
        if "/ID" not in doc.trailer:
            found.append("the trailer has no /ID")
        for number, page in enumerate(doc.pages, 1):
            if "/TrimBox" not in page.obj or "/BleedBox" not in page.obj:
                found.append(f"page {number} has no TrimBox or BleedBox")
            if "/Annots" in page.obj:
                found.append(f"page {number} has annotations")
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Stream):
                kind = obj.get("/Subtype")
                if kind == pikepdf.Name.Image:
                    space = str(obj.get("/ColorSpace", ""))
                    if "RGB" in space or "ICC" in space or "/SMask" in obj:
                        found.append(f"an image in {space or 'no colour space'} or with a mask")
                elif kind in (None, pikepdf.Name.Form) and "/Length" in obj:
                    try:
                        data = obj.read_bytes()
                    except pikepdf.PdfError:
                        continue
                    if COLOUR_OPERATORS_RGB.search(data):
                        found.append("a content stream sets an RGB colour (rg/RG)")
                if kind == pikepdf.Name.Form and obj.get("/Group") is not None:
                    found.append("a form XObject has a transparency group")
            elif isinstance(obj, pikepdf.Dictionary):
                if obj.get("/Type") == pikepdf.Name.Font and obj.get("/Subtype") in (
                    pikepdf.Name.TrueType,
                    pikepdf.Name.Type1,
                ):
                    descriptor = obj.get("/FontDescriptor")
                    embedded = descriptor is not None and any(
                        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    )
                    if not embedded:
                        found.append(f"the font {obj.get('/BaseFont')} is not embedded")
                for key in ("/CA", "/ca"):
                    if key in obj and float(obj[key]) < 1:
                        found.append("a graphics state sets transparency")
                if "/SMask" in obj and obj.get("/SMask") != pikepdf.Name("/None"):
                    found.append("a soft mask (transparency)")
                if "/ColorSpace" in obj:
                    spaces = obj.get("/ColorSpace")
                    if isinstance(spaces, pikepdf.Dictionary):
                        for named in spaces.values():
                            if "RGB" in str(named) or "ICCBased" in str(named):
                                found.append("a colour space other than CMYK or grey")
    return sorted(set(found))
