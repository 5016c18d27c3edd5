"""``regelgraf impact TARGET``: what depends on a provision, decision, agreement or municipality."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.export import IMPACT_FORMATS
from graph.impact import DEFAULT_REFERENCE_HOPS, DIRECTIONS, RELATION_NAMES


class ReferenceHops(click.ParamType):
    """A whole number of at least 0, or "all" (also "alle") for no limit (graph.impact.parse_reference_hops)."""

    name = "N|all"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        from graph.impact import ImpactError, parse_reference_hops

        try:
            return parse_reference_hops(value)
        except ImpactError as error:
            self.fail(f"{error.message_en} ({error})", param, ctx)


@click.command("impact")
@click.argument("target")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Only what is valid on this date (default: ignore validity).")
@click.option("--depth", type=click.IntRange(min=0), help="Most hops from the target (default: no limit).")
@click.option("--reference-hops", "reference_hops", type=ReferenceHops(), default=str(DEFAULT_REFERENCE_HOPS),
              show_default=True,
              help="Most references (citations, amendments, repeals, consolidations) on any one path from the target; "
                   "'all' for no limit. With 1, what cites the target is reported, what cites that is not.")
@click.option("--relations", metavar="NAME,…", help=f"Relations to follow (default: all): {', '.join(RELATION_NAMES)}.")
@click.option("--direction", type=click.Choice(DIRECTIONS), default="dependents", show_default=True)
@click.option("--format", "fmt", type=click.Choice(list(IMPACT_FORMATS)), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of standard output.")
@click.pass_obj
def command(obj, target, as_of, depth, reference_hops, relations, direction, fmt, output):  # type: ignore[no-untyped-def]
    """Everything that depends on TARGET (an IRI, a citation, a municipality or an agreement), with why."""
    from graph.export import ExportError, export_impact
    from graph.impact import ImpactError, impact

    lang = obj.settings.lang
    try:
        graph = impact(obj.store, target, as_of=as_of, depth=depth, relations=relations, direction=direction,
                       reference_hops=reference_hops)
        data = export_impact(graph, fmt)
    except (ImpactError, ExportError) as error:
        click.echo(f"fejl: {error.message_en if lang == 'en' else error}", err=True)
        sys.exit(2)
    if output:
        output.write_bytes(data)
        click.echo(f"skrev {len(graph.nodes)} knuder og {len(graph.edges)} kanter til {output}", err=True)
    else:
        sys.stdout.buffer.write(data)
