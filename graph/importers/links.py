"""The links of one document: citations, amendments, hjemmel and consolidation.

* ``eli:cites`` between work-level provisions for each cross-reference the citation finder
  (graph.citations.find_citations) reads in a unit's text; a reference the document or the
  known works cannot answer becomes an ``rg:UnresolvedReference`` with its text.
* ``eli:changes`` / ``eli:repeals`` from each numbered change of an amending act to the
  provisions it names in the amended act; ``eli:amends`` from the document to the amended one.
* ``eli:based_on`` from an executive order to the provisions its hjemmel sentence names.
* ``eli:consolidates`` from an LBK to the documents its introduction names.

"Known" means: in this document, in the documents imported together with it, or in the store.
A link to a provision is made only when its work is known; links to a known work's provision
that no imported version has are still made (the law may cite a provision repealed since).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from graph.citations import Citation, LawIndex, LawNames, find_citations
from graph.identifiers import Step, path_segments, work_iri
from graph.importers.amendments import REPEAL, amended_act, parse_instruction
from graph.importers.build import DocumentGraph, P, Placed
from graph.importers.introductions import consolidated_documents, hjemmel
from graph.importers.model import ParsedDocument
from graph.importers.references import DocRef
from graph.importers.triples import Lit
from graph.importers.works import WorkIndex, slug

__all__ = ["Known", "Linker", "CitationFinder"]

CitationFinder = Callable[..., list]
_NOT_READ = ("afsnit", "kapitel", "bilag")
_NAME_ENDS = re.compile(r",|\s+(?:og|samt|eller|jf\.)\s+")


@dataclass
class Known:
    """What exists besides the document itself: provisions per work, and documents."""

    provisions: dict[str, set[str]] = field(default_factory=dict)  # work key → path segments
    documents: set[str] = field(default_factory=set)  # document ELIs

    def has(self, key: str, segments: str) -> bool:
        return segments in self.provisions.get(key, ())


class Linker:
    """Adds the links of documents to their graphs, against one index of works."""

    def __init__(self, index: WorkIndex, known: Known, finder: CitationFinder = find_citations):
        self.index = index
        self.known = known
        self.finder = finder
        self.law_index = LawIndex()
        for name, key in sorted(index.lookup_names.items()):
            self.law_index.add(name, key)
        self.names = LawNames(self.law_index)
        self._memo: dict[tuple, list] = {}  # type: ignore[type-arg]
        # Targets repeat across the texts of a run: what each names is read once (see target).
        self._targets: dict[tuple, tuple[str | None, str | None]] = {}  # type: ignore[type-arg]
        self._works: dict[str, str] = {}

    # -- resolving --------------------------------------------------------------------------

    def work_of_name(self, name: str | None) -> str | None:
        """A law's work key from its name or title: the index first, then the finder's list."""
        if not name:
            return None
        return self.index.find(name) or self.names.key(name)

    def work_of_title(self, text: str) -> str | None:
        """A law named by a title the finder does not know: "lov om finansiel virksomhed og …"."""
        words = _NAME_ENDS.split(text, maxsplit=1)[0].split()
        for end in range(len(words), 0, -1):  # the finder reads an unknown title to the next comma
            if end == 1 and not re.search(r"lov(?:en)?s?$", words[0]):
                break
            key = self.index.find(" ".join(words[:end]))
            if key is not None:
                return key
        return None

    def work_of_document(self, ref: DocRef) -> str | None:
        return self.index.documents.get((ref.date.year, ref.number))

    def provision(self, key: str, steps: tuple[Step, ...]) -> str:
        return f"{work_iri(key)}/{path_segments(steps)}"

    def exists(self, out: DocumentGraph, key: str, steps: tuple[Step, ...]) -> bool:
        segments = path_segments(steps)
        if key == out.work_key:
            return f"{work_iri(key)}/{segments}" in out.by_provision or self.known.has(key, segments)
        return self.known.has(key, segments)

    # -- the four kinds of link -------------------------------------------------------------

    def link(self, out: DocumentGraph, doc: ParsedDocument) -> None:
        """All links of one document."""
        self.citations(out)
        self.amendments(out)
        if doc.meta.doc_type == "LBK":
            self.consolidation(out, doc)
        elif doc.meta.doc_type != "LOV":
            self.based_on(out, doc)

    def _add(self, out: DocumentGraph, subject: str, predicate: str, obj: str, seen: set) -> None:
        if (subject, predicate, obj) not in seen and subject != obj:
            seen.add((subject, predicate, obj))
            out.triples.add(subject, predicate, obj)
            out.links += 1

    def citations(self, out: DocumentGraph) -> None:
        seen: set[tuple[str, str, str]] = set()
        for placed in out.placed:
            unit = placed.unit
            if unit.instruction is not None or not unit.text or placed.steps[-1].kind in _NOT_READ:
                continue  # amendment wording cites the amended act; an annex (often a treaty) numbers itself
            found = self.find(out.work_key, placed, unit.text)
            for number, citation in enumerate(found, start=1):
                targets = [self.target(out, t, citation.law_text) for t in citation.targets]
                for iri in (t for t in targets if t):
                    self._add(out, placed.provision, P.cites, iri, seen)
                if not citation.targets or not all(targets):
                    self.unresolved(out, placed, number, citation.text)

    def find(self, key: str, placed: Placed, text: str) -> list:  # type: ignore[type-arg]
        """The finder's citations in a unit's text, remembered: consolidations repeat most texts."""
        core = tuple(s for s in placed.steps if s.kind not in ("afsnit", "kapitel"))
        memo = (key, core, text)
        found = self._memo.get(memo)
        if found is None:
            # No ``document``: targets then name the law by key only, the same in every version.
            found = self.finder(text, context=Citation(key, core), law_key=key, index=self.law_index)
            if len(self._memo) > 250_000:
                self._memo.clear()
            self._memo[memo] = found
        return found

    def target(self, out: DocumentGraph, target, law_text: str | None = None) -> str | None:  # type: ignore[no-untyped-def]
        """The IRI a finder target points to, if what it names is known."""
        memo = (target, law_text)
        read = self._targets.get(memo)
        if read is None:
            read = self._read_target(target, law_text)
            if len(self._targets) > 250_000:
                self._targets.clear()
            self._targets[memo] = read
        key, segments = read
        if key is None:
            return segments  # a document or a work (or None): the same in every document
        if key == out.work_key:
            iri = f"{self.work(key)}/{segments}"
            return iri if iri in out.by_provision or self.known.has(key, segments) else None
        return f"{self.work(key)}/{segments}" if self.known.has(key, segments) else None

    def _read_target(self, target, law_text: str | None) -> tuple[str | None, str | None]:  # type: ignore[no-untyped-def]
        """What a target names, apart from the document it stands in: (work key, path segments)
        of a provision, or (None, the IRI or None) of a document or work."""
        steps = tuple(s for s in target.steps() if s.kind != "pkt")
        if not steps and target.document is not None:  # "lov nr. 1500 af 23. december 2014"
            return None, (target.document if target.document in self.known.documents else None)
        key = target.law
        if key is None and target.document is not None:
            key = self.index.documents.get(_year_number(target.document))
        if key is None and target.document is None and law_text:  # a title only this import knows
            key = self.work_of_title(law_text)
        if key is None:
            return None, None
        if not steps:
            return None, (self.work(key) if key in self.index.names else None)
        return key, path_segments(steps)

    def work(self, key: str) -> str:
        """``work_iri(key)`` as a string, made once per key (it checks the key each time)."""
        iri = self._works.get(key)
        if iri is None:
            iri = self._works[key] = str(work_iri(key))
        return iri

    def unresolved(self, out: DocumentGraph, placed: Placed, number: int, text: str) -> None:
        node = f"{placed.version}#henvisning-{number}"
        out.triples.add(node, P.type, P.UnresolvedReference)
        out.triples.add(node, P.reference_text, Lit(text))
        out.triples.add(node, P.occurs_in, placed.version)
        out.unresolved += 1

    def amendments(self, out: DocumentGraph) -> None:
        seen: set[tuple[str, str, str]] = set()
        parents = {p.provision: p for p in out.placed}
        for placed in out.placed:
            unit = placed.unit
            if unit.instruction is None:
                continue
            parent = parents.get(placed.provision.rsplit("/", 1)[0])
            act = amended_act(parent.unit.amends_intro or "") if parent is not None else None
            if act is None:
                out.warnings.append(f"{placed.provision}: ændringen nævner ingen lov, den ændrer")
                continue
            key = next((k for k in (self.work_of_document(d) for d in act.documents) if k), None)
            key = key or self.work_of_name(act.name) or _fallback_key(act)
            for ref in act.documents:
                self._add(out, out.document, P.amends, str(ref.iri), seen)
            if key in self.index.names:
                self._add(out, out.document, P.amends, str(work_iri(key)), seen)
            instruction = parse_instruction(unit.instruction, unit.new_units)
            if instruction is None or key is None:
                continue
            predicate = P.repeals if instruction.action == REPEAL else P.changes
            for place in instruction.places:
                self._add(out, placed.provision, predicate, self.provision(key, place), seen)

    def consolidation(self, out: DocumentGraph, doc: ParsedDocument) -> None:
        seen: set[tuple[str, str, str]] = set()
        for ref in consolidated_documents(doc.intro):
            self._add(out, out.document, P.consolidates, str(ref.iri), seen)

    def based_on(self, out: DocumentGraph, doc: ParsedDocument) -> None:
        seen: set[tuple[str, str, str]] = set()
        for basis in hjemmel(doc.intro):
            key = next((k for k in (self.work_of_document(d) for d in basis.documents) if k), None)
            key = key or self.work_of_name(basis.name) or _fallback_key(basis)
            if key is None:
                out.warnings.append(f"hjemlen i »{basis.name}« kunne ikke henføres til en kendt lov")
                continue
            for place in basis.places:
                self._add(out, out.document, P.based_on, self.provision(key, place), seen)


def _fallback_key(act) -> str | None:  # type: ignore[no-untyped-def]
    """The key the work rules give an act known only from this sentence (see works.py)."""
    if act.name:
        return slug(act.name)
    if act.documents and act.documents[0].doc_type == "LOV":
        ref = act.documents[0]
        return f"lov-{ref.date.year}-{ref.number}"
    return None


def _year_number(document: str) -> tuple[int, str]:
    parts = document.rstrip("/").split("/")
    try:
        return int(parts[-2]), str(int(parts[-1]))
    except (ValueError, IndexError):
        return 0, ""
