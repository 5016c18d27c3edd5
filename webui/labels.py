"""Plain values from RDF terms, and human labels for IRIs in the reader's language."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, _is_valid_uri

from graph.namespaces import PREFIXES
from webui.i18n import MESSAGES, format_date, translate

if TYPE_CHECKING:
    from graph.store.base import QueryResult, Store

PREFIX_BLOCK = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items()) + (
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
)
# Which property names a thing, best first; a provision's citation beats any label.
LABEL_PROPERTIES = ("rg:citation", "skos:prefLabel", "rdfs:label", "rg:popularName", "eli:title_short", "eli:title", "rg:billNumber")
# A published document is named by its designation ("LBK nr. 1287 af 28. august 2020").
DESIGNATION_PROPERTIES = ("eli:type_document", "eli:number", "eli:date_document")
# Enough for one page of results; more IRIs than this get their fallback label.
MAX_LABELLED = 2000


def plain(term: Identifier | None) -> str | None:
    """An IRI or literal as the text a reader (or a JSON client) sees."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def as_date(term: Identifier | None) -> dt.date | None:
    """An xsd:date literal (or its lexical form) as a date; None when it is not one."""
    if term is None:
        return None
    try:
        return dt.date.fromisoformat(str(term)[:10])
    except ValueError:
        return None


def pick_lang(literals: Iterable[Identifier], lang: str) -> str | None:
    """The literal in the reader's language, else Danish, else untagged, else any."""
    by_lang: dict[str, str] = {}
    for literal in literals:
        if isinstance(literal, Literal):
            by_lang.setdefault(literal.language or "", str(literal))
    for wanted in (lang, "da", ""):
        if wanted in by_lang:
            return by_lang[wanted]
    return next(iter(by_lang.values()), None)


def fallback_label(iri: str, lang: str) -> str:
    """A readable name for an IRI nobody labelled: a known code, else its last path segment."""
    code = _code_key(iri)
    if code and code in MESSAGES[lang]:
        return MESSAGES[lang][code]
    tail = iri.rstrip("/#").rsplit("#", 1)[-1]
    return tail.rsplit("/", 1)[-1] or iri


def _code_key(iri: str) -> str | None:
    """``code.area.aeldre`` for ``https://regelgraf.dk/def/area/aeldre`` (the i18n key of a code)."""
    base = PREFIXES["rg"].removesuffix("#") + "/"
    if not iri.startswith(base):
        return None
    parts = iri[len(base):].split("/")
    return f"code.{parts[0]}.{parts[1]}" if len(parts) == 2 else None


def labels(store: Store, iris: Iterable[Identifier | str], lang: str) -> dict[str, str]:
    """Labels for many IRIs in one query; every IRI asked for gets an entry."""
    wanted = []
    for iri in dict.fromkeys(str(i) for i in iris if i is not None and not isinstance(i, (Literal, BNode))):
        # Only well-formed IRIs go into VALUES; they come from the store, never from the reader.
        if _is_valid_uri(iri) and len(wanted) < MAX_LABELLED:
            wanted.append(iri)
    found: dict[str, dict[str, list[Identifier]]] = defaultdict(lambda: defaultdict(list))
    if wanted:
        values = " ".join(URIRef(i).n3() for i in wanted)
        ranked = " ".join(f"({p} {n})" for n, p in enumerate(LABEL_PROPERTIES + DESIGNATION_PROPERTIES))
        # Both ends bound by VALUES, so each lookup is a direct index hit, not a scan of all labels.
        result = store.query(PREFIX_BLOCK + f"SELECT ?s ?rank ?label WHERE {{ VALUES ?s {{ {values} }} VALUES (?p ?rank) {{ {ranked} }} ?s ?p ?label }}")
        for subject, rank, label in result.rows:
            found[str(subject)][str(rank)].append(label)
    out: dict[str, str] = {}
    first_designation = len(LABEL_PROPERTIES)
    for iri in (str(i) for i in iris if i is not None):
        ranks = found.get(iri, {})
        chosen = _designation(ranks, lang, first_designation) or next(
            (text for rank in sorted(ranks, key=int) if int(rank) < first_designation
             and (text := pick_lang(ranks[rank], lang))), None)
        if chosen is None and _code_key(iri) and _code_key(iri) in MESSAGES[lang]:
            chosen = MESSAGES[lang][_code_key(iri)]  # type: ignore[index]
        out[iri] = chosen or fallback_label(iri, lang)
    return out


def _designation(ranks: Mapping[str, list[Identifier]], lang: str, first: int) -> str | None:
    """``LBK nr. 1287 af 28. august 2020 – serviceloven`` for a document with type, number and date."""
    parts = [ranks.get(str(first + i)) for i in range(len(DESIGNATION_PROPERTIES))]
    if not all(parts):
        return None
    doctype, number, date = (p[0] for p in parts)  # type: ignore[index]
    designation = translate(lang, "document.designation", type=str(doctype).rsplit("/", 1)[-1],
                            number=str(number), date=format_date(str(date), lang))
    short = pick_lang(ranks.get(str(LABEL_PROPERTIES.index("eli:title_short")), []) +
                      ranks.get(str(LABEL_PROPERTIES.index("rg:popularName")), []), lang)
    return f"{designation} – {short}" if short else designation


def linked(store: Store, iris: Iterable[Identifier | str], lang: str) -> list[dict[str, str]]:
    """``[{"iri": …, "label": …}]`` for links, in the order given, without repeats."""
    unique = list(dict.fromkeys(str(i) for i in iris if i is not None))
    names = labels(store, unique, lang)
    return [{"iri": iri, "label": names[iri]} for iri in unique]


def rows_as_dicts(result: QueryResult) -> list[dict[str, Identifier | None]]:
    """The rows of a QueryResult as dicts keyed by column (unbound columns map to None)."""
    return [dict(zip(result.columns, row)) for row in result.rows]


def group_values(rows: Iterable[Mapping[str, Identifier | None]], key: str, value: str) -> dict[str, list[Identifier]]:
    """Collect ``value`` per ``key`` from rows, dropping unbound values and repeats."""
    grouped: dict[str, list[Identifier]] = defaultdict(list)
    for row in rows:
        if row.get(key) is not None and row.get(value) is not None and row[value] not in grouped[str(row[key])]:
            grouped[str(row[key])].append(row[value])  # type: ignore[arg-type]
    return grouped
