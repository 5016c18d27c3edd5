"""Refuse user queries that would reach the network or the file system, or change data.

pyoxigraph runs SERVICE and LOAD through its own HTTP client with no switch to turn them off,
and rdflib fetches SERVICE, LOAD and FROM by default, so the only safe place to stop them is
before the text reaches any engine. The query is parsed with rdflib's SPARQL grammar and the
parse tree is walked for SERVICE and dataset clauses (FROM / FROM NAMED) wherever they occur;
a lexical scan for the bare keywords backs the walk up in case two parsers ever disagree.

Parsing with rdflib's grammar costs about half a second per query, which every page and every
endpoint request would pay. So the lexical scan runs first, on the text with its \\u escapes
expanded (both engines expand them before parsing): when no bare word outside strings, IRIs
and comments could start a SERVICE, dataset clause, LOAD or update, the query cannot reach
anything and the walk is skipped. Only texts with such a word get the full walk, whose verdict
is cached per text. Syntax errors of safe texts are then reported by the engine itself.

The SPARQL endpoint may let FROM / FROM NAMED name local graphs: `split_dataset` reads their
IRIs from the parse tree and takes the clauses out of the text, so that no engine ever sees
them (rdflib would fetch them). Updates are checked by `check_update`, which always parses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
import threading
from functools import lru_cache

from pyparsing import ParseBaseException, ParseResults
from rdflib import URIRef, Variable
from rdflib.plugins.sparql import parser
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parserutils import CompValue

from graph.store.dataset import QueryDataset
from graph.store.errors import QuerySyntaxError, UnsafeQueryError, UnsupportedUpdateError
from graph.store.sparql_text import keywords, near, position, strip_dataset_clauses, tokens

__all__ = [
    "check_query", "check_query_thoroughly", "split_dataset", "check_update", "UpdatePlan",
    "UpdateOperation", "UnsafeQueryError",
]

_LOCAL_ONLY_DA = "Forespørgsler må kun læse det lokale lager."
_LOCAL_ONLY_EN = "Queries may only read the local store."


# Bare words that can begin something the guard must look at closely.
_RISKY_WORDS = frozenset({
    "SERVICE", "FROM", "LOAD", "INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "ADD", "MOVE",
    "COPY", "WITH", "USING",
})


# rdflib's SPARQL grammar (pyparsing) is not thread-safe: two threads parsing at once can fail
# or leave a parse action broken for the life of the process. Every rdflib parse goes through
# this one lock (the memory backend uses it too).
RDFLIB_PARSE_LOCK = threading.Lock()


def parse_query_locked(text: str):  # type: ignore[no-untyped-def]
    """rdflib's parse tree of a query, parsed under the process-wide lock."""
    with RDFLIB_PARSE_LOCK:
        return parser.parseQuery(text)


def parse_update_locked(text: str):  # type: ignore[no-untyped-def]
    """rdflib's parse tree of an update, parsed under the process-wide lock."""
    with RDFLIB_PARSE_LOCK:
        return parser.parseUpdate(text)


def check_query(text: str) -> None:
    """Raise UnsafeQueryError for SERVICE, FROM, FROM NAMED, LOAD or any update; else return."""
    if keywords(parser.expandUnicodeEscapes(text)) & _RISKY_WORDS:
        _check_parsed(text)


@lru_cache(maxsize=512)
def _check_parsed(text: str) -> None:
    """check_query_thoroughly, remembered per text (only the verdict 'safe' is cached)."""
    check_query_thoroughly(text)


def check_query_thoroughly(text: str) -> None:
    """The full check on rdflib's parse tree; also raises QuerySyntaxError with line and column.

    Stores call it when an engine rejects a query, so that a syntax error reads the same on
    every backend.
    """
    _inspect(text, allow_dataset=False)


def split_dataset(text: str, base_iri: str | None = None) -> tuple[str, QueryDataset | None]:
    """The query without FROM / FROM NAMED, and the local graphs those clauses named.

    Returns the text unchanged and None when it has no dataset clause. Everything else the
    guard refuses is still refused; relative IRIs resolve against BASE, else `base_iri`.
    """
    expanded = parser.expandUnicodeEscapes(text)
    if "FROM" not in keywords(expanded):
        return text, None
    return _split_dataset(expanded, base_iri)


@lru_cache(maxsize=256)
def _split_dataset(text: str, base_iri: str | None) -> tuple[str, QueryDataset]:
    tree = _inspect(text, allow_dataset=True)
    prologue = translatePrologue(tree[0], base_iri)
    default: list[URIRef] = []
    named: list[URIRef] = []
    for node in _walk(tree):
        if node.name != "DatasetClause":
            continue
        is_named = dict.get(node, "named") is not None
        term = dict.get(node, "named") if is_named else dict.get(node, "default")
        iri = URIRef(prologue.absolutize(term))
        if ":" not in iri:
            raise _relative_from(iri)
        (named if is_named else default).append(iri)
    stripped, removed = strip_dataset_clauses(text)
    if removed != len(default) + len(named) or "FROM" in keywords(stripped):
        # The tokenizer and the grammar disagree about the clauses: refuse rather than guess.
        raise _from(default[0] if default else named[0] if named else "?", bool(named))
    return stripped, QueryDataset.of(default, named)


def _inspect(text: str, *, allow_dataset: bool) -> ParseResults:
    """Parse a query and refuse SERVICE, undeclared prefixes and (unless allowed) FROM."""
    try:
        tree = parse_query_locked(text)
    except ParseBaseException as exc:
        _refuse_update(text)
        raise _syntax_error(text, exc) from exc
    declared = {dict.get(decl, "prefix") or "" for decl in _walk(tree[0])
                if decl.name == "PrefixDecl"}
    for node in _walk(tree):
        if node.name == "pname" and (dict.get(node, "prefix") or "") not in declared:
            raise _unknown_prefix(text, dict.get(node, "prefix") or "")
        # CompValue.get returns the key itself when it is missing; read it as a plain dict.
        if node.name == "ServiceGraphPattern":
            raise _service(dict.get(node, "term"))
        if node.name == "DatasetClause" and not allow_dataset:
            named = dict.get(node, "named")
            target = named if named is not None else dict.get(node, "default")
            raise _from(target, named is not None)
    found = keywords(text) & ({"SERVICE", "LOAD"} if allow_dataset else {"SERVICE", "FROM", "LOAD"})
    if found:
        word = sorted(found)[0]
        raise UnsafeQueryError(
            word,
            f"Forespørgslen indeholder nøgleordet {word}, som kan hente data udefra. "
            f"{_LOCAL_ONLY_DA} Fjern {word}.",
            f"The query contains the keyword {word}, which can fetch outside data. "
            f"{_LOCAL_ONLY_EN} Remove {word}.",
        )
    return tree


def _relative_from(iri: str) -> QuerySyntaxError:
    return QuerySyntaxError(
        f"FROM <{iri}> is a relative IRI and there is no BASE to resolve it; write a full IRI",
        detail_da=f"FROM <{iri}> er en relativ IRI, og der er ingen BASE at læse den ud fra; "
                  "skriv en fuld IRI",
        source="regelgraf",
    )


@dataclass(frozen=True)
class UpdateOperation:
    """One operation of an update request, as far as the dataset rules need it."""

    kind: str  # e.g. "INSERT DATA", "DELETE/INSERT … WHERE", "CLEAR"
    own_dataset: bool  # it has USING, USING NAMED or WITH
    reads_default: bool  # its WHERE clause matches triples outside any GRAPH


@dataclass(frozen=True)
class UpdatePlan:
    """A checked update: its text (\\u escapes expanded) and its operations in order."""

    text: str
    operations: tuple[UpdateOperation, ...]


_UPDATE_KINDS = {"Modify": "DELETE/INSERT … WHERE", "InsertData": "INSERT DATA",
                 "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE", "Clear": "CLEAR",
                 "Drop": "DROP", "Create": "CREATE", "Add": "ADD", "Move": "MOVE",
                 "Copy": "COPY", "Load": "LOAD"}


def check_update(text: str) -> UpdatePlan:
    """Refuse LOAD, SERVICE and default-graph writes in a SPARQL Update; else describe it.

    The store keeps named graphs only and queries see their union as the default graph, so
    writing to "the default graph" has no clear meaning: such triples must go in GRAPH <iri>
    (or under WITH <iri>), and DEFAULT cannot be cleared, dropped, added, moved or copied.
    """
    return _check_update(parser.expandUnicodeEscapes(text))


@lru_cache(maxsize=64)
def _check_update(text: str) -> UpdatePlan:
    try:
        tree = parse_update_locked(text)
    except ParseBaseException as exc:
        raise _syntax_error(text, exc) from exc
    declared = {dict.get(decl, "prefix") or "" for decl in _walk(dict.get(tree, "prologue"))
                if decl.name == "PrefixDecl"}
    for node in _walk(tree):
        if node.name == "pname" and (dict.get(node, "prefix") or "") not in declared:
            raise _unknown_prefix(text, dict.get(node, "prefix") or "")
        if node.name == "ServiceGraphPattern":
            raise _service(dict.get(node, "term"))
        if node.name == "Load":
            raise _load(dict.get(node, "iri"))
    found = keywords(text) & {"SERVICE", "LOAD"}
    if found:
        word = sorted(found)[0]
        raise UnsafeQueryError(
            word, f"Opdateringen indeholder nøgleordet {word}. {_LOCAL_ONLY_DA} Fjern {word}.",
            f"The update contains the keyword {word}. {_LOCAL_ONLY_EN} Remove {word}.")
    operations = tuple(_operation(op) for op in dict.get(tree, "request") or ())
    return UpdatePlan(text, operations)


def _operation(op: CompValue) -> UpdateOperation:
    """Describe one operation, refusing writes to the default graph."""
    kind = _UPDATE_KINDS.get(op.name, op.name)
    with_graph = dict.get(op, "withClause") is not None
    templates = [dict.get(op, "quads")] + [dict.get(dict.get(op, part) or {}, "quads")
                                           for part in ("insert", "delete")]
    if not with_graph and any(dict.get(q, "triples") for q in templates if q is not None):
        raise UnsupportedUpdateError(
            "DEFAULT",
            f"{kind} skriver tripler uden for GRAPH, altså i standardgrafen. Lageret gemmer "
            "kun navngivne grafer, og standardgrafen er deres forening: skriv triplerne i "
            "GRAPH <iri> { … } eller brug WITH <iri>.",
            f"{kind} writes triples outside GRAPH, that is into the default graph. The store "
            "keeps named graphs only, and the default graph is their union: put the triples in "
            "GRAPH <iri> { … } or use WITH <iri>.",
        )
    targets = dict.get(op, "graph") or [dict.get(op, "graphiri")]
    if any(str(t) == "DEFAULT" for t in targets if isinstance(t, str)):
        raise UnsupportedUpdateError(
            "DEFAULT",
            f"{kind} nævner DEFAULT. Standardgrafen er foreningen af de navngivne grafer og "
            "gemmes ikke for sig; nævn graferne med GRAPH <iri>, eller brug ALL / NAMED.",
            f"{kind} names DEFAULT. The default graph is the union of the named graphs and is "
            "not stored by itself; name graphs with GRAPH <iri>, or use ALL / NAMED.",
        )
    own = with_graph or bool(dict.get(op, "using"))
    return UpdateOperation(kind, own, _reads_default(dict.get(op, "where")))


def _reads_default(node: object, in_graph: bool = False) -> bool:
    """Whether a pattern matches triples outside every GRAPH block."""
    if isinstance(node, CompValue):
        if node.name == "TriplesBlock" and not in_graph:
            return True
        inside = in_graph or node.name == "GraphGraphPattern"
        return any(_reads_default(child, inside) for child in node.values())
    if isinstance(node, dict):
        return any(_reads_default(child, in_graph) for child in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_reads_default(child, in_graph) for child in node)
    return False


def _load(iri: object) -> UnsafeQueryError:
    return UnsafeQueryError(
        "LOAD",
        f"LOAD <{iri}> ville læse data fra netværket eller filsystemet og ændre lageret. "
        f"{_LOCAL_ONLY_DA} Indlæs data med 'regelgraf load'.",
        f"LOAD <{iri}> would read data from the network or the file system and change "
        f"the store. {_LOCAL_ONLY_EN} Load data with 'regelgraf load'.",
    )


def _refuse_update(text: str) -> None:
    """Raise UnsafeQueryError when the text parses as a SPARQL Update."""
    try:
        update = parse_update_locked(text)
    except ParseBaseException:
        return
    for node in _walk(update):
        if node.name == "Load":
            raise _load(dict.get(node, "iri"))
    raise UnsafeQueryError(
        "UPDATE",
        "Teksten er en SPARQL-opdatering (INSERT, DELETE, DROP …); her er kun forespørgsler "
        "tilladt (SELECT, ASK, CONSTRUCT, DESCRIBE). Ændr data med 'regelgraf load'.",
        "The text is a SPARQL update (INSERT, DELETE, DROP …); only queries are allowed here "
        "(SELECT, ASK, CONSTRUCT, DESCRIBE). Change data with 'regelgraf load'.",
    )


def _service(term: object) -> UnsafeQueryError:
    target = f"?{term}" if isinstance(term, Variable) else f"<{term}>"
    return UnsafeQueryError(
        "SERVICE",
        f"Forespørgslen bruger SERVICE {target}, som ville sende en forespørgsel til et andet "
        f"endpoint over netværket. {_LOCAL_ONLY_DA} Fjern SERVICE-blokken.",
        f"The query uses SERVICE {target}, which would send a request to another endpoint "
        f"over the network. {_LOCAL_ONLY_EN} Remove the SERVICE block.",
    )


def _from(iri: object, named: bool) -> UnsafeQueryError:
    clause = "FROM NAMED" if named else "FROM"
    return UnsafeQueryError(
        clause,
        f"Forespørgslen har {clause} <{iri}>, som kan hente data fra netværket eller "
        f"filsystemet. {_LOCAL_ONLY_DA} Standardgrafen er allerede foreningen af alle grafer; "
        f"fjern {clause} og brug GRAPH <iri> {{ … }} for at se på én graf.",
        f"The query has {clause} <{iri}>, which can fetch data from the network or the file "
        f"system. {_LOCAL_ONLY_EN} The default graph is already the union of all graphs; "
        f"remove {clause} and use GRAPH <iri> {{ … }} to look at one graph.",
    )


def _unknown_prefix(text: str, prefix: str) -> QuerySyntaxError:
    """An undeclared prefix, located at its first use."""
    use = next((t for t in tokens(text) if t.kind == "word" and t.text.startswith(prefix + ":")),
               None)
    line, column = position(text, use.start) if use else (None, None)
    return QuerySyntaxError(
        f"the prefix '{prefix}:' is not declared; add PREFIX {prefix}: <…>",
        line, column, source="regelgraf",
        detail_da=f"præfikset '{prefix}:' er ikke erklæret; tilføj PREFIX {prefix}: <…>",
    )


def _syntax_error(text: str, exc: ParseBaseException) -> QuerySyntaxError:
    """A syntax error at the start of the clause pyparsing could not match, with that line."""
    return QuerySyntaxError(near(str(exc.msg), text, exc.lineno, exc.col), exc.lineno, exc.col,
                            source="rdflib")


def _walk(node: object) -> Iterator[CompValue]:
    """Every CompValue in a parse result, depth first (subqueries, OPTIONAL, EXISTS …)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            yield current
            stack.extend(current.values())
        elif isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list | tuple | ParseResults):
            stack.extend(list(current))
