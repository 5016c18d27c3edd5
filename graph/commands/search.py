"""``regelgraf search TEXT``: things whose citation, title, name, summary or text holds every word."""

from __future__ import annotations

import json

import click


@click.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Most hits shown.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def command(obj, text: str, limit: int, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """Free-text search, as the web UI's search page does it (best field first: citation, title,
    name, summary, provision text). A citation is better looked up with `regelgraf cite`."""
    from graph.textsearch import find_text

    hits, truncated = find_text(obj.store, text, limit=limit)
    if fmt == "json":
        click.echo(json.dumps({"query": text, "truncated": truncated, "hits": [
            {"iri": hit.iri, "fields": hit.fields,
             "matches": {name: [str(v) for v in values] for name, values in hit.matches.items()}}
            for hit in hits]}, ensure_ascii=False, indent=2))
        return
    en = obj.settings.lang == "en"
    for hit in hits:
        first = " ".join(str(hit.matches[hit.fields[0]][0]).split())
        click.echo(f"{hit.iri}\t{','.join(hit.fields)}\t{first[:100]}")
    if not hits:
        click.echo("nothing found" if en else "intet fundet", err=True)
    elif truncated:
        click.echo(f"(cut at {limit} hits; use --limit)" if en else f"(afskåret ved {limit} fund; brug --limit)", err=True)
