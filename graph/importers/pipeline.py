"""The import run: read sources, parse, index the works, build and link each graph, write.

Two passes, so that what a document cites is known whatever order the files come in:

1. every document is parsed; its metadata and the paths of its units are collected;
2. the works are indexed (from these documents and from the store), and each document's graph
   is built and linked against that index, then written.

With ``workers > 1`` the documents are shared out between worker processes (each keeps what it
parsed for the second pass), so parsing, citation finding and building use every core while
the main process reads the sources and writes. A document that fails is reported with its name
and reason; the others go on.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue
import threading
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.importers.build import build_document, places
from graph.importers.checks import document_findings
from graph.importers.detect import parse_document
from graph.importers.links import Known, Linker
from graph.importers.model import ImportFailure, ParsedDocument, Source
from graph.importers.sources import read_sources
from graph.importers.triples import to_nquads
from graph.importers.works import DocumentKey, WorkIndex

__all__ = ["ImportOptions", "ImportSummary", "DocumentResult", "run_import", "Progress"]

_TITLE = re.compile(rb"<PopularTitle>([^<]*)</PopularTitle>|<DocumentTitle>(?:Bekendtg\xc3\xb8relse af )?([^<]*)</DocumentTitle>")
Progress = Callable[[str, int, "int | None"], None]  # (phase, done, total)


@dataclass(frozen=True)
class ImportOptions:
    """How to run an import (see docs/import.md)."""

    workers: int = 1
    shacl: bool = False  # pySHACL on every document graph
    batch: int = 25  # documents per write (one transaction on a transactional store)


@dataclass
class _Parsed:
    position: int
    name: str
    key: DocumentKey | None = None
    paths: frozenset[str] = frozenset()
    failure: ImportFailure | None = None


@dataclass
class DocumentResult:
    """What the second pass made of one document."""

    position: int
    name: str
    graph: str = ""
    document: str = ""
    work_key: str = ""
    provisions: int = 0
    links: int = 0
    unresolved: int = 0
    triples: int = 0
    payload: object = None  # the triples (store target); the swap target's are in its spool files
    warnings: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    validated: bool = False
    failure: ImportFailure | None = None


@dataclass
class ImportSummary:
    """The closing summary of an import."""

    documents: int = 0
    provisions: int = 0
    links: int = 0
    unresolved: int = 0
    triples: int = 0
    validated: int = 0
    failures: list[ImportFailure] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    graphs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.failures)


# -- the work of one shard (in a worker process, or in this one) ------------------------------


class _Shard:
    """Parses its documents, keeps them, and later builds their graphs."""

    def __init__(self) -> None:
        self.documents: dict[int, ParsedDocument] = {}

    def parse(self, position: int, source: Source, data: bytes) -> _Parsed:
        try:
            document = parse_document(data, source)
        except ImportFailure as failure:
            return _Parsed(position, source.name, failure=failure)
        except Exception as error:  # noqa: BLE001 — one bad file must not stop the others
            return _Parsed(position, source.name, failure=ImportFailure(
                source.name, f"kunne ikke læses ({type(error).__name__}: {error})", "meld fejlen med filen vedhæftet",
                f"could not be read ({type(error).__name__}: {error})", "report the error with the file attached"))
        self.documents[position] = document
        meta = document.meta
        paths = frozenset(segments for _, _, segments, _ in places(document, []))
        key = DocumentKey(meta.doc_type, meta.year, meta.number, meta.title, meta.popular_title, meta.date_signed,
                          tuple(document.intro))
        return _Parsed(position, source.name, key, paths)

    def build(self, index: WorkIndex, known: Known, skip: set[int], spool: Path | None, shacl: bool,
              imported_at: dt.datetime) -> Iterator[DocumentResult]:
        """Build, link (and validate) each document; with ``spool``, append its N-Quads to a file there."""
        linker = Linker(index, known)
        out = (spool / f"part-{os.getpid()}.nq").open("a", encoding="utf-8") if spool is not None else None
        try:
            yield from self._build(linker, index, known, skip, out, shacl, imported_at)
        finally:
            if out is not None:
                out.close()

    def _build(self, linker: Linker, index: WorkIndex, known: Known, skip: set[int], out, shacl: bool,  # type: ignore[no-untyped-def]
               imported_at: dt.datetime) -> Iterator[DocumentResult]:
        for position in sorted(self.documents):
            document = self.documents.pop(position)
            if position in skip:
                continue
            result = DocumentResult(position, document.source.name)
            try:
                graph = build_document(document, index, imported_at=imported_at)
                linker.link(graph, document)
            except Exception as error:  # noqa: BLE001
                result.failure = ImportFailure(document.source.name, f"kunne ikke omsættes til RDF ({type(error).__name__}: {error})",
                                               "meld fejlen med filen vedhæftet",
                                               f"could not be turned into RDF ({type(error).__name__}: {error})",
                                               "report the error with the file attached")
                yield result
                continue
            result.graph, result.document, result.work_key = graph.graph, graph.document, graph.work_key
            result.provisions, result.links, result.unresolved = graph.provisions, graph.links, graph.unresolved
            result.triples, result.warnings = len(graph.triples), graph.warnings
            if shacl:
                result.violations = document_findings(graph, known, index)
                result.validated = True
            if out is None:
                result.payload = list(graph.triples)
            elif not result.violations:
                out.write(to_nquads(graph.graph, graph.triples))
            yield result


def _worker_main(inbox, outbox) -> None:  # type: ignore[no-untyped-def]
    """A worker process: parse what arrives, then build when told to."""
    shard = _Shard()
    parent = os.getppid()
    while True:
        try:
            message = inbox.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:
                return  # the import was killed: do not linger as an orphan
            continue
        if message[0] == "parse":
            outbox.put(("parsed", shard.parse(*message[1:])))
        elif message[0] == "build":
            for result in shard.build(*message[1:]):
                outbox.put(("built", result))
            outbox.put(("done", None))
            return


# -- the run ----------------------------------------------------------------------------------


def _index(parsed: list[_Parsed], target, summary: ImportSummary) -> tuple[WorkIndex, Known, set[int]]:  # type: ignore[no-untyped-def]
    """Index works from the store and the parsed documents; refuse a document given twice."""
    index, known = WorkIndex(), Known()
    target.index(index, known)
    first: dict[tuple[int, str], _Parsed] = {}
    skip: set[int] = set()
    for item in sorted(parsed, key=lambda p: p.position):
        if item.key is None:
            continue
        where = (item.key.year, item.key.number)
        if where in first:
            skip.add(item.position)
            summary.failures.append(ImportFailure(item.name, f"samme dokument ({item.key.doc_type} {item.key.number}/{item.key.year}) som {first[where].name}",
                                                  "importér hvert dokument én gang pr. kørsel",
                                                  f"the same document ({item.key.doc_type} {item.key.number}/{item.key.year}) as {first[where].name}",
                                                  "import each document once per run"))
            continue
        first[where] = item
    index.add_documents([p.key for p in first.values() if p.key is not None])
    from graph.identifiers import document_iri

    for item in first.values():
        key = index.documents[(item.key.year, item.key.number)]  # type: ignore[union-attr]
        known.provisions.setdefault(key, set()).update(item.paths)
        known.documents.add(str(document_iri(item.key.year, item.key.number)))  # type: ignore[union-attr]
    return index, known, skip


def run_import(paths: list[Path], target, options: ImportOptions = ImportOptions(),  # type: ignore[no-untyped-def]
               progress: Progress | None = None) -> ImportSummary:
    """Import every document under ``paths`` into ``target`` (a StoreTarget or SwapTarget)."""
    started = time.monotonic()
    summary = ImportSummary()
    report = progress or (lambda phase, done, total: None)
    imported_at = dt.datetime.now(dt.timezone.utc)
    workers = max(1, options.workers)
    parsed: list[_Parsed] = []
    if workers == 1:
        shard = _Shard()
        for position, item in enumerate(read_sources(paths)):
            if isinstance(item, ImportFailure):
                summary.failures.append(item)
                continue
            parsed.append(shard.parse(position, *item))
            report("parse", len(parsed), None)
        index, known, skip = _index(_collect_failures(parsed, summary), target, summary)
        results: Iterator[DocumentResult] = shard.build(index, known, skip, target.spool, options.shacl, imported_at)
        _write_all(results, len(parsed) - len(skip) - sum(1 for p in parsed if p.failure), target, options, summary, report)
    else:
        _run_parallel(paths, target, options, summary, report, imported_at, workers)
    summary.seconds = time.monotonic() - started
    return summary


def _collect_failures(parsed: list[_Parsed], summary: ImportSummary) -> list[_Parsed]:
    for item in parsed:
        if item.failure is not None:
            summary.failures.append(item.failure)
    return parsed


def _run_parallel(paths: list[Path], target, options: ImportOptions, summary: ImportSummary,  # type: ignore[no-untyped-def]
                  report: Progress, imported_at: dt.datetime, workers: int) -> None:
    context = multiprocessing.get_context("fork")
    inboxes = [context.Queue() for _ in range(workers)]
    outbox = context.Queue()
    processes = [context.Process(target=_worker_main, args=(inbox, outbox), daemon=True) for inbox in inboxes]
    for process in processes:
        process.start()
    sent = [0]
    read_failures: list[ImportFailure] = []
    done_reading = threading.Event()

    def feed() -> None:  # a thread, so that reading (xz) overlaps parsing in the workers
        try:
            for position, item in enumerate(read_sources(paths)):
                if isinstance(item, ImportFailure):
                    read_failures.append(item)
                    continue
                worker = _shard_of(item[1], workers)
                inboxes[worker].put(("parse", position, *item))
                sent[0] += 1
        finally:
            done_reading.set()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    parsed: list[_Parsed] = []
    try:
        while not (done_reading.is_set() and len(parsed) == sent[0]):
            try:
                parsed.append(outbox.get(timeout=0.2)[1])
                report("parse", len(parsed), None)
            except queue.Empty:
                _check_alive(processes)
        summary.failures.extend(read_failures)
        index, known, skip = _index(_collect_failures(parsed, summary), target, summary)
        for inbox in inboxes:
            inbox.put(("build", index, known, skip, target.spool, options.shacl, imported_at))
        expected = len(parsed) - len(skip) - sum(1 for p in parsed if p.failure)
        _write_all(_results(outbox, processes), expected, target, options, summary, report)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join(timeout=5)


def _shard_of(data: bytes, workers: int) -> int:
    """The worker for a document: versions of one law go to the same one (its citation memo)."""
    head = data[:8192]
    match = _TITLE.search(head)
    return zlib.crc32((match.group(1) or match.group(2)).strip().lower() if match else head[-200:]) % workers


def _results(outbox, processes) -> Iterator[DocumentResult]:  # type: ignore[no-untyped-def]
    finished = 0
    while finished < len(processes):
        try:
            kind, result = outbox.get(timeout=0.5)
        except queue.Empty:
            _check_alive(processes)
            continue
        if kind == "done":
            finished += 1
        else:
            yield result


def _check_alive(processes) -> None:  # type: ignore[no-untyped-def]
    for process in processes:
        if not process.is_alive() and process.exitcode not in (0, None):
            raise RuntimeError(f"an import worker stopped with exit code {process.exitcode}")


def _write_all(results: Iterator[DocumentResult], expected: int, target, options: ImportOptions,  # type: ignore[no-untyped-def]
               summary: ImportSummary, report: Progress) -> None:
    """Write results in batches; a document with violations is reported, not written."""
    batch: list[DocumentResult] = []
    done = 0
    try:
        for result in results:
            done += 1
            report("build", done, expected)
            if result.failure is not None:
                summary.failures.append(result.failure)
                continue
            if result.violations:
                summary.failures.append(ImportFailure(result.name, f"{len(result.violations)} SHACL-overtrædelse(r): {result.violations[0]}",
                                                      "dokumentet er ikke skrevet; se docs/import.md",
                                                      f"{len(result.violations)} SHACL violation(s): {result.violations[0]}",
                                                      "the document was not written; see docs/import.md"))
                continue
            batch.append(result)
            if len(batch) >= options.batch:
                _flush(batch, target, summary)
        _flush(batch, target, summary)
        target.finish()
    except BaseException:
        target.abort()
        raise


def _flush(batch: list[DocumentResult], target, summary: ImportSummary) -> None:  # type: ignore[no-untyped-def]
    if not batch:
        return
    if target.swap:
        target.replacing([r.graph for r in batch])  # the triples are in the spool files
    else:
        _write_batch(batch, target, summary)
    for result in batch:
        summary.documents += 1
        summary.validated += result.validated
        summary.provisions += result.provisions
        summary.links += result.links
        summary.unresolved += result.unresolved
        summary.triples += result.triples
        summary.graphs.append(result.graph)
        if result.warnings:
            summary.warnings[result.name] = result.warnings
    batch.clear()


def _write_batch(batch: list[DocumentResult], target, summary: ImportSummary) -> None:  # type: ignore[no-untyped-def]
    """One transaction for the batch; if the store refuses it, each document alone, so a bad graph fails alone."""
    from graph.store.errors import StoreError

    try:
        target.write([(r.graph, r.payload) for r in batch])
        return
    except StoreError:
        pass  # find the document the store refuses
    written = []
    for result in batch:
        try:
            target.write([(result.graph, result.payload)])
            written.append(result)
        except StoreError as error:
            messages = getattr(error, "messages", {})
            summary.failures.append(ImportFailure(
                result.name, f"lageret afviste dokumentets graf: {messages.get('da', error)}",
                "meld fejlen med filen vedhæftet",
                f"the store refused the document's graph: {messages.get('en', error)}", "report the error with the file attached"))
    batch[:] = written
