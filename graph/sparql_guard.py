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
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from pyparsing import ParseBaseException, ParseResults
from rdflib import Variable
from rdflib.plugins.sparql import parser
from rdflib.plugins.sparql.parserutils import CompValue

from graph.store.errors import QuerySyntaxError, UnsafeQueryError
from graph.store.sparql_text import keywords, near, position, tokens

__all__ = ["check_query", "check_query_thoroughly", "UnsafeQueryError"]

_LOCAL_ONLY_DA = "Forespørgsler må kun læse det lokale lager."
_LOCAL_ONLY_EN = "Queries may only read the local store."


# Bare words that can begin something the guard must look at closely.
_RISKY_WORDS = frozenset({
    "SERVICE", "FROM", "LOAD", "INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "ADD", "MOVE",
    "COPY", "WITH", "USING",
})


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
    try:
        tree = parser.parseQuery(text)
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
        if node.name == "DatasetClause":
            named = dict.get(node, "named")
            target = named if named is not None else dict.get(node, "default")
            raise _from(target, named is not None)
    found = keywords(text) & {"SERVICE", "FROM", "LOAD"}
    if found:
        word = sorted(found)[0]
        raise UnsafeQueryError(
            word,
            f"Forespørgslen indeholder nøgleordet {word}, som kan hente data udefra. "
            f"{_LOCAL_ONLY_DA} Fjern {word}.",
            f"The query contains the keyword {word}, which can fetch outside data. "
            f"{_LOCAL_ONLY_EN} Remove {word}.",
        )


def _refuse_update(text: str) -> None:
    """Raise UnsafeQueryError when the text parses as a SPARQL Update."""
    try:
        update = parser.parseUpdate(text)
    except ParseBaseException:
        return
    for node in _walk(update):
        if node.name == "Load":
            iri = dict.get(node, "iri")
            raise UnsafeQueryError(
                "LOAD",
                f"LOAD <{iri}> ville læse data fra netværket eller filsystemet og ændre lageret. "
                f"{_LOCAL_ONLY_DA} Indlæs data med 'regelgraf load'.",
                f"LOAD <{iri}> would read data from the network or the file system and change "
                f"the store. {_LOCAL_ONLY_EN} Load data with 'regelgraf load'.",
            )
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
