"""Retsinformation's JSON document API (``…/api/document/eli/lta/{year}/{nr}``) → ParsedDocument.

The answer is a JSON array whose first element describes the document: ``title``,
``shortName`` ("LBK nr 1238 af 09/11/2015"), ``popularTitle`` (may be absent), ``ressort``
(the ministry), ``isHistorical``, ``metadata`` (a list of ``displayName``/``displayValue``
pairs; the first value is the publication date) and ``documentHtml`` — the text, with the same
class names as the saved page, read by graph.importers.retsinfo_html.
"""

from __future__ import annotations

import json
import re

from graph.importers.model import DOCUMENT_TYPES, DocumentMeta, ImportFailure, ParsedDocument, Source
from graph.importers.retsinfo_html import html_body, html_root, short_name
from graph.importers.text import parse_iso_date, plain

__all__ = ["parse_retsinfo_json"]

_ELI_PATH = re.compile(r"/eli/lta/(\d{4})/(\d+)")


def _fail(where: str, reason: str, reason_en: str) -> ImportFailure:
    return ImportFailure(where, reason, "hent dokumentet fra …/api/document/eli/lta/ÅR/NR", reason_en,
                         "fetch the document from …/api/document/eli/lta/YEAR/NR")


def _record(data: bytes | str, where: str) -> dict:
    try:
        value = json.loads(data.removeprefix(b"\xef\xbb\xbf") if isinstance(data, bytes) else data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line, column = (error.lineno, error.colno) if isinstance(error, json.JSONDecodeError) else (0, 0)
        raise ImportFailure(f"{where}:{line}:{column}", f"ugyldig JSON: {error}", "hent svaret igen",
                            f"invalid JSON: {error}", "fetch the answer again") from None
    except RecursionError:
        raise ImportFailure(where, "JSON'en er indlejret for dybt til at være et svar fra Retsinformation",
                            "hent svaret igen", "the JSON is nested too deeply to be an answer from Retsinformation",
                            "fetch the answer again") from None
    record = value[0] if isinstance(value, list) and value else value
    if not isinstance(record, dict) or not isinstance(record.get("documentHtml"), str):
        raise _fail(where, "JSON-svaret har intet dokument med »documentHtml«",
                    "the JSON answer holds no document with 'documentHtml'")
    return record


def _metadata_value(record: dict, *names: str) -> str | None:
    for item in record.get("metadata") or []:
        if isinstance(item, dict) and any(n in str(item.get("displayName", "")).lower() for n in names):
            return str(item.get("displayValue") or "")
    return None


def _identity(record: dict, where: str) -> tuple[str, int, str, object]:
    """Type, year, number and signing date, from shortName (and an ELI link when given)."""
    parsed = short_name(str(record.get("shortName") or ""))
    if parsed is None or parsed[0] not in DOCUMENT_TYPES:
        raise _fail(where, f"kortnavnet {record.get('shortName')!r} kan ikke læses (forventede »LBK nr 1238 af 09/11/2015«)",
                    f"the short name {record.get('shortName')!r} cannot be read (expected 'LBK nr 1238 af 09/11/2015')")
    doc_type, number, date = parsed
    year = date.year if date else None  # type: ignore[union-attr]
    for key in ("eli", "eliUri", "eliLink", "retsinfoLink", "documentUrl"):
        match = _ELI_PATH.search(str(record.get(key) or ""))
        if match:
            year, number = int(match.group(1)), match.group(2).lstrip("0")
            break
    if year is None:
        raise _fail(where, "dokumentets år kan ikke bestemmes", "the document's year cannot be determined")
    return doc_type, year, number, date


def parse_retsinfo_json(data: bytes | str, source: Source) -> ParsedDocument:
    """Read one answer of the JSON document API."""
    record = _record(data, source.name)
    doc_type, year, number, date = _identity(record, source.name)
    warnings: list[str] = []
    title, intro, units = html_body(html_root(record["documentHtml"], source.name), warnings)
    published = _metadata_value(record, "offentlig") or next(
        (str(i.get("displayValue")) for i in record.get("metadata") or [] if isinstance(i, dict)), None)
    popular = plain(str(record.get("popularTitle") or "")) or None
    meta = DocumentMeta(
        doc_type=doc_type, year=year, number=number, title=plain(str(record.get("title") or "")) or title,
        popular_title=popular, date_signed=date, date_published=parse_iso_date(published),  # type: ignore[arg-type]
        ministry=plain(str(record.get("ressort") or "")) or None,
        status=None if record.get("isHistorical") is None else ("Historic" if record.get("isHistorical") else "Valid"),
        accession_number=plain(str(record.get("accessionsnummer") or record.get("accessionNumber") or "")) or None,
    )
    if not units:
        raise _fail(source.name, "»documentHtml« indeholder ingen paragraffer (p.Paragraf)",
                    "'documentHtml' contains no sections (p.Paragraf)")
    return ParsedDocument(meta, source, intro, units, warnings)
