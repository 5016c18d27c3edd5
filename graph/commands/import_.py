"""``regelgraf import PATH…``: Retsinformation documents (XML, HTML, JSON; files, folders, .tar.xz) into the store."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

EXIT_FINDINGS = 1  # documents were written, but the store now breaks a cross-document rule
EXIT_FAILED = 2  # some document could not be imported (the others were)

_TEXTS = {
    "da": {"parse": "Læser", "build": "Importerer", "documents": "dokumenter", "provisions": "bestemmelser",
           "links": "henvisninger og ændringer", "unresolved": "uafklarede henvisninger", "triples": "tripler",
           "failures": "fejl", "validated": "SHACL-validerede", "seconds": "sekunder", "warnings": "advarsler i",
           "findings": "regelbrud på tværs af dokumenter", "error": "fejl", "warning": "advarsel",
           "more": "… og {n} mere (brug --verbose)"},
    "en": {"parse": "Reading", "build": "Importing", "documents": "documents", "provisions": "provisions",
           "links": "citations and changes", "unresolved": "unresolved citations", "triples": "triples",
           "failures": "failures", "validated": "SHACL-validated", "seconds": "seconds", "warnings": "warnings in",
           "findings": "cross-document rule violations", "error": "error", "warning": "warning",
           "more": "… and {n} more (use --verbose)"},
}


def _large(paths: tuple[Path, ...]) -> bool:
    """Folders and archives (and many files) are large imports: swap and workers pay off."""
    return len(paths) > 20 or any(p.is_dir() or ".tar" in p.name.lower() or p.suffix.lower() in (".tgz", ".txz") for p in paths)


class _Progress:
    """A counter while reading, then a progress bar over the documents, on standard error."""

    def __init__(self, texts: dict[str, str], enabled: bool):
        self.texts = texts
        self.enabled = enabled
        self.bar = None

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if phase == "parse":
            if done % 25 == 0:
                click.echo(f"\r{self.texts['parse']}: {done} {self.texts['documents']}", nl=False, err=True)
            return
        if self.bar is None:
            click.echo("", err=True)
            self.bar = click.progressbar(length=total or 1, label=self.texts["build"], file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--mode", type=click.Choice(["auto", "swap", "transactional"]), default="auto", show_default=True,
              help="swap: bulk-load a copy of the embedded store and swap it in (fast); transactional: "
                   "replace graphs through the store, a batch per transaction. auto: swap for large imports "
                   "(a folder, an archive, more than 20 files) into the embedded store.")
@click.option("--validate", "validation", type=click.Choice(["auto", "shacl", "rules"]), default="auto", show_default=True,
              help="shacl: pySHACL on every document graph; rules: only the cross-document rules (SPARQL); "
                   "auto: rules for large imports (a folder, an archive, more than 20 files), else shacl.")
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes (default: the number of CPUs for large imports, else 1).")
@click.option("--batch", type=click.IntRange(min=1), default=25, show_default=True, help="Documents per write.")
@click.option("--verbose", "-v", is_flag=True, help="List every warning and failure.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_obj
def command(obj, paths, mode, validation, workers, batch, verbose, quiet):  # type: ignore[no-untyped-def]
    """Import Retsinformation documents (LexDania XML, HTML page, API JSON) from files, folders or .tar.xz."""
    from graph.importers import ImportOptions, import_paths
    from graph.importers.checks import store_findings

    lang = obj.settings.lang
    texts = _TEXTS[lang]
    settings = obj.settings
    large = _large(paths)
    embedded = settings.backend in (None, "oxigraph") and not settings.endpoint and settings.store is not None
    swap = mode == "swap" or (mode == "auto" and embedded and large)
    if swap and not embedded:
        click.echo(f"{texts['error']}: --mode swap kræver det indlejrede Oxigraph-lager (--store), ikke {settings.backend or 'remote'}"
                   if lang == "da" else f"{texts['error']}: --mode swap needs the embedded Oxigraph store (--store)", err=True)
        sys.exit(EXIT_FAILED)
    shacl = validation == "shacl" or (validation == "auto" and not large)
    options = ImportOptions(workers=workers or ((os.cpu_count() or 1) if large else 1), shacl=shacl, batch=batch)
    progress = _Progress(texts, enabled=not quiet and sys.stderr.isatty())
    try:
        summary = import_paths(None if swap else obj.store, list(paths), location=settings.store if swap else None,
                               options=options, progress=progress)
    finally:
        progress.close()
    findings = store_findings(obj.store)
    _report(summary, findings, texts, lang, verbose)
    if summary.failed:
        sys.exit(EXIT_FAILED)
    if findings:
        sys.exit(EXIT_FINDINGS)


def _report(summary, findings, texts: dict[str, str], lang: str, verbose: bool) -> None:  # type: ignore[no-untyped-def]
    limit = None if verbose else 10
    warned = sorted(summary.warnings.items())
    if verbose:
        for name, warnings in warned:
            for warning in warnings:
                click.echo(f"{texts['warning']}: {name}: {warning}", err=True)
    for failure in summary.failures[:limit]:
        click.echo(f"{texts['error']}: {failure.render(lang)}", err=True)
    if limit is not None and len(summary.failures) > limit:
        click.echo(texts["more"].format(n=len(summary.failures) - limit), err=True)
    for rule, shape, node, count in findings[:limit]:
        click.echo(f"{texts['error']}: <{node}>: {count} × {rule} ({shape})", err=True)
    parts = [f"{summary.documents} {texts['documents']}", f"{summary.provisions} {texts['provisions']}",
             f"{summary.links} {texts['links']}", f"{summary.unresolved} {texts['unresolved']}",
             f"{summary.triples} {texts['triples']}", f"{len(summary.failures)} {texts['failures']}"]
    if summary.validated:
        parts.append(f"{summary.validated} {texts['validated']}")
    if findings:
        parts.append(f"{len(findings)} {texts['findings']}")
    if warned:
        parts.append(f"{sum(len(w) for _, w in warned)} {texts['warnings']} {len(warned)} {texts['documents']}")
    click.echo(", ".join(parts) + f" ({summary.seconds:.1f} {texts['seconds']})")
