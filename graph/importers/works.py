"""Which law work a document belongs to, and the name its provisions are cited by.

The rules (docs/import.md states them for users):

1. A document with a popular title belongs to the work keyed by that title, normalised:
   lower-case, æ/ø/å written ae/oe/aa, anything else between words a hyphen
   ("Serviceloven" → ``serviceloven``, "SU-loven" → ``su-loven``) — the keys of data/laws/.
2. An act (LOV) without a popular title is its own work, ``lov-{year}-{nr}``.
3. A consolidated act (LBK) without a popular title belongs to the work of the act it
   consolidates: the act it names ("Herved bekendtgøres lov nr. 550 af …"), else a known work
   with the same law title (from the documents imported together and the store), else a name
   in the title ("… (momsloven)", "Bekendtgørelse af konkurrenceloven"), else the title itself
   (``lov-om-finansiel-virksomhed``).
4. Other documents (BEK, CIR, VEJ …) without a popular title: ``bek-{year}-{nr}`` and so on.

Every document of one work must cite its provisions by the same name, so the name is chosen
once per work in the index: the store's name if the work is already there, else the popular
title of the newest document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.importers.model import DocumentMeta
from graph.importers.references import document_refs
from graph.importers.text import MONTHS, plain

__all__ = ["WorkIndex", "DocumentKey", "slug", "display_name", "law_title", "name_in_title", "act_name"]

_TYPE_WORDS = {"LOV": "lov", "LBK": "lovbekendtgørelse", "BEK": "bekendtgørelse", "ANO": "anordning",
               "CIR": "cirkulære", "CIS": "cirkulæreskrivelse", "VEJ": "vejledning", "SKR": "skrivelse"}


def slug(text: str) -> str:
    """``Serviceloven`` → ``serviceloven``; ``Lov om anlæg af …`` → ``lov-om-anlaeg-af-…``."""
    text = plain(text).casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def display_name(popular: str) -> str:
    """The name used in running text: ``Serviceloven`` → ``serviceloven``, ``SU-Loven`` → ``SU-loven``."""
    name = re.sub(r"-Loven\b", "-loven", plain(popular))
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        name = name[0].lower() + name[1:]
    return name


def law_title(title: str) -> str:
    """The law a title names: "Bekendtgørelse af lov om social service" → "lov om social service"."""
    title = plain(title)
    title = re.sub(r"^bekendtgørelse af\s+", "", title, flags=re.IGNORECASE)
    return title[:1].lower() + title[1:] if title else title


def name_in_title(title: str) -> str | None:
    """A popular name printed in a title: "(momsloven)", or a title that is one word ("konkurrenceloven")."""
    law = law_title(title)
    parenthetical = re.search(r"\(([a-zæøåA-ZÆØÅ-]+lov(?:en)?)\)\s*$", law)
    if parenthetical:
        return display_name(parenthetical.group(1))
    if re.fullmatch(r"[a-zæøå-]+loven", law):
        return law
    return None


def act_name(doc_type: str, number: str, day) -> str:  # type: ignore[no-untyped-def]
    """``lov nr. 550 af 5. juni 2012`` (the authoring compiler's form for acts without a name)."""
    word = _TYPE_WORDS.get(doc_type, doc_type.lower())
    return f"{word} nr. {number} af {day.day}. {MONTHS[day.month - 1]} {day.year}" if day else f"{word} nr. {number}"


@dataclass(frozen=True)
class DocumentKey:
    """What the index knows of one document: its type, title, popular title and date."""

    doc_type: str
    year: int
    number: str
    title: str
    popular_title: str | None
    date: object  # datetime.date | None
    intro: tuple[str, ...] = ()


@dataclass
class WorkIndex:
    """Works known from the documents of one import and from the store: keys, names, titles."""

    names: dict[str, str] = field(default_factory=dict)  # work key → citation name
    titles: dict[str, str] = field(default_factory=dict)  # law title (casefolded) → work key
    documents: dict[tuple[int, str], str] = field(default_factory=dict)  # (year, nr) → work key
    lookup_names: dict[str, str] = field(default_factory=dict)  # any name (casefolded) → work key
    fixed: set[str] = field(default_factory=set)  # keys whose name comes from the store

    # -- building ---------------------------------------------------------------------------

    def add_store_work(self, key: str, names: Iterable[str], titles: Iterable[str], documents: Iterable[tuple[int, str]]) -> None:
        """A work already in the store keeps its name; its titles and documents point to it."""
        names = sorted(set(names))
        if names:
            self.names[key] = names[0]
            self.fixed.add(key)
        for name in names:
            self.lookup_names.setdefault(name.casefold(), key)
        for title in titles:
            self.titles.setdefault(law_title(title).casefold(), key)
            self.lookup_names.setdefault(law_title(title).casefold(), key)
        for document in documents:
            self.documents.setdefault(document, key)

    def add_documents(self, documents: Iterable[DocumentKey]) -> None:
        """Index the documents of one import; newest first decides names and title owners."""
        ordered = sorted(documents, key=lambda d: (str(d.date or ""), d.year, int(d.number)), reverse=True)
        for doc in ordered:  # popular titles first: they give titles their work
            if doc.popular_title:
                key = slug(doc.popular_title)
                if key not in self.fixed:
                    self.names.setdefault(key, display_name(doc.popular_title))
                self.documents.setdefault((doc.year, doc.number), key)
                self.titles.setdefault(law_title(doc.title).casefold(), key)
        for doc in ordered:
            if not doc.popular_title and doc.doc_type == "LOV":
                key = f"lov-{doc.year}-{doc.number}"
                self.names.setdefault(key, act_name("LOV", doc.number, doc.date))
                self.documents.setdefault((doc.year, doc.number), key)
                self.titles.setdefault(law_title(doc.title).casefold(), key)
        for doc in ordered:
            if not doc.popular_title and doc.doc_type != "LOV":
                key = self._key_without_popular_title(doc)
                self.documents.setdefault((doc.year, doc.number), key)
        for key, name in self.names.items():
            self.lookup_names.setdefault(name.casefold(), key)
            self.lookup_names.setdefault(key, key)
        for title, key in self.titles.items():
            self.lookup_names.setdefault(title, key)

    def _key_without_popular_title(self, doc: DocumentKey) -> str:
        if doc.doc_type != "LBK":
            key = f"{doc.doc_type.lower()}-{doc.year}-{doc.number}"
            self.names.setdefault(key, act_name(doc.doc_type, doc.number, doc.date))
            return key
        for sentence in doc.intro:
            match = re.search(r"bekendtgøres\s+(lov nr\.[^,]*)", sentence, re.IGNORECASE)
            refs = document_refs(match.group(1)) if match else []
            if refs and refs[0].doc_type == "LOV":
                act = refs[0]
                key = self.documents.get((act.date.year, act.number)) or f"lov-{act.date.year}-{act.number}"
                self.names.setdefault(key, act_name("LOV", act.number, act.date))
                return key
        title = law_title(doc.title)
        known = self.titles.get(title.casefold())
        if known:
            return known
        name = name_in_title(doc.title)
        key = slug(name or title)
        self.names.setdefault(key, name or title)
        self.titles.setdefault(title.casefold(), key)
        return key

    # -- answering --------------------------------------------------------------------------

    def key_of(self, meta: DocumentMeta) -> str:
        """The work key of an indexed document."""
        found = self.documents.get((meta.year, meta.number))
        if found is None:  # not indexed: index it alone (a caller that skipped add_documents)
            self.add_documents([DocumentKey(meta.doc_type, meta.year, meta.number, meta.title,
                                            meta.popular_title, meta.date_signed)])
            found = self.documents[(meta.year, meta.number)]
        return found

    def name_of(self, key: str) -> str:
        """The name a work's provisions are cited by ("serviceloven", "lov nr. 550 af 5. juni 2012")."""
        return self.names.get(key, key)

    def find(self, name: str) -> str | None:
        """The work a name means: a popular name (also in the genitive), a title or a key."""
        text = plain(name).casefold()
        text = re.sub(r"^(?:bekendtgørelse af)\s+", "", text)
        for candidate in (text, text[:-1] if text.endswith("s") and len(text) > 3 else None):
            if candidate and candidate in self.lookup_names:
                return self.lookup_names[candidate]
        return None
