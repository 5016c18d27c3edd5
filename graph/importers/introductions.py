"""The formula sentences that open a document: consolidation ("Herved bekendtgøres …") and hjemmel.

* An LBK's introduction names what it compiles: "Herved bekendtgøres lov om social service, jf.
  lovbekendtgørelse nr. 1053 af 8. september 2015, med de ændringer, der følger af § 1 i lov nr.
  1576 af 15. december 2015 og lov nr. 1894 af 29. december 2015." Every document named in
  that sentence is consolidated. Later sentences ("Den ændring, der følger af … er ikke
  indarbejdet …") name acts that are *not*, and are not read.
* An executive order's hjemmel: "I medfør af § 79 a, stk. 4, og § 192 a, stk. 3, i lov om social
  service, jf. lovbekendtgørelse nr. 1284 af 17. november 2015, fastsættes:" — each list of places
  with the law (and version) after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.identifiers import Step
from graph.importers.references import DocRef, document_refs, path_lists
from graph.importers.text import plain

__all__ = ["consolidated_documents", "hjemmel", "Hjemmel", "sentences"]

_SENTENCE_END = re.compile(r"(?<=[.:])\s+(?=[A-ZÆØÅ])")
_HJEMMEL_START = re.compile(r"\bi\s+medfør\s+af\b", re.IGNORECASE)
_HJEMMEL_END = re.compile(r",?\s*(?:fastsættes|bestemmes|udfærdiges|ændres|foreskrives)\b", re.IGNORECASE)
_LAW_BEFORE = re.compile(r"(?P<name>[\w-]+lov(?:en)?)s\s*$", re.IGNORECASE)  # "servicelovens § 83"
_JF_DOCUMENT = re.compile(r",?\s*jf\.\s*((?:lovbekendtgørelse|bekendtgørelse|lov)\s+nr\.\s*\d+\s+af\s+\d{1,2}\.\s*\w+\s+\d{4})",
                          re.IGNORECASE)
_LAW_AFTER = re.compile(r"\s*,?\s*i\s+(?P<law>.+?)(?=,?\s*jf\.|,\s*(?:og|samt)\s|\s+og\s+(?:§|stk\.|kapitel)|,\s*§|$)",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Hjemmel:
    """Empowering places in one law: the law as named, the versions cited, the places."""

    name: str | None
    documents: tuple[DocRef, ...]
    places: tuple[tuple[Step, ...], ...]


def sentences(texts: list[str]) -> list[str]:
    """The sentences of introduction texts (a date's "8. september" does not end a sentence)."""
    return [s for text in texts for s in _SENTENCE_END.split(plain(text)) if s]


def consolidated_documents(intro: list[str]) -> list[DocRef]:
    """The documents an LBK's "Herved bekendtgøres …" sentence names, in order, once each."""
    found: dict[tuple[int, str], DocRef] = {}
    for sentence in sentences(intro):
        if re.search(r"\bbekendtgøres\b", sentence, re.IGNORECASE):
            for ref in document_refs(sentence):
                found.setdefault((ref.date.year, ref.number), ref)
    return list(found.values())


def hjemmel(intro: list[str]) -> list[Hjemmel]:
    """The empowering provisions an order's "I medfør af …" sentence names."""
    out: list[Hjemmel] = []
    for sentence in sentences(intro):
        start = _HJEMMEL_START.search(sentence)
        if start is None:
            continue
        end = _HJEMMEL_END.search(sentence, start.end())
        body = sentence[start.end(): end.start() if end else len(sentence)]
        pending: list[tuple[Step, ...]] = []
        for found in path_lists(body):
            pending.extend(found.places)
            law = _LAW_AFTER.match(body, found.end)
            before = _LAW_BEFORE.search(body, 0, found.start)
            if law is None and before is None:
                continue  # the law follows a later list: "§ 3 og § 4 i lov om …"
            named = law.group("law").strip() if law else before.group("name")  # type: ignore[union-attr]
            refs = document_refs(named)
            if refs and refs[0].start == 0:  # "i lov nr. 550 af 5. juni 2012 om frikommuner"
                out.append(Hjemmel(None, (refs[0],), tuple(pending)))
            else:
                version = _JF_DOCUMENT.match(body, law.end()) if law else None
                out.append(Hjemmel(named, tuple(document_refs(version.group(1))) if version else (), tuple(pending)))
            pending = []
    return out
