"""The ``regelgraf`` command line: one group, verbs as subcommands, store options declared once.

The CLI only parses arguments, calls one library function and prints; everything it does is
available from ``graph`` directly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

import click
from rdflib import Dataset, URIRef

from graph.settings import DATA_DIR, Settings

EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2

QUERY_FORMATS = ("table", "json", "csv", "tsv", "ttl")
EXPORT_FORMATS = {"nquads": "nquads", "trig": "trig", "ttl": "turtle", "turtle": "turtle", "jsonld": "jsonld", "ntriples": "ntriples", "rdfxml": "rdfxml"}


class Context:
    """What the group options decided, and the store opened lazily from it."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._store = None

    @property
    def store(self):  # type: ignore[no-untyped-def]
        if self._store is None:
            from graph.store import open_store

            s = self.settings
            location = None if s.endpoint else s.store
            # open_store makes missing directories itself and names a path it cannot use.
            self._store = open_store(
                s.backend, location=location, endpoint=s.endpoint,
                update_endpoint=s.update_endpoint, store_endpoint=s.store_endpoint,
            )
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(f"fejl: {message}", err=True)
    sys.exit(code)


class ErrorHandlingGroup(click.Group):
    """Turns the library's known errors into one clear line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        from graph.authoring import AuthoringError, AuthoringErrors
        from graph.loading import ValidationFailed
        from graph.queries import CatalogueError, ParameterError, UnknownQueryError
        from graph.rdfio import RdfFileError
        from graph.resolve import ResolveError
        from graph.store import StoreError

        try:
            return super().invoke(ctx)
        except ValidationFailed as error:
            click.echo(_render_results(error.new_results, _lang(ctx)), err=True)
            fail(f"{len(error.new_results)} overtrædelse(r); intet blev skrevet til lageret", EXIT_VIOLATIONS)
        except (AuthoringError, AuthoringErrors) as error:
            fail(error.render(_lang(ctx)))
        except StoreError as error:
            fail(error.messages.get(_lang(ctx), str(error)))
        except (RdfFileError, CatalogueError, ParameterError, UnknownQueryError, ResolveError) as error:
            fail(str(error))
        finally:
            if isinstance(ctx.obj, Context):
                ctx.obj.close()


def _lang(ctx: click.Context) -> str:
    return ctx.obj.settings.lang if isinstance(ctx.obj, Context) else "da"


def _render_results(results, lang: str) -> str:  # type: ignore[no-untyped-def]
    from graph.validation import ValidationReport

    return ValidationReport(conforms=False, results=list(results)).to_text(lang)


@click.group(cls=ErrorHandlingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), help="Embedded store directory [REGELGRAF_STORE; default instance/store].")
@click.option("--endpoint", help="SPARQL query endpoint of a remote store [REGELGRAF_ENDPOINT].")
@click.option("--update-endpoint", help="SPARQL update endpoint of a remote store [REGELGRAF_UPDATE_ENDPOINT].")
@click.option("--store-endpoint", help="Graph Store Protocol URL of a remote store [REGELGRAF_STORE_ENDPOINT].")
@click.option("--backend", type=click.Choice(["oxigraph", "memory", "remote"]), help="Store backend [REGELGRAF_BACKEND].")
@click.option("--lang", type=click.Choice(["da", "en"]), help="Language of messages and reports [REGELGRAF_LANG; default da].")
@click.pass_context
def cli(ctx: click.Context, **options: object) -> None:
    """regelgraf: a legal-rule knowledge graph of Danish legislation and the velfærdsaftaler."""
    try:
        settings = Settings.from_env(**options)
    except ValueError as error:
        fail(str(error))
    if settings.store and options.get("store") and settings.endpoint:
        fail("--store and --endpoint exclude each other; choose the embedded store or a remote endpoint")
    ctx.obj = Context(settings)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", "graph_iri", help="Load everything into this named graph (default: one graph per file).")
@click.option("--add", is_flag=True, help="Add to the named graph instead of replacing it.")
@click.pass_obj
def load(obj: Context, files: tuple[Path, ...], graph_iri: str | None, add: bool) -> None:
    """Load RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD), all or nothing."""
    from graph.loading import load_files

    summary = load_files(obj.store, list(files), graph=URIRef(graph_iri) if graph_iri else None, replace=not add, lang=obj.settings.lang)
    for name, triples in summary.graphs.items():
        click.echo(f"{triples:>8} tripler  <{name}>")
    click.echo(f"indlæst: {summary.triples} tripler i {len(summary.graphs)} graf(er)")


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.pass_obj
def build(obj: Context, sources: tuple[Path, ...]) -> None:
    """Compile authored source files (default: the shipped data/) to RDF, validate and load them."""
    from graph.authoring import compile_sources
    from graph.loading import load_graphs, ontology_graphs
    from graph.resolve import reference_context

    paths = list(sources) or [DATA_DIR]
    for path in paths:
        if not path.exists():
            fail(f"{path}: findes ikke; angiv en YAML-fil eller en mappe med YAML-filer")
    graphs = compile_sources(paths, context=reference_context(obj.store))
    summary = load_graphs(obj.store, {**ontology_graphs(), **graphs}, lang=obj.settings.lang)
    click.echo(f"bygget: {summary.triples} tripler i {len(summary.graphs)} graf(er) fra {len(graphs)} kildefil(er)")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "ttl"]), default="text", show_default=True)
@click.pass_obj
def validate(obj: Context, files: tuple[Path, ...], fmt: str) -> None:
    """Validate files, or the whole store, against the SHACL shapes; exit 1 on violations."""
    if files:
        from graph.rdfio import read_rdf_files
        from graph.validation import validate as shacl_validate

        dataset = Dataset()
        for name, content in read_rdf_files(list(files)).items():
            target = dataset.graph(name)
            for triple in content:
                target.add(triple)
        report = shacl_validate(dataset, lang=obj.settings.lang)
    else:
        # The store validates itself with the compiled shapes (graph.conformance: the same results
        # as pySHACL, proven on every shape fixture); pySHACL over a copy of a national store
        # would take hours and tens of gigabytes.
        from graph.conformance import validate_store

        report = validate_store(obj.store, lang=obj.settings.lang)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(obj.settings.lang), ensure_ascii=False, indent=2))
    elif fmt == "ttl":
        click.echo(report.to_turtle())
    else:
        click.echo(report.to_text(obj.settings.lang))
    if any("violation" in str(r.severity).lower() for r in report.results):
        sys.exit(EXIT_VIOLATIONS)


@cli.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True)
@click.option("--limit", type=int, help="Maximum rows (default: REGELGRAF_ROW_LIMIT).")
@click.pass_obj
def query(obj: Context, query: str, params: tuple[str, ...], fmt: str, limit: int | None) -> None:
    """Run a named query from queries/ (or a .rq file) with bound parameters."""
    from graph.queries import Catalogue, load_query_file, run_named_query
    from graph.tables import render_table

    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"--param {item!r}: skriv parameteren som NAVN=VÆRDI")
        values[name.strip()] = value
    if query.endswith(".rq"):
        if not Path(query).is_file():
            fail(f"{query}: findes ikke")
        named = load_query_file(Path(query))
    else:
        named = Catalogue.load().get(query)
    result = run_named_query(obj.store, named, values, limit=limit or obj.settings.row_limit)
    if result.graph is not None:
        if fmt not in ("ttl", "table"):
            fail(f"{named.name} returnerer en graf; brug --format ttl")
        click.echo(result.graph.serialize(format="turtle"))
        return
    if fmt == "ttl":
        fail(f"{named.name} returnerer en tabel; brug --format table, json, csv eller tsv")
    if fmt == "json":
        click.echo(json.dumps(result.to_sparql_json(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(result.to_csv(), nl=False)
    elif fmt == "tsv":
        click.echo(result.to_tsv(), nl=False)
    else:
        click.echo(render_table(result))
    if result.truncated:
        click.echo(f"advarsel: resultatet er afkortet til {limit or obj.settings.row_limit} rækker", err=True)


@cli.command()
@click.pass_obj
def queries(obj: Context) -> None:
    """List the named queries with their parameters."""
    from graph.queries import Catalogue

    for named in Catalogue.load():
        params = ", ".join(f"{p.name}{'' if p.required else '?'}:{p.type}" for p in named.params)
        click.echo(f"{named.name:<28} {named.summary}" + (f"  [{params}]" if params else ""))


@cli.command()
@click.option("--graph", "graph_iri", help="Export one named graph only.")
@click.option("--format", "fmt", type=click.Choice(sorted(EXPORT_FORMATS)), default="nquads", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of standard output.")
@click.pass_obj
def export(obj: Context, graph_iri: str | None, fmt: str, output: Path | None) -> None:
    """Export the store, or one named graph, as RDF."""
    data = obj.store.dump(EXPORT_FORMATS[fmt], URIRef(graph_iri) if graph_iri else None)
    if output:
        output.write_bytes(data)
        click.echo(f"skrev {len(data)} bytes til {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@cli.command()
@click.pass_obj
def info(obj: Context) -> None:
    """Show which store is in use and what it holds."""
    store = obj.store
    click.echo(store.describe())
    names = store.graph_names()
    click.echo(f"{len(names)} navngivne grafer, {store.count()} quads")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--build-if-empty", is_flag=True, help="Build the shipped data first when the store holds nothing.")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL Update at /sparql from clients that send the token in REGELGRAF_UPDATE_TOKEN.")
@click.pass_obj
def serve(obj: Context, host: str, port: int, build_if_empty: bool, allow_update: bool) -> None:
    """Serve the web UI and the SPARQL endpoint /sparql with a production WSGI server (waitress)."""
    import os

    from webui import MIN_TOKEN_LENGTH, create_app, serve as serve_app

    token = os.environ.get("REGELGRAF_UPDATE_TOKEN", "")
    if allow_update and len(token) < MIN_TOKEN_LENGTH:
        fail(f"--allow-update kræver et token på mindst {MIN_TOKEN_LENGTH} tegn i REGELGRAF_UPDATE_TOKEN "
             "(fx: export REGELGRAF_UPDATE_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe(32))'))")
    store = obj.store
    if build_if_empty and not store.graph_names():
        click.echo("lageret er tomt; bygger de medfølgende data …", err=True)
        from graph.authoring import compile_sources
        from graph.loading import load_graphs, ontology_graphs

        load_graphs(store, {**ontology_graphs(), **compile_sources([DATA_DIR])}, lang=obj.settings.lang)
    app = create_app({**_web_config_from_env(os.environ), "REGELGRAF_STORE": store, "REGELGRAF_LANG": obj.settings.lang,
                      "REGELGRAF_ALLOW_UPDATE": allow_update, "REGELGRAF_UPDATE_TOKEN": token or None})
    click.echo(f"regelgraf kører på http://{host}:{port}/ (stop med Ctrl+C)", err=True)
    click.echo(f"SPARQL-endpoint: http://{host}:{port}/sparql ({'med opdateringer' if allow_update else 'kun læsning'})", err=True)
    serve_app(app, host=host, port=port)


def _web_config_from_env(environ: Mapping[str, str]) -> dict[str, object]:
    """The documented web-app keys set in the environment, converted to their defaults' types."""
    from webui import CONFIG_KEYS

    config: dict[str, object] = {}
    for key in CONFIG_KEYS:
        raw = environ.get(key.name)
        if raw is None or key.name in ("REGELGRAF_STORE", "REGELGRAF_STORE_DIR", "REGELGRAF_ENDPOINT"):
            continue  # the store is chosen by the global options
        try:
            if isinstance(key.default, bool):
                config[key.name] = raw.strip().lower() in ("1", "true", "yes", "ja")
            elif isinstance(key.default, (int, float)):
                config[key.name] = type(key.default)(raw)
            else:
                config[key.name] = raw
        except ValueError:
            fail(f"{key.name}={raw!r}: skal være et tal som standardværdien {key.default!r}")
    return config


def main() -> None:
    cli(prog_name="regelgraf")


def _register_command_modules() -> None:
    from graph.commands import register

    register(cli)


_register_command_modules()
