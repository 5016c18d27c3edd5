"""The catalogue of named queries: ``queries/<name>.rq`` files with a ``#+`` YAML header.

The header stays valid SPARQL (it is a comment). The catalogue parses every file once and
fails loudly, naming the file, when a header is broken or does not match the query. Parameter
values are converted to typed RDF terms and pre-bound — never spliced into the query text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from graph.settings import QUERIES_DIR
from graph.store.base import QueryResult, Store

PARAM_TYPES = ("iri", "date", "string", "integer", "municipality", "provision", "area")
HEADER_KEYS = {"summary", "description", "tags", "params", "example"}
PARAM_KEYS = {"name", "type", "required", "default", "description"}


class CatalogueError(ValueError):
    """A query file is broken; the message names the file and the fix."""


class UnknownQueryError(KeyError):
    """No query of that name; carries close matches."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Mente du: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"ingen forespørgsel hedder {name!r}.{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class ParameterError(ValueError):
    """A parameter value is missing or cannot be used."""

    def __init__(self, param: str, message: str):
        self.param = param
        super().__init__(f"parameter {param!r}: {message}")


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[QueryParam, ...] = ()
    example: Mapping[str, str] = field(default_factory=dict)

    def param(self, name: str) -> QueryParam:
        for param in self.params:
            if param.name == name:
                return param
        raise ParameterError(name, f"ukendt parameter; forespørgslen {self.name!r} tager: {', '.join(p.name for p in self.params) or 'ingen'}")


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and lines:
            break
    return "\n".join(lines)


def parse_query_file(path: Path) -> NamedQuery:
    """Read and check one ``.rq`` file."""
    text = path.read_text(encoding="utf-8")
    header_text = _header(text)
    if not header_text.strip():
        raise CatalogueError(f"{path}: no '#+' header; start the file with '#+ summary: …'")
    try:
        header = YAML(typ="safe").load(io.StringIO(header_text)) or {}
    except YAMLError as error:
        raise CatalogueError(f"{path}: the '#+' header is not valid YAML: {error}") from None
    if not isinstance(header, dict):
        raise CatalogueError(f"{path}: the '#+' header must be a mapping of keys ({', '.join(sorted(HEADER_KEYS))})")
    unknown = set(header) - HEADER_KEYS
    if unknown:
        raise CatalogueError(f"{path}: unknown header key(s) {sorted(unknown)}; allowed: {sorted(HEADER_KEYS)}")
    if not header.get("summary"):
        raise CatalogueError(f"{path}: the header needs a 'summary'")
    _check_syntax(path, text)
    params = tuple(_param(path, raw) for raw in header.get("params") or [])
    for param in params:
        if not re.search(rf"[?$]{re.escape(param.name)}\b", _body(text)):
            raise CatalogueError(f"{path}: parameter {param.name!r} is not used as ?{param.name} in the query")
    example = header.get("example") or {}
    if not isinstance(example, dict) or set(example) - {p.name for p in params}:
        raise CatalogueError(f"{path}: 'example' must map declared parameter names to values")
    return NamedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header["summary"]).strip(),
        description=str(header.get("description") or "").strip(),
        tags=tuple(header.get("tags") or ()),
        params=params,
        example={k: str(v) for k, v in example.items()},
    )


def _check_syntax(path: Path, text: str) -> None:
    """The guard's verdict, then Oxigraph's parser (an empty store answers at once)."""
    from graph.sparql_guard import check_query
    from graph.store import QueryError

    try:
        check_query(text)
        pyoxigraph.Store().query(text, use_default_graph_as_union=True)
    except (QueryError, SyntaxError) as error:
        raise CatalogueError(f"{path}: the query is not valid SPARQL: {error}") from None


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _param(path: Path, raw: object) -> QueryParam:
    if not isinstance(raw, dict) or "name" not in raw or "type" not in raw:
        raise CatalogueError(f"{path}: each param needs at least 'name' and 'type'")
    unknown = set(raw) - PARAM_KEYS
    if unknown:
        raise CatalogueError(f"{path}: param {raw['name']!r} has unknown key(s) {sorted(unknown)}; allowed: {sorted(PARAM_KEYS)}")
    if raw["type"] not in PARAM_TYPES:
        raise CatalogueError(f"{path}: param {raw['name']!r} has type {raw['type']!r}; use one of {', '.join(PARAM_TYPES)}")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(raw["name"])):
        raise CatalogueError(f"{path}: param name {raw['name']!r} must be a SPARQL variable name")
    default = raw.get("default")
    return QueryParam(
        name=str(raw["name"]),
        type=str(raw["type"]),
        required=bool(raw.get("required", False)),
        default=None if default is None else str(default),
        description=str(raw.get("description") or ""),
    )


class Catalogue:
    """All named queries of a directory, parsed once."""

    def __init__(self, queries: Mapping[str, NamedQuery]):
        self._queries = dict(sorted(queries.items()))

    @classmethod
    def load(cls, directory: Path | None = None) -> Catalogue:
        directory = Path(directory or QUERIES_DIR)
        return cls({path.stem: parse_query_file(path) for path in sorted(directory.glob("*.rq"))})

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def names(self) -> list[str]:
        return list(self._queries)

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQueryError(name, difflib.get_close_matches(name, self._queries, n=3)) from None


def convert_parameter(store: Store, param: QueryParam, raw: str) -> Identifier:
    """The RDF term for one parameter value, checked against the parameter's type."""
    from graph.resolve import ResolveError, resolve_area, resolve_municipality, resolve_provision

    raw = raw.strip()
    try:
        if param.type == "date":
            return Literal(dt.date.fromisoformat(raw).isoformat(), datatype=XSD.date)
        if param.type == "integer":
            return Literal(int(raw))
        if param.type == "string":
            return Literal(raw)
        if param.type == "iri":
            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", raw):
                raise ParameterError(param.name, f"{raw!r} er ikke en IRI (http(s)://…)")
            return URIRef(raw)
        if param.type == "municipality":
            return resolve_municipality(store, raw)
        if param.type == "provision":
            return resolve_provision(store, raw)
        if param.type == "area":
            return resolve_area(raw)
    except ValueError as error:
        if isinstance(error, ParameterError):
            raise
        expected = {"date": "en dato som ÅÅÅÅ-MM-DD", "integer": "et helt tal"}.get(param.type, param.type)
        raise ParameterError(param.name, f"{raw!r} er ikke {expected}") from None
    except ResolveError as error:
        raise ParameterError(param.name, str(error)) from None
    raise ParameterError(param.name, f"unknown type {param.type!r}")


def bind_parameters(store: Store, query: NamedQuery, values: Mapping[str, str]) -> dict[str, Identifier]:
    """Check the given values against the query's params and convert them to terms."""
    for name in values:
        query.param(name)  # raises for an unknown name
    bindings: dict[str, Identifier] = {}
    for param in query.params:
        raw = values.get(param.name)
        if raw is None or raw == "":
            raw = param.default
        if raw is None:
            if param.required:
                raise ParameterError(param.name, "mangler; angiv den med --param " f"{param.name}=…")
            continue
        bindings[param.name] = convert_parameter(store, param, raw)
    return bindings


def run_named_query(store: Store, query: NamedQuery, params: Mapping[str, str] | None = None, *, limit: int | None = None) -> QueryResult:
    """Run a catalogue query with its parameters bound."""
    return store.query(query.text, bindings=bind_parameters(store, query, params or {}), limit=limit)


def load_query_file(path: Path) -> NamedQuery:
    """A query from any file: with a header it is checked like a catalogue query, without one it has no params."""
    text = Path(path).read_text(encoding="utf-8")
    if _header(text).strip():
        return parse_query_file(Path(path))
    return NamedQuery(name=Path(path).stem, path=Path(path), text=text, summary=Path(path).name)
