"""Which format a file is in, from its first bytes: LexDania XML, Retsinformation HTML or API JSON.

Files from Retsinformation start with a UTF-8 byte order mark, sometimes blank lines; both are
skipped. Detection reads only the beginning, so a mislabelled file extension does not matter.
"""

from __future__ import annotations

import re

from graph.importers.model import ImportFailure, ParsedDocument, Source

__all__ = ["detect_format", "parse_document", "FORMATS"]

FORMATS = ("lexdania", "retsinfo-html", "retsinfo-json")
_XML_ROOT = re.compile(rb"^(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!DOCTYPE\s+)?Dokument\b", re.DOTALL)
_HTML = re.compile(rb"<(?:!doctype\s+html|html\b|body\b|div\b|p\s+class=)", re.IGNORECASE)


def detect_format(data: bytes, name: str) -> str:
    """``"lexdania"``, ``"retsinfo-html"`` or ``"retsinfo-json"``; ImportFailure for anything else."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith((b"[", b"{")):
        return "retsinfo-json"
    if _XML_ROOT.match(head):
        return "lexdania"
    if _HTML.search(head[:2048]):
        return "retsinfo-html"
    if head.startswith(b"<"):
        return "lexdania"  # some other XML: the LexDania reader says what is wrong with it
    raise ImportFailure(name, "ukendt format: hverken LexDania-XML, Retsinformation-HTML eller JSON fra API'et",
                        "importér …/eli/lta/ÅR/NR/xml, en gemt dokumentside eller …/api/document/eli/lta/ÅR/NR",
                        "unknown format: neither LexDania XML, Retsinformation HTML nor API JSON",
                        "import …/eli/lta/YEAR/NR/xml, a saved document page or …/api/document/eli/lta/YEAR/NR")


def parse_document(data: bytes, source: Source) -> ParsedDocument:
    """Detect the format and read the document with the matching reader."""
    fmt = detect_format(data, source.name)
    source = Source(source.iri, source.name, fmt)
    if fmt == "lexdania":
        from graph.importers.lexdania import parse_lexdania

        return parse_lexdania(data, source)
    if fmt == "retsinfo-json":
        from graph.importers.retsinfo_json import parse_retsinfo_json

        return parse_retsinfo_json(data, source)
    from graph.importers.retsinfo_html import parse_retsinfo_html

    return parse_retsinfo_html(data, source)
