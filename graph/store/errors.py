"""Storage errors: each names the place (location or endpoint) and what to do, in Danish
and English.

`str(error)` is the Danish text followed by the English text; `error.messages` holds both
separately for interfaces that pick one language.
"""

from __future__ import annotations

import os

__all__ = [
    "StoreError", "UnknownBackendError", "StoreConfigError", "StoreLockedError",
    "StoreAccessError", "StoreWriteError", "ClosedStoreError", "ReadOnlyStoreError",
    "InvalidDataError", "StoreInUseError", "SwapInProgressError", "StoreFileSystemError",
    "FormatError", "EndpointUnreachableError", "EndpointHTTPError", "QueryError",
    "QuerySyntaxError", "UnsafeQueryError", "BindingError", "UnsupportedUpdateError",
    "QueryTimeoutError", "StoreBusyError",
]


class StoreError(Exception):
    """A storage problem, explained in Danish and English."""

    def __init__(self, da: str, en: str) -> None:
        super().__init__(f"{da} / {en}")
        self.messages = {"da": da, "en": en}

    def message(self, lang: str = "da") -> str:
        """The explanation in one language ("da" or "en")."""
        return self.messages.get(lang, self.messages["en"])


class UnknownBackendError(StoreError):
    """The backend name is not in the registry."""

    def __init__(self, name: str, known: list[str]) -> None:
        names = ", ".join(known)
        super().__init__(
            f"Ukendt lager-backend {name!r}; vælg en af: {names}.",
            f"Unknown store backend {name!r}; choose one of: {names}.",
        )
        self.name = name
        self.known = known


class StoreConfigError(StoreError):
    """The store was opened with missing or contradictory options."""


class StoreLockedError(StoreError):
    """Another process (or another open store in this process) holds the on-disk store."""

    def __init__(self, location: str, pid: int | None, command: str | None, own: bool) -> None:
        if own:
            who_da = "denne proces (et andet åbent lager)"
            who_en = "this process (another open store)"
            fix_da = "Luk det andet lager først, eller genbrug det."
            fix_en = "Close the other store first, or reuse it."
        else:
            who_da = f"proces {pid} ({command})" if pid else "en anden proces"
            who_en = f"process {pid} ({command})" if pid else "another process"
            fix_da = ("Stop den proces (fx en kørende 'oxigraph serve'), brug serveren via "
                      "--endpoint, eller åbn lageret skrivebeskyttet (read_only=True).")
            fix_en = ("Stop that process (for example a running 'oxigraph serve'), use that "
                      "server through --endpoint, or open the store read-only (read_only=True).")
        super().__init__(
            f"Lageret i {location} er låst af {who_da}. {fix_da}",
            f"The store at {location} is locked by {who_en}. {fix_en}",
        )
        self.location = location
        self.pid = pid
        self.command = command


class StoreInUseError(StoreLockedError):
    """A swap import cannot rename the store's directory: processes have the store open."""

    def __init__(self, location: str, holders: list[tuple[int, str | None]]) -> None:
        own = [pid for pid, _ in holders if pid == os.getpid()]
        named = [(pid, command) for pid, command in holders if pid != os.getpid()]
        who_da = ", ".join(f"proces {pid} ({command})" for pid, command in named)
        who_en = ", ".join(f"process {pid} ({command})" for pid, command in named)
        if own:
            who_da = ", ".join(filter(None, ["denne proces (et åbent lager)", who_da]))
            who_en = ", ".join(filter(None, ["this process (an open store)", who_en]))
        StoreError.__init__(
            self,
            f"Lageret i {location} er åbent i {who_da or 'en anden proces'}, så en import med "
            "--mode swap kan ikke skifte mappen ud; lageret er ikke ændret. Luk dem (fx "
            "'regelgraf serve' eller en skrivebeskyttet læser) og importér igen, eller importér "
            "med --mode transactional, som skriver mens andre læser.",
            f"The store at {location} is open in {who_en or 'another process'}, so an import with "
            "--mode swap cannot swap its directory; the store was not changed. Close them (for "
            "example 'regelgraf serve' or a read-only reader) and import again, or import with "
            "--mode transactional, which writes while others read.",
        )
        self.location = location
        self.holders = holders
        self.pid, self.command = holders[0] if holders else (None, None)


class SwapInProgressError(StoreLockedError):
    """An open waited in vain for a swap import to finish renaming the store's directory."""

    def __init__(self, location: str, pid: int | None, command: str | None, waited: float) -> None:
        who_da = f"proces {pid} ({command})" if pid else "en anden proces"
        who_en = f"process {pid} ({command})" if pid else "another process"
        StoreError.__init__(
            self,
            f"Lageret i {location} skiftes ud af en import (--mode swap) i {who_da}; der blev ventet "
            f"{waited:g} sekunder. Vent til importen er færdig, og prøv igen.",
            f"The store at {location} is being swapped in by an import (--mode swap) in {who_en}; "
            f"waited {waited:g} seconds. Wait for the import to finish and try again.",
        )
        self.location = location
        self.pid = pid
        self.command = command


class StoreAccessError(StoreError):
    """The on-disk store could not be opened or read."""

    def __init__(self, location: str, reason: str, reason_da: str | None = None) -> None:
        super().__init__(
            f"Lageret i {location} kunne ikke åbnes eller læses: {reason_da or reason}. Kontroller at "
            "mappen findes, er skrivbar og indeholder et Oxigraph-lager.",
            f"The store at {location} could not be opened or read: {reason}. Check that the "
            "directory exists, is writable and holds an Oxigraph store.",
        )
        self.location = location
        self.reason = reason


class StoreWriteError(StoreError):
    """The store rejected a write; nothing was changed."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(
            f"Skrivning til {where} blev afvist, og intet blev ændret: {reason}",
            f"Writing to {where} was rejected and nothing was changed: {reason}",
        )
        self.where = where
        self.reason = reason


class StoreFileSystemError(StoreWriteError, OSError):
    """A write failed in the file system (disk full, permissions); still an OSError for callers
    that catch those."""


class ClosedStoreError(StoreError):
    """An operation on a store after close()."""

    def __init__(self, where: str) -> None:
        super().__init__(f"Lageret {where} er lukket; åbn det igen.",
                         f"The store {where} is closed; open it again.")


class ReadOnlyStoreError(StoreError):
    """A write was attempted on a store opened read-only."""

    def __init__(self, where: str, fix_da: str, fix_en: str) -> None:
        super().__init__(
            f"Lageret {where} er skrivebeskyttet. {fix_da}",
            f"The store {where} is read-only. {fix_en}",
        )
        self.where = where


class InvalidDataError(StoreError):
    """A graph to be written holds a term the store cannot represent; nothing was written."""

    def __init__(self, graph: str, term: str, reason: str) -> None:
        super().__init__(
            f"Graf <{graph}> indeholder et ugyldigt RDF-led {term}: {reason}. Ret kilden; "
            "intet er skrevet.",
            f"Graph <{graph}> holds an invalid RDF term {term}: {reason}. Fix the source; "
            "nothing was written.",
        )
        self.graph = graph
        self.term = term
        self.reason = reason


class FormatError(StoreError):
    """An unknown serialisation format, or one that cannot hold what was asked for."""


class EndpointUnreachableError(StoreError):
    """The SPARQL endpoint did not answer."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(
            f"SPARQL-endpointet {url} svarer ikke ({reason}). Kontroller adressen, og at "
            "serveren kører (fx 'oxigraph serve --location instance/store --bind "
            "127.0.0.1:7878').",
            f"The SPARQL endpoint {url} does not answer ({reason}). Check the URL and that the "
            "server is running (e.g. 'oxigraph serve --location instance/store --bind "
            "127.0.0.1:7878').",
        )
        self.url = url
        self.reason = reason


class EndpointHTTPError(StoreError):
    """The SPARQL endpoint answered with an HTTP error status."""

    def __init__(self, url: str, status: int, body: str) -> None:
        detail = " ".join(body.split())[:500] or "(intet svar / no body)"
        super().__init__(
            f"SPARQL-endpointet {url} svarede HTTP {status}: {detail}",
            f"The SPARQL endpoint {url} answered HTTP {status}: {detail}",
        )
        self.url = url
        self.status = status
        self.body = body


class QueryError(StoreError):
    """A query could not be run."""


class QuerySyntaxError(QueryError):
    """A malformed query; line and column are 1-based where the parser reports them."""

    def __init__(self, detail: str, line: int | None = None, column: int | None = None,
                 source: str = "SPARQL", detail_da: str | None = None) -> None:
        where_da = f" i linje {line}, kolonne {column}" if line else ""
        where_en = f" at line {line}, column {column}" if line else ""
        super().__init__(
            f"Forespørgslen har en syntaksfejl{where_da}: {detail_da or detail}",
            f"The query has a syntax error{where_en}: {detail}",
        )
        self.detail = detail
        self.line = line
        self.column = column
        self.source = source


class UnsafeQueryError(QueryError):
    """A query would reach the network or the file system, or is an update."""

    def __init__(self, construct: str, da: str, en: str) -> None:
        super().__init__(da, en)
        self.construct = construct


class BindingError(QueryError):
    """A pre-bound variable has a bad name or a value the backend cannot bind."""


class UnsupportedUpdateError(QueryError):
    """An update this store does not run: it writes or reads the default graph ambiguously, or
    names a dataset twice."""

    def __init__(self, construct: str, da: str, en: str) -> None:
        super().__init__(da, en)
        self.construct = construct


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was abandoned."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"Forespørgslen blev afbrudt efter {seconds:g} sekunder (tidsgrænsen). Gør den mere "
            "præcis: bind flere variable, brug LIMIT, eller undgå ORDER BY/GROUP BY over hele "
            "grafen.",
            f"The query was stopped after {seconds:g} seconds (the time limit). Make it more "
            "selective: bind more variables, use LIMIT, or avoid ORDER BY/GROUP BY over the "
            "whole graph.",
        )
        self.seconds = seconds


class StoreBusyError(QueryError):
    """Too many abandoned queries are still finishing; new ones are refused for a while."""

    def __init__(self, running: int) -> None:
        super().__init__(
            f"Serveren er optaget: {running} forespørgsler, der overskred tidsgrænsen, er stadig "
            "ved at blive færdige. Prøv igen om lidt.",
            f"The server is busy: {running} queries that ran past the time limit are still "
            "finishing. Try again shortly.",
        )
        self.running = running
