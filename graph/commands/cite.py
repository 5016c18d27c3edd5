"""``regelgraf cite TEXT``: the citations in a text, their targets and the IRIs the store holds."""

from __future__ import annotations

import json
import sys

import click

_COLUMNS = ("tekst", "position", "mål", "fundet i grafen")
_COLUMNS_EN = ("text", "position", "targets", "in the graph")


@click.command("cite")
@click.argument("text")
@click.option("--context", "context_text", metavar="IRI_OR_CITATION",
              help="The provision the text stands in (IRI or citation such as 'serviceloven § 83, stk. 2'); "
                   "relative references ('stk. 3') and 'denne lov' resolve against it.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--resolve/--no-resolve", default=True, show_default=True,
              help="Look the targets up in the store (--no-resolve reads the text only).")
@click.pass_obj
def command(obj, text: str, context_text: str | None, fmt: str, resolve: bool) -> None:  # type: ignore[no-untyped-def]
    """Find the citations in TEXT ('-' reads standard input) and resolve them against the store."""
    from graph.citations import CitationError, find_citations, resolve_found
    from graph.citations.resolution import Context, context_from

    lang = obj.settings.lang
    if text == "-":
        text = sys.stdin.read()
    index = None
    if resolve:
        from graph.resolve import law_index

        index = law_index(obj.store)
    context = Context()
    if context_text:
        try:
            context = context_from(context_text, index)
        except CitationError as error:
            _fail(f"--context: {error.render(lang)}")
        except ValueError as error:
            _fail(f"--context: {error}" if lang == "en" else
                  f"--context: {context_text!r} er hverken en henvisning eller en IRI regelgraf kender ({error})")
    found = find_citations(text, context=context.citation, law_key=context.law_key, document=context.document,
                           index=index)
    if resolve:
        resolve_found(found, obj.store, index=index)
    if fmt == "json":
        click.echo(json.dumps([citation.to_json() for citation in found], ensure_ascii=False, indent=2))
        return
    click.echo(_table(found, lang))


def _table(found, lang: str) -> str:  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    from graph.citations.model import note_in
    from graph.tables import compact

    rows = []
    for citation in found:
        targets = "; ".join(str(target) or "?" for target in citation.targets)
        resolved = " ".join(compact(URIRef(iri)) for iri in citation.resolved) or "-"
        rows.append((" ".join(citation.text.split()), f"{citation.start}-{citation.end}", targets, resolved))
        rows.extend(("", "", f"  ({note_in(note, lang)})", "") for note in citation.notes)
    columns = _COLUMNS if lang == "da" else _COLUMNS_EN
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    count = len(found)
    lines.append(f"({count} henvisning{'er' if count != 1 else ''})" if lang == "da" else f"({count} citation{'s' if count != 1 else ''})")
    return "\n".join(lines)


def _fail(message: str) -> None:
    click.echo(f"fejl: {message}", err=True)
    sys.exit(2)
