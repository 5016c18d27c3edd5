"""What the user typed → the resource an impact search starts from.

A target is an IRI, a kommunekode or municipality name, a citation ("serviceloven § 79 a",
"servicelovens § 79 a", "§ 79 a i serviceloven", or just "§ 9, stk. 1" when only one law has
it), a law's name, or the label of an agreement, decision or other statement. Nothing typed is
spliced into a query: values are bound, or compared in Python.
"""

from __future__ import annotations

import difflib
import re

from rdflib import Literal, URIRef

from graph.identifiers import provision_iri, work_iri
from graph.impact.index import EdgeIndex
from graph.namespaces import PREFIXES
from graph.resolve import ResolveError, law_index, resolve_municipality

_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_PATH_WORD = re.compile(r"§|\b(?:kapitel|kap\.|bilag|afsnit)\s", re.IGNORECASE)
_NO_LIMIT = 10**12


class ImpactTargetError(ResolveError):
    """The target matched nothing (``suggestions`` are the nearest) or several things (``ambiguous``)."""

    def __init__(self, message: str, message_en: str, suggestions: list[str] | None = None, *, ambiguous: bool = False):
        self.message_en = message_en
        self.ambiguous = ambiguous
        super().__init__(message, suggestions)

    @property
    def candidates(self) -> list[str]:
        """The matching (ambiguous) or nearest (unknown) targets."""
        return self.suggestions

    def render(self, lang: str = "da") -> str:
        """The message in Danish or English, with the candidates."""
        if lang != "en":
            return str(self)
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        return self.message_en + hint


def resolve_target(store, index: EdgeIndex, target: str | URIRef) -> str:  # type: ignore[no-untyped-def]
    """The IRI of the resource the text names; ImpactTargetError otherwise."""
    from graph.citations import normalise_text

    text = normalise_text(str(target))
    if text not in index.targets:
        index.targets[text] = _resolve(store, index, target, text)
    return index.targets[text]


def _resolve(store, index: EdgeIndex, target: str | URIRef, text: str) -> str:  # type: ignore[no-untyped-def]
    if not text:
        raise ImpactTargetError("angiv et mål: en IRI, en henvisning, en kommune eller en aftale.",
                                "give a target: an IRI, a citation, a municipality or an agreement.")
    if isinstance(target, URIRef) or _IRI.match(text):
        return _known_iri(store, index, text)
    if re.fullmatch(r"\d{1,4}", text):
        try:
            return str(resolve_municipality(store, text))
        except ResolveError as error:
            raise ImpactTargetError(f"{error.message}.", f"no municipality has the code {text!r}.", error.suggestions) from None
    if _PATH_WORD.search(text):
        return _provision(store, text)
    return _named(store, text)


def _known_iri(store, index: EdgeIndex, iri: str) -> str:  # type: ignore[no-untyped-def]
    if index.knows(iri) or store.query(_PREFIXES + "ASK { { ?s ?p ?o } UNION { ?o2 ?p2 ?s } }", bindings={"s": URIRef(iri)}).boolean:
        return iri
    stem = iri.rsplit("/", 1)[0]
    near = [n for n in list(index.outgoing) + list(index.incoming) if n.startswith(stem)] or list(index.outgoing)
    raise ImpactTargetError(f"IRI'en <{iri}> findes ikke i grafen.", f"the IRI <{iri}> is not in the graph.",
                            difflib.get_close_matches(iri, sorted(set(near)), n=3, cutoff=0.6))


def _ambiguous(text: str, labels: list[str]) -> ImpactTargetError:
    return ImpactTargetError(
        f"»{text}« er tvetydig: {len(labels)} mulige mål; skriv det ene helt ud.",
        f"'{text}' is ambiguous: {len(labels)} possible targets; write out the one you mean.",
        sorted(labels), ambiguous=True)


def _citations(store, suffix: str | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Provision IRI → citation, optionally only those ending in ``suffix`` (case-insensitive)."""
    # Bound variables stay in the projection: pyoxigraph substitutes only projected variables.
    query = _PREFIXES + "SELECT ?p ?c ?suffix WHERE { ?p a rg:Provision ; rg:citation ?c . FILTER(!BOUND(?suffix) || STRENDS(LCASE(STR(?c)), ?suffix)) }"
    bindings = {"suffix": Literal(suffix.casefold())} if suffix else None
    return {str(row[0]): str(row[1]) for row in store.query(query, bindings=bindings, limit=_NO_LIMIT).rows}


def _provision(store, text: str) -> str:  # type: ignore[no-untyped-def]
    from graph.citations import CitationError, parse_citation

    exact = store.query(
        _PREFIXES + "SELECT DISTINCT ?p ?c ?wanted WHERE { ?p a rg:Provision ; rg:citation ?c . FILTER(LCASE(STR(?c)) = ?wanted) }",
        bindings={"wanted": Literal(text.casefold())}, limit=_NO_LIMIT).rows
    if len(exact) == 1:
        return str(exact[0][0])
    if len(exact) > 1:
        raise _ambiguous(text, [str(row[1]) for row in exact])
    try:
        citation = parse_citation(text)
    except CitationError as error:
        raise ImpactTargetError(f"»{text}« er ikke en henvisning regelgraf kan læse: {error.render('da')}.",
                                f"'{text}' is not a citation regelgraf can read: {error.render('en')}.") from None
    if citation.law is None:
        # No law named: fine when exactly one law has this provision.
        found = _citations(store, " " + citation.path_text())
        if len(found) == 1:
            return next(iter(found))
        if found:
            raise _ambiguous(text, list(found.values()))
        raise ImpactTargetError(f"ingen lov har {citation.path_text()}.", f"no law has {citation.path_text()}.",
                                difflib.get_close_matches(text, list(_citations(store).values()), n=3, cutoff=0.5))
    laws = law_index(store)
    key = laws.lookup(citation.law)
    if key is None:
        raise ImpactTargetError(f"ukendt lov »{citation.law}« i »{text}«.", f"unknown law '{citation.law}' in '{text}'.",
                                laws.suggestions(citation.law))
    iri = str(provision_iri(key, citation.steps))
    known = _citations(store)
    if iri in known:
        return iri
    same_law = [c for p, c in known.items() if p.startswith(str(work_iri(key)) + "/")]
    raise ImpactTargetError(f"bestemmelsen »{text}« findes ikke i grafen.", f"the provision '{text}' is not in the graph.",
                            difflib.get_close_matches(text, same_law or list(known.values()), n=3, cutoff=0.5))


def _named(store, text: str) -> str:  # type: ignore[no-untyped-def]
    """A municipality, a law or a labelled statement (agreement, decision …) by its name."""
    try:
        return str(resolve_municipality(store, text))
    except ResolveError:
        pass
    laws = law_index(store)
    key = laws.lookup(text)
    if key is not None:
        rows = store.query(_PREFIXES + "SELECT ?w ?key WHERE { ?w a rg:LawWork ; rg:workKey ?key }",
                           bindings={"key": Literal(key)}).rows
        if rows:
            return str(rows[0][0])
    rows = store.query(_PREFIXES + """SELECT DISTINCT ?s ?label WHERE {
        VALUES ?type { rg:WelfareAgreement rg:ExemptionPossibility rg:ExemptionDecision rg:NonDerogableProvision
                       rg:NonApplicationClause rg:MunicipalRule rg:Municipality }
        ?s a ?type . { ?s rdfs:label ?label } UNION { ?s skos:prefLabel ?label } }""", limit=_NO_LIMIT).rows
    matches = {str(s): str(label) for s, label in rows if str(label).casefold() == text.casefold()}
    if len(matches) == 1:
        return next(iter(matches))
    if matches:
        raise _ambiguous(text, list(matches.values()))
    names = sorted({str(label) for _, label in rows} | set(laws.names()))
    raise ImpactTargetError(f"»{text}« er hverken en IRI, en henvisning, en kommune, en lov eller en aftale i grafen.",
                            f"'{text}' is neither an IRI, a citation, a municipality, a law nor an agreement in the graph.",
                            difflib.get_close_matches(text, names, n=3, cutoff=0.5))
