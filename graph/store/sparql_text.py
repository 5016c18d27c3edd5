"""A small SPARQL tokenizer: query form, bare keywords, and where a VALUES block may go.

Not a parser (rdflib's parser checks syntax); it only needs to skip comments, strings and
IRIs correctly so that a word inside them is never mistaken for a keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

import pyoxigraph as ox
import rdflib
from rdflib import URIRef
from dataclasses import dataclass

from graph.store.errors import BindingError, QuerySyntaxError
from graph.store.terms import Term, graph_name, graph_quads, to_sparql

__all__ = [
    "Token", "tokens", "keywords", "query_form", "with_values", "VARIABLE_NAME", "position", "near",
    "oxigraph_syntax_error", "update_request", "strip_dataset_clauses", "with_using",
]

VARIABLE_NAME = re.compile(r"^\w+$")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             | '''(?:[^'\\]|\\.|'(?!''))*'''
             | "(?:[^"\\\n\r]|\\.)*"
             | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>(?:\w|[-.:%\\\u00B7])*(?:\w|[:%]))
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_OX_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_CHAR_CLASS = re.compile(r"\[[^\[\]]*\.\.=[^\[\]]*\]")
_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}


@dataclass(frozen=True)
class Token:
    """One significant token: kind (string, iri, var, lang, word, punct), text, start, end."""

    kind: str
    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    """The significant tokens of a SPARQL text (whitespace and comments dropped)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            yield Token(kind, match.group(), match.start(), match.end())


def keywords(text: str) -> set[str]:
    """Bare words outside strings, IRIs and prefixed names, upper-cased."""
    return {t.text.upper() for t in tokens(text) if t.kind == "word" and ":" not in t.text}


def query_form(text: str) -> str:
    """"select", "construct", "describe" or "ask" — the first query-form keyword."""
    for tok in tokens(text):
        if tok.kind == "word" and tok.text.upper() in _FORMS:
            return tok.text.lower()
    raise ValueError("no SELECT, CONSTRUCT, DESCRIBE or ASK keyword found")


def with_values(text: str, bindings: Mapping[str, Term]) -> str:
    """The query with its bindings as a one-row VALUES block opening every group that names them.

    Joining the same single row at the start of every group naming a bound variable (nested groups, OPTIONAL, UNION
    branches, MINUS, GRAPH, EXISTS, subquery WHERE clauses) binds the variable everywhere it
    occurs, which gives the answers of pre-bound variables (rdflib initBindings): triple
    patterns are restricted, and FILTER(!BOUND(?v) || …) sees ?v bound. A group that is only
    a subquery gets no block (the grammar forbids one) — its own WHERE group does. A DESCRIBE
    without WHERE gets `WHERE { VALUES … }`; CONSTRUCT WHERE { … } (whose braces are also
    the template) gets a trailing VALUES clause. Blank nodes cannot be written in VALUES.
    """
    if not bindings:
        return text
    block = _values_block(bindings)
    bound = {f"?{name}" for name in bindings} | {f"${name}" for name in bindings}
    toks = list(tokens(text))
    inserts: list[int] = []
    trailing = False
    i = 0
    while i < len(toks):
        tok, word = toks[i], _word(toks, i)
        if word == "CONSTRUCT" and _text(toks, i + 1) == "{":
            i = _skip_block(toks, i + 1)  # the template is not a pattern
            continue
        if word == "CONSTRUCT" and _word(toks, i + 1) == "WHERE":
            trailing = True  # short form: the braces hold template and pattern at once
            i = _skip_block(toks, i + 2)
            continue
        if word == "VALUES":
            data = next((k for k in range(i + 1, len(toks)) if toks[k].text == "{"), len(toks))
            i = _skip_block(toks, data)  # inline data, not a pattern
            continue
        if tok.text == "{" and _word(toks, i + 1) != "SELECT" and _mentions(toks, i, bound):
            inserts.append(tok.end)
        i += 1
    if not trailing and not inserts:
        describe = _describe_targets_end(toks)
        if describe is not None:
            return f"{text[:describe]} WHERE {{{block}}}{text[describe:]}"
    if trailing or not inserts:
        return f"{text}\n{block}\n"
    out, last = [], 0
    for offset in inserts:
        out += [text[last:offset], block]
        last = offset
    return "".join(out) + text[last:]


def _mentions(toks: list[Token], i: int, bound: set[str]) -> bool:
    """Whether the group opened at toks[i] (nested groups included) names a bound variable.

    Only such groups get the VALUES row. A group that does not name the variable is not
    changed by it, but Oxigraph (0.5) plans it differently: an OPTIONAL { ?v eli:is_part_of+
    ?doc } holding the row was evaluated on its own, over every path in the store (7.5 s on
    the 5.7-million-quad corpus store), instead of from the ?v of each outer row (8 ms).
    """
    end = _skip_block(toks, i)
    return any(t.kind == "var" and t.text in bound for t in toks[i + 1:end])


def _values_block(bindings: Mapping[str, Term]) -> str:
    """ VALUES (?a ?b) { (<…> "…") } with each term validated and escaped by pyoxigraph."""
    names, values = [], []
    for name, term in bindings.items():
        if not VARIABLE_NAME.match(name):
            raise BindingError(f"Ugyldigt variabelnavn {name!r}.",
                               f"Invalid variable name {name!r}.")
        try:
            value = to_sparql(term)
        except (ValueError, TypeError) as exc:
            raise BindingError(
                f"Værdien for ?{name} kan ikke bindes: {exc}.",
                f"The value for ?{name} cannot be bound: {exc}.",
            ) from exc
        if value.startswith("_:"):
            raise BindingError(
                f"?{name} er bundet til en blank knude, som ikke kan bindes; brug en IRI.",
                f"?{name} is bound to a blank node, which cannot be bound; use an IRI.",
            )
        names.append(f"?{name}")
        values.append(value)
    return f" VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }} "


def _describe_targets_end(toks: list[Token]) -> int | None:
    """The offset after `DESCRIBE ?a <b> ex:c`, or None when the query is no DESCRIBE."""
    start = next((i for i, t in enumerate(toks) if _word(toks, i) in _FORMS), None)
    if start is None or _word(toks, start) != "DESCRIBE":
        return None
    end = toks[start].end
    for tok in toks[start + 1:]:
        if not (tok.kind in ("var", "iri") or tok.text == "*"
                or (tok.kind == "word" and ":" in tok.text)):
            break
        end = tok.end
    return end


def _word(toks: list[Token], i: int) -> str:
    """The upper-cased bare word at index i, or ""."""
    return toks[i].text.upper() if i < len(toks) and toks[i].kind == "word" else ""


def _text(toks: list[Token], i: int) -> str:
    return toks[i].text if i < len(toks) else ""


def _skip_block(toks: list[Token], i: int) -> int:
    """The index after the '}' closing the block opened at toks[i]."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].text == "{":
            depth += 1
        elif toks[j].text == "}":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(toks)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def near(detail: str, text: str, line: int, column: int) -> str:
    """The detail with the text from the error position on, so the reader sees where."""
    lines = text.splitlines()
    if not 0 < line <= len(lines) or not lines[line - 1][column - 1:].strip():
        return detail
    return f"{detail} (linje/line {line}: {lines[line - 1][column - 1:][:60].strip()!r})"


def oxigraph_syntax_error(text: str, message: str) -> QuerySyntaxError | None:
    """A QuerySyntaxError from Oxigraph's "error at L:C: …" message, if it has that form."""
    match = _OX_POSITION.search(message)
    if not match:
        return None
    line, column = int(match.group(1)), int(match.group(2))
    # Oxigraph lists Unicode character classes; "a name" says the same in two words.
    detail = " ".join(_CHAR_CLASS.sub("a name", match.group(3)).split())
    return QuerySyntaxError(near(detail, text, line, column), line, column, source="oxigraph")


def update_request(drop: Sequence[URIRef], add: Mapping[URIRef, rdflib.Graph]) -> str:
    """One SPARQL Update that drops graphs and inserts triples; "" when there is nothing to do.

    Every term is validated and serialised by pyoxigraph (N-Triples syntax, which SPARQL
    accepts inside INSERT DATA), so data can never change the shape of the request.
    """
    operations = [f"DROP SILENT GRAPH {graph_name(iri)}" for iri in drop]
    blocks = []
    for iri, graph in add.items():
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in graph_quads({iri: graph})]
        if triples:
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
            blocks.append(f"GRAPH {graph_name(iri)} {{\n{body}}}")
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(operations)


def strip_dataset_clauses(text: str) -> tuple[str, int]:
    """The text without its FROM / FROM NAMED clauses, and how many were taken out.

    A bare word FROM outside strings, IRIs and comments can only open a dataset clause, which
    names its graph with an IRI or a prefixed name; each clause is replaced by a space.
    """
    toks = list(tokens(text))
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(toks):
        if _word(toks, i) == "FROM":
            target = i + 2 if _word(toks, i + 1) == "NAMED" else i + 1
            if target < len(toks) and (toks[target].kind == "iri" or (
                    toks[target].kind == "word" and ":" in toks[target].text)):
                spans.append((toks[i].start, toks[target].end))
                i = target
        i += 1
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], " "]
        last = end
    return "".join(out) + text[last:], len(spans)


def with_using(text: str, default: Sequence[URIRef], named: Sequence[URIRef]) -> str:
    """The update with USING / USING NAMED clauses for the given graphs on every operation
    that has a WHERE clause (the protocol's using-graph-uri and using-named-graph-uri).

    The text must have no USING or WITH of its own (the caller checks). `DELETE WHERE { P }`
    has no place for USING, so it becomes the equivalent `DELETE { P } USING … WHERE { P }`.
    """
    clauses = " ".join([f"USING {to_sparql(iri)}" for iri in default]
                       + [f"USING NAMED {to_sparql(iri)}" for iri in named])
    if not clauses:
        return text
    toks = list(tokens(text))
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    depth = 0
    for i, tok in enumerate(toks):
        if tok.text == "{":
            depth += 1
        elif tok.text == "}":
            depth -= 1
        elif depth == 0 and _word(toks, i) == "WHERE":
            if i > 0 and _word(toks, i - 1) == "DELETE":  # DELETE WHERE, the short form
                end = _skip_block(toks, i + 1)
                pattern = text[toks[i + 1].start:toks[end - 1].end]
                edits.append((tok.start, toks[end - 1].end,
                              f"{pattern} {clauses} WHERE {pattern}"))
            else:
                edits.append((tok.start, tok.start, f"{clauses} "))
    out, last = [], 0
    for start, end, replacement in edits:
        out += [text[last:start], replacement]
        last = end
    return "".join(out) + text[last:]
