"""Where documents come from: files, folders (recursively) and tar archives read as a stream.

A ``.tar.xz`` like the shared corpus is read member by member with ``tarfile``'s stream mode,
never unpacked to disk. Each document gets a ``Source``: an IRI for provenance (``file:`` URI,
with ``#member`` for a file inside an archive) and a name for messages (``archive!member``).
"""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from graph.importers.model import ImportFailure, Source

__all__ = ["read_sources", "DOCUMENT_SUFFIXES", "ARCHIVE_SUFFIXES"]

DOCUMENT_SUFFIXES = (".xml", ".html", ".htm", ".json")
ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2")
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024  # far above any real document (the corpus' largest is under 5 MiB)


def _is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def _is_document(name: str) -> bool:
    return name.lower().endswith(DOCUMENT_SUFFIXES)


def _too_big(name: str, size: int) -> ImportFailure:
    return ImportFailure(name, f"filen er {size // (1024 * 1024)} MiB; regelgraf læser dokumenter op til "
                               f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB", "del filen op eller kontrollér, at det er et dokument",
                         f"the file is {size // (1024 * 1024)} MiB; regelgraf reads documents up to "
                         f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB", "split the file or check that it is a document")


def _file(path: Path) -> tuple[Source, bytes] | ImportFailure:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            return _too_big(name, size)
        return Source(path.resolve().as_uri(), name), path.read_bytes()
    except OSError as error:
        return ImportFailure(name, f"kan ikke læses: {error.strerror or error}", "kontrollér sti og rettigheder",
                             f"cannot be read: {error.strerror or error}", "check the path and permissions")


def _archive(path: Path) -> Iterator[tuple[Source, bytes] | ImportFailure]:
    base = path.resolve().as_uri()
    try:
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                if not member.isfile() or not _is_document(member.name):
                    continue
                name = f"{path}!{member.name}"
                if member.size > MAX_DOCUMENT_BYTES:
                    yield _too_big(name, member.size)
                    continue
                handle = archive.extractfile(member)
                if handle is not None:
                    yield Source(f"{base}#{quote(member.name)}", name), handle.read()
    except (tarfile.TarError, OSError, EOFError) as error:
        yield ImportFailure(str(path), f"arkivet kan ikke læses: {error}", "kontrollér, at filen er et helt tar-arkiv",
                            f"the archive cannot be read: {error}", "check that the file is a complete tar archive")


def read_sources(paths: list[Path]) -> Iterator[tuple[Source, bytes] | ImportFailure]:
    """Every document under ``paths``, in a stable order, or a failure naming what could not be read."""
    for path in paths:
        if not path.exists():
            yield ImportFailure(str(path), "findes ikke", "angiv en fil, en mappe eller et tar-arkiv",
                                "does not exist", "give a file, a folder or a tar archive")
        elif path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if _is_archive(child):
                    yield from _archive(child)
                elif _is_document(child.name):
                    yield _file(child)
        elif _is_archive(path):
            yield from _archive(path)
        else:
            yield _file(path)
