"""The kg command line. Parses options, calls one function, prints. No logic lives here.

Heavy libraries (pyoxigraph, rich, owlready2, pyvis, networkx) are imported inside the
commands that need them, so `kg --help` starts fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import click

from kg import __version__
from kg.errors import BadPathArgument, FileError, KgError, NothingFound
from kg.timeouts import Seconds

if TYPE_CHECKING:
    from kg.built import Build, OpenBuild
    from kg.corpus import Corpus

OUT_HELP = "Build directory: where the graph is written and read from."
P = ParamSpec("P")
R = TypeVar("R")


class _Group(click.Group):
    """Turns the project's errors (kg.errors) into their lines and exit code, in one place.

    An OSError that no writer turned into a FileError (a folder that cannot be created, a
    file that cannot be read) becomes one line naming its path too, and click's own check of
    a path argument a BadPathArgument: no traceback reaches a user for a path they gave."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            _fail(exc)
        except click.BadParameter as exc:
            _fail(_path_error(exc))
        except BrokenPipeError:  # `kg export | head`: the reader left; nothing to report
            _drop_stdout()
            sys.exit(1)
        except OSError as exc:
            if exc.filename is None and _from_echo(exc):  # `kg export > /dev/full`
                _drop_stdout()
                _fail(FileError.from_os_error(exc, "standard output"))
            _fail(FileError.from_os_error(exc))

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.BadParameter as exc:  # --project DIR
            _fail(_path_error(exc))


def _fail(exc: KgError) -> NoReturn:
    """The one place an error becomes what the user sees: its lines, then its exit code."""
    for line in exc.lines():
        click.echo(line, err=True)
    sys.exit(exc.exit_code)


def _from_echo(exc: BaseException) -> bool:
    """True when the error came from printing (click.echo), i.e. from standard output."""
    import traceback

    return any(
        frame.name == "echo" and frame.filename.endswith(os.path.join("click", "utils.py"))
        for frame in traceback.extract_tb(exc.__traceback__)
    )


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so Python's own flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _path_error(exc: click.BadParameter) -> BadPathArgument:
    """A path argument that does not exist or is of the wrong kind: one line, as a FileError
    is, instead of click's usage block. Other usage errors keep click's own message."""
    if exc.param is None or not isinstance(exc.param.type, click.Path):
        raise exc
    return BadPathArgument(exc.param.name or "", exc.format_message())


def _corpus(ctx: click.Context) -> Corpus:
    from kg.corpus import find_corpus

    return find_corpus(ctx.obj)


def _built(ctx: click.Context, out_dir: Path) -> Build:
    """--out as a fresh Build: the one place a command's build directory is made (built
    first when missing or older than its sources)."""
    from kg.built import ensure_built

    return ensure_built(_corpus(ctx), out_dir)


def _open_build(ctx: click.Context, out_dir: Path) -> OpenBuild:
    """The same, for a command that checks its own arguments before it needs the graph."""
    return lambda: _built(ctx, out_dir)


Command = Callable[P, R]  # a command's function, before and after its options are added


def _out_option(func: Command[P, R]) -> Command[P, R]:
    return click.option(
        "--out",
        "out_dir",
        default="out",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=OUT_HELP,
    )(func)


def _format_option(
    choices: _Choices, default: str, help_text: str, dest: str = "fmt"
) -> Callable[[Command[P, R]], Command[P, R]]:
    """--format / -f: one of the choices the command's module lists."""
    return click.option("--format", "-f", dest, type=choices, default=default, show_default=True, help=help_text)


def _choice_option(name: str, choices: _Choices, help_text: str) -> Callable[[Command[P, R]], Command[P, R]]:
    """An option taking one of the choices its module lists, with no default (None when not given)."""
    return click.option(name, type=choices, help=help_text)


def _data_option(help_text: str) -> Callable[[Command[P, R]], Command[P, R]]:
    """--data FILE: read this RDF file instead of the build (kg query, kg check)."""
    return click.option(
        "--data", "data_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help=help_text
    )


def _reasoner_option(help_text: str) -> Callable[[Command[P, R]], Command[P, R]]:
    """--reasoner, one of kg.reason.REASONERS (kg reason, kg check)."""
    return click.option(
        "--reasoner", type=_Choices("kg.reason", "REASONERS"), default="hermit", show_default=True, help=help_text
    )


class _Choices(click.Choice[str]):
    """A click.Choice whose list is the one its module defines (kg.query.RESULT_FORMATS,
    kg.reason.REASONERS...), joined for several, read when first needed: a command's own
    --help or its option's value, so `kg --help` imports none of them."""

    def __init__(self, *module_and_names: str, extra: tuple[str, ...] = (), case_sensitive: bool = True) -> None:
        self._lists = list(zip(module_and_names[::2], module_and_names[1::2], strict=True))
        self._extra = extra
        super().__init__((), case_sensitive)

    @property
    def choices(self) -> tuple[str, ...]:
        import importlib

        listed = (c for module, name in self._lists for c in getattr(importlib.import_module(module), name))
        return (*listed, *self._extra)

    @choices.setter
    def choices(self, value: object) -> None:
        """click.Choice sets its list on creation; this one reads it from its module."""


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True),
    envvar="KG_PROJECT",
    help="Corpus directory (with seeds/, optionally ontology/ and queries/). "
    "Default: the current directory if it has seeds/, else the corpus bundled with kg. Env: KG_PROJECT.",
)
@click.pass_context
def main(ctx: click.Context, project: str | None) -> None:
    """Build, check, query and export the knowledge graph of Central Asian film co-production.

    News articles in seeds/ are mapped by hand (seeds/NAME.yaml) into facts under the
    ontology in ontology/; every fact keeps the quote that states it. Start with
    `kg build`, then `kg query queries/countries_coproducing_with_kazakhstan.rq`.
    """
    ctx.obj = project


@main.command()
@_out_option
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success, and no progress bar.")
@click.option(
    "--jobs", "-j", type=click.IntRange(min=1), metavar="N", help="Check articles in N processes. Default: every core."
)
@click.option(
    "--full",
    is_flag=True,
    help="Check every article and load the store anew, ignoring what earlier builds kept in OUT/.cache.",
)
@click.pass_context
def build(ctx: click.Context, out_dir: Path, quiet: bool, jobs: int | None, full: bool) -> None:
    """Check every mapping and write the graph to OUT.

    Writes OUT/graph.ttl (the union of stated facts, registry entities and ontology labels,
    with their superclasses and superproperties), OUT/graph.trig and OUT/graph.nq (named
    graphs: one per article, plus provenance, metadata, entities, ontology and entailed), OUT/store (an Oxigraph store of the same quads, which
    `kg query` and `kg serve` open without parsing) and OUT/manifest.json. Every problem in
    the inputs is reported as file:line; on any problem nothing in OUT is changed. Outputs are
    replaced atomically. Articles are checked on every core; a progress bar shows on a
    terminal (not in CI, nor with --quiet). A mapping marked `draft: true` (as `kg new`
    writes it) is left out with one warning naming its file and line; the rest is built.
    One build at a time per OUT: another waits, at most $KG_BUILD_WAIT seconds (default 600).
    Incremental: an article whose mapping, text and registry entities are unchanged since the
    last build is taken from OUT/.cache, and the store is the last one with only the changed
    quads replaced; the outputs are the same bytes as a full build's (--full).
    """
    from kg.build import build as run_build
    from kg.build import progress_bar

    with progress_bar(enabled=not quiet) as progress:
        report = run_build(_corpus(ctx), out_dir, jobs=jobs, progress=progress, full=full)
    for draft in report.drafts:
        click.echo(
            f"warning: {draft}: draft mapping left out of the build (delete its draft: line when ready)", err=True
        )
    if not quiet:
        click.echo(
            f"built {report.articles} articles: {report.entities} entities, {report.facts} facts, "
            f"{report.quotes} quotes, {report.triples} triples (union), {report.quads} quads -> {report.out_dir}/"
        )
        for path in report.unmapped:
            click.echo(f"note: {path} has no mapping yet (kg new {path})")


@main.command()
@click.argument("query_file", type=click.Path(path_type=Path))
@_format_option(
    _Choices("kg.query", "RESULT_FORMATS"),
    "table",
    "Result format: a table for the terminal, or a W3C SPARQL results format. CONSTRUCT and DESCRIBE always print Turtle.",
    dest="result_format",
)
@_data_option("Query this RDF file (any format rdflib/oxigraph know by its extension) instead of the build.")
@click.option(
    "--bind",
    "-b",
    multiple=True,
    metavar="NAME=VALUE",
    help="Pre-bind a query variable. VALUE: a short id (person/akan-sataev, article/STEM, graph/article/STEM, "
    'claim/STEM/FACT-1), a prefixed name (cafo:Film), an <IRI>, a label in any script ("Самал Еслямова", '
    'typos forgiven; an ambiguous one lists the candidates), or "quoted text" / an integer for a literal. '
    "A value that names nothing in the graph exits 2 with a did-you-mean. With --endpoint only the syntax is "
    "resolved (nothing is checked against the server, and labels are refused). Repeatable.",
)
@click.option(
    "--allow-network", is_flag=True, help="Permit SERVICE and FROM, which can fetch remote data. Refused by default."
)
@click.option(
    "--inferred",
    is_flag=True,
    help="Also query the reasoner's graph (graph/inferred, written by `kg reason`). "
    "Default: the build's graphs, with its RDFS entailment (graph/entailed).",
)
@click.option(
    "--timeout",
    default="60",
    show_default=True,
    metavar="SECONDS",
    help="Stop the query after this many seconds (exit 2); 0 for no limit.",
)
@click.option(
    "--max-memory",
    metavar="MB",
    envvar="KG_QUERY_MAX_MEMORY",
    show_envvar=True,
    help="Stop an rdflib query that grows the process by more than this (exit 2); 0 for no limit. "
    "Default: 4096, or half the machine's memory when less.",
)
@_choice_option(
    "--engine",
    _Choices("kg.query", "ENGINES"),
    "oxigraph (default): the build's Oxigraph store, opened in milliseconds. "
    "rdflib: the build's N-Quads parsed by rdflib (the pure-Python reference; slow on large graphs).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Send the query to this SPARQL 1.1 endpoint (Oxigraph, Fuseki, Virtuoso, GraphDB, QLever, Neptune...) "
    "instead of the build. --bind becomes a trailing VALUES clause.",
)
@_out_option
@click.pass_context
def query(
    ctx: click.Context,
    query_file: Path,
    result_format: str,
    data_file: Path | None,
    bind: tuple[str, ...],
    allow_network: bool,
    inferred: bool,
    timeout: str,
    max_memory: str | None,
    engine: str | None,
    endpoint: str | None,
    out_dir: Path,
) -> None:
    """Run the SPARQL query in QUERY_FILE against the built graph.

    QUERY_FILE is a path, or the name of a file in the corpus's queries/ folder. The graph
    is built first when OUT is missing or older than its sources. The default graph is the
    union of all named graphs; use GRAPH for one article. A syntax error exits with 2 and
    names the line; an UPDATE is refused.
    """
    from kg.query import run_query_file

    click.echo(
        run_query_file(
            _corpus(ctx),
            query_file,
            result_format,
            data_file,
            allow_network,
            _open_build(ctx, out_dir),
            bind,
            inferred,
            timeout,
            engine=engine,
            endpoint=endpoint,
            max_memory=max_memory,
        ),
        nl=False,
    )


@main.command()
@click.argument("target", required=False, metavar="[ENTITY|FILE]")
@_format_option(
    _Choices("kg.serialize", "FORMATS", "viz.export", "FORMATS"),
    "turtle",
    "turtle, ntriples and xml (RDF/XML) hold the union graph; trig, nquads and jsonld keep the named graphs; "
    "jsonld-union is the union graph as JSON-LD with no named graph (for tools that read only the default graph, "
    "such as kglab); gexf and graphml hold a `kg viz` view (--view) for Gephi and Cytoscape.",
    dest="fmt",
)
@_choice_option(
    "--view",
    _Choices("viz.views", "VIEWS"),
    "gexf/graphml only: the `kg viz` view to export. Default: entities. ego takes an ENTITY "
    "(id or any label), article a FILE (seeds/NAME.txt or .yaml, or NAME).",
)
@_choice_option("--lang", _Choices("viz.network", "LANGS"), "gexf/graphml only: language of labels (default en).")
@click.option(
    "--depth",
    "-d",
    type=click.IntRange(min=0),
    help="gexf/graphml with --view ego only: how many links away (default 1).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of standard output.",
)
@click.option(
    "--asserted-only",
    is_flag=True,
    help="Leave out graph/entailed (the superclasses, superproperties and schema.org terms the build entails): "
    "only what the sources state. The network formats never hold it.",
)
@_out_option
@click.pass_context
def export(
    ctx: click.Context,
    target: str | None,
    fmt: str,
    view: str | None,
    lang: str | None,
    depth: int | None,
    output: Path | None,
    asserted_only: bool,
    out_dir: Path,
) -> None:
    """Export the graph in a standard format, deterministically.

    The same sources always give the same bytes. The project's prefixes are bound; JSON-LD
    is compacted with the published context (ontology/context.jsonld: short keys such as
    "director", ids such as "film/ayka-2018"), embedded in the file. gexf and graphml
    export a `kg viz` view with each node's IRI, class, label, colour, size and position,
    and the times the graph states (GEXF time attributes):

      kg export -f gexf --view coproduction -o coproduction.gexf

      kg export -f graphml --view ego "Samal Eslyamova" --depth 2

    The graph is built first when OUT is missing or stale.
    """
    from kg.errors import UsageError

    if fmt in ("gexf", "graphml"):
        from viz.export import export_network

        if depth is not None and view != "ego":
            raise UsageError("--depth applies to --view ego only")
        if target and view is None:
            raise UsageError(f"{target!r}: an ENTITY goes with --view ego, a FILE with --view article")
        data = export_network(
            _open_build(ctx, out_dir),
            fmt,
            output,
            view or "entities",
            target,
            lang or "en",
            1 if depth is None else depth,
        )
    else:
        given = [name for name, value in (("--view", view), ("--lang", lang), ("--depth", depth)) if value is not None]
        if given or target:
            what = ", ".join(given + ([repr(target)] if target else []))
            raise UsageError(
                f"{what}: a view's options (--view, --lang, --depth, ENTITY or FILE) are for -f gexf or graphml; "
                f"-f {fmt} exports the whole graph"
            )
        from kg.export import export_graph

        data = export_graph(_corpus(ctx), fmt, _open_build(ctx, out_dir), output, asserted_only=asserted_only)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)


@main.command()
@click.pass_context
def terms(ctx: click.Context) -> None:
    """List the ontology's classes and properties: what a mapping may use.

    For each property: its name, what it applies to (domain), what it takes (range), and
    its English label.
    """
    from kg.ontology import describe, load_ontology

    corpus = _corpus(ctx)
    click.echo(describe(load_ontology(corpus.ontology_files(), corpus.display)), nl=False)


@main.command()
@click.argument("article", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def new(ctx: click.Context, article: Path) -> None:
    """Write a mapping skeleton (NAME.yaml) beside the article NAME.txt.

    Metadata is filled from what the file says (its date header line, the languages its
    scripts suggest); everything else is left empty and explained. Never overwrites an
    existing mapping. The skeleton is marked `draft: true`: `kg build` leaves it out, with a
    warning, until that line is deleted; `kg check` lists it.
    """
    from kg.skeleton import write_skeleton

    target = write_skeleton(article, _corpus(ctx).display)
    click.echo(
        f"wrote {target} (a draft, which kg build leaves out): fill in its facts (docs/mapping-format.md), "
        "delete its draft: line, then run kg build"
    )


@main.group()
def entities() -> None:
    """Work with the shared entity registry (seeds/registry/*.yaml)."""


@entities.command("search")
@click.argument("text")
@click.option("--limit", default=20, show_default=True, help="Show at most this many entities.")
@click.pass_context
def entities_search(ctx: click.Context, text: str, limit: int) -> None:
    """Find registry entities by any label or alias, typos forgiven.

    Case- and diacritic-insensitive, and across Cyrillic and Latin spellings: "Dvortsevoy"
    finds "Дворцевой", "Kazakstan" Kazakhstan, "Еслямова Самал" Самал Еслямова. Ranked:
    exact, then prefix, then substring, then the same words in another order, then fuzzy by
    similarity. Reuse the id it prints instead of creating a twin entity. Exits 1 when
    nothing matches.
    """
    from kg.build import load_checked_registry

    hits = load_checked_registry(_corpus(ctx), text)[:limit]
    for entity, matched in hits:
        labels = " / ".join(f"{v} ({k})" for k, v in entity.labels.items())
        click.echo(f"{entity.id:<42} {entity.type:<16} {labels}   [matched: {matched}]")
    if not hits:
        raise NothingFound(text)


@main.command()
@click.argument("entity")
@_format_option(
    _Choices("kg.show", "FORMATS"),
    "text",
    "text: a page for the terminal; json: a stable document (id, iri, label, labels, alt_labels, "
    "classes, wikidata, facts: direction, property, value, status, editorial, evidence [article, title, "
    "quote, start, end], node [the folded n-ary node with its own facts]; see kg/show.py); turtle: the "
    "entity's triples, in and out, with the n-ary nodes it is part of.",
    dest="fmt",
)
@click.option(
    "--lang",
    type=_Choices("kg.show", "LANGS"),
    default="en",
    show_default=True,
    help="Language of labels and headings (falls back to en, ru, kk).",
)
@_out_option
@click.pass_context
def show(ctx: click.Context, entity: str, fmt: str, lang: str, out_dir: Path) -> None:
    """Everything the graph knows about ENTITY, with the quote behind each fact.

    ENTITY is an id (person/samal-yeslyamova), a full IRI, or any label or alias in any
    script, typos forgiven ("Самал Еслямова", "Samal Eslyamova"). Shows its labels in every
    language, class, Wikidata link, and every fact out and in grouped by property, each with
    its status, article title and verbatim quote; an n-ary fact (an award won, a
    performance, a position held) is folded into one entry with its award, work, event and
    date. An ambiguous label lists the candidates; a name of nothing gives a did-you-mean
    (both exit 2). Builds first when OUT is missing or stale.
    """
    from kg.show import show as show_entity

    click.echo(show_entity(_built(ctx, out_dir), entity, fmt, lang), nl=False)


@main.command()
@_out_option
@click.option("--top", default=10, show_default=True, help="How many of the most connected entities to list.")
@click.pass_context
def stats(ctx: click.Context, out_dir: Path, top: int) -> None:
    """Print what the graph holds, per article and in total, and its network measures.

    Per article: facts (and how many are editorial judgements), quotes, fact triples, and the
    entities its facts mention; the entities most facts mention. Then the measures of the
    drawn network (see `kg viz`): degree and betweenness centrality top lists, connected
    components, and each country's co-production partners. Builds first when OUT is
    missing or stale.
    """
    from kg.stats import collect, network_report, render
    from viz.network import projections

    build = _built(ctx, out_dir)
    click.echo(render(collect(build, top)))
    click.echo(network_report(build, projections, top), nl=False)


@main.command()
@click.pass_context
def queries(ctx: click.Context) -> None:
    """List the query library: each file in queries/ with its title and question."""
    from kg.query import library

    for query_file in library(_corpus(ctx)):
        click.echo(f"{query_file.path.name}\n    {query_file.title}: {query_file.question}")


@main.command()
@click.option(
    "--output",
    "-o",
    "site_dir",
    default="out/site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the site here (replaced whole; refused if it holds anything but an earlier site).",
)
@_out_option
@click.pass_context
def site(ctx: click.Context, site_dir: Path, out_dir: Path) -> None:
    """Write the graph as a static website that works from disk and from any static host.

    An index with search over every label, a page per entity (facts in and out, each quote
    linked to its article) with its .ttl and .jsonld, a page per article (the text as received,
    quoted spans highlighted and linked to their facts), the `kg viz` views, the query library
    with its answers, SPARQL in the browser (Oxigraph WebAssembly, no server) and the dumps.
    See docs/site.md for serving it so the w3id.org IRIs resolve.
    """
    from kg.site import build_site
    from viz.views import page_html

    report = build_site(_corpus(ctx), _open_build(ctx, out_dir), site_dir, page_html)
    click.echo(
        f"wrote {report.path}/index.html: {report.entities} entity pages, {report.articles} article pages, "
        f"{report.pages} pages, {report.bytes} bytes"
    )


@main.command()
@_out_option
@_reasoner_option(
    "hermit or pellet: an OWL 2 DL reasoner through owlready2 (needs Java), completed by the rules. "
    "rules: the SPARQL rules alone (OWL 2 RL-style; no Java; for large graphs)."
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.pass_context
def reason(ctx: click.Context, out_dir: Path, reasoner: str, quiet: bool) -> None:
    """Derive what follows from the stated facts into OUT/inferred.nq (graph/inferred).

    Reads the asserted graph of the build (rebuilt when stale): ontology, entities, article
    and editorial graphs. The reasoner proves it consistent and derives types and property
    values; SPARQL rules add every superclass, the schema.org view, inverse relations and
    co-production between countries (cafo:coProducedWith, cafo:CoProduction). The result
    goes to its own named graph, never into an article's: query it with
    `kg query --inferred`. An inconsistent graph exits with 1 and lists the statements that
    clash, each with the mapping file and line that asserted it; without Java, HermiT and
    Pellet exit with 3 (use --reasoner rules). On any error OUT is left unchanged.
    """
    from kg.reason import NAMES
    from kg.reason import reason as run_reason

    report = run_reason(_corpus(ctx), _open_build(ctx, out_dir), reasoner)
    if not quiet:
        click.echo(
            f"consistent ({NAMES[report.reasoner]}): {report.asserted} asserted triples -> "
            f"{report.inferred} inferred triples in graph/inferred -> {report.out_file} "
            f"({report.seconds_reasoner + report.seconds_rules:.1f} s)"
        )


@main.command()
@_out_option
@_format_option(
    _Choices("kg.check", "FORMATS"),
    "table",
    "A table for the terminal, TSV (level, check, entity, property, value, source, message) or JSON.",
    dest="fmt",
)
@click.option(
    "--fail-on",
    type=_Choices("kg.check", "LEVELS", extra=("NONE",), case_sensitive=False),
    default="ERROR",
    show_default=True,
    help="Exit with 1 when a finding has this level or a more severe one; NONE never fails.",
)
@click.option("--only", multiple=True, metavar="CHECK", help="Run only this check (repeatable). See --list.")
@click.option("--skip", multiple=True, metavar="CHECK", help="Do not run this check (repeatable).")
@_reasoner_option("What the consistency check runs (see kg reason).")
@_data_option("Check this RDF dataset file (.trig, .nq; .ttl for one graph) instead of the build.")
@click.option("--list", "list_checks", is_flag=True, help="List the checks with their levels and exit.")
@click.pass_context
def check(
    ctx: click.Context,
    out_dir: Path,
    fmt: str,
    fail_on: str,
    only: tuple[str, ...],
    skip: tuple[str, ...],
    reasoner: str,
    data_file: Path | None,
    list_checks: bool,
) -> None:
    """Report what is wrong or suspicious in the graph, each finding traced to its source.

    Modelled on ROBOT's report: every check returns entity, property, value with a level
    (ERROR, WARN, INFO) and the mapping file and line (or registry entry) that caused it.
    The checks: the reasoner's consistency, the SHACL shapes of ontology/checks/shapes.ttl
    (titles, production countries, labels, dates, amounts, evidence), the SPARQL queries in
    ontology/checks/*.rq (facts without evidence, unused entities, shared Wikidata ids),
    likely twins (labels equal after folding case, spaces and Cyrillic/Latin), quotes
    that no longer match their article, and draft mappings the build leaves out (INFO). The build is checked (rebuilt when stale) unless
    --data names a file. Exits with 1 when a finding reaches --fail-on.
    """
    from kg.check import describe_checks, render, run_checks

    corpus = _corpus(ctx)
    if list_checks:
        click.echo(describe_checks(corpus), nl=False)
        return
    report = run_checks(corpus, _open_build(ctx, out_dir), data_file, only, skip, reasoner)
    click.echo(render(report, fmt), nl=False)
    click.echo(report.summary(fail_on), err=True)
    ctx.exit(1 if report.failed(fail_on) else 0)


# -- kg viz: interactive HTML graphs (viz/) ----------------------------------------------


def _viz_options(func: Command[P, R]) -> Command[P, R]:
    """The options every view shares."""
    options: list[Callable[[Command[P, R]], Command[P, R]]] = [
        click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write the page here. Default: OUT/VIEW.html.",
        ),
        click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser."),
        click.option(
            "--lang",
            type=_Choices("viz.network", "LANGS"),
            default="en",
            show_default=True,
            help="Language of labels (falls back to the other).",
        ),
        click.option(
            "--layout",
            type=_Choices("viz.views", "LAYOUTS"),
            default="auto",
            show_default=True,
            help="physics: the browser lays out and nodes can be tugged; static: positions computed in "
            "Python, physics off (fast for large graphs); auto: static from 500 nodes.",
        ),
        _out_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.group()
def viz() -> None:
    """Draw the graph as an interactive HTML page that works offline.

    Each view writes one self-contained page (no network needed, nothing fetched): drag,
    zoom, search a node by any of its labels, filter by class, hover a node or link for its
    facts with the article and quote that state them, click for all of them. Nodes are
    coloured and shaped by class (legend in the page) and sized by degree. See docs/viz.md.
    """


@viz.command("entities")
@_viz_options
@click.pass_context
def viz_entities(ctx: click.Context, /, **options: Any) -> None:
    """The whole graph: entities and the relations between them."""
    _draw(ctx, "entities", **options)


@viz.command("coproduction")
@_viz_options
@click.pass_context
def viz_coproduction(ctx: click.Context, /, **options: Any) -> None:
    """Countries linked by the works they co-produced; each link names the works."""
    _draw(ctx, "coproduction", **options)


@viz.command("ego")
@click.argument("entity")
@click.option("--depth", "-d", type=click.IntRange(min=0), default=1, show_default=True, help="How many links away.")
@_viz_options
@click.pass_context
def viz_ego(ctx: click.Context, /, entity: str, depth: int, **options: Any) -> None:
    """The neighbourhood of ENTITY: an id (person/samal-yeslyamova) or any of its labels.

    Small n-ary nodes (an award won, a distribution) are looked through: one in reach
    brings its other parties along.
    """
    _draw(ctx, "ego", entity=entity, depth=depth, **options)


@viz.command("article")
@click.argument("file")
@_viz_options
@click.pass_context
def viz_article(ctx: click.Context, /, file: str, **options: Any) -> None:
    """What one article states. FILE: the article or its mapping (seeds/NAME.txt or .yaml) or NAME."""
    _draw(ctx, "article", article=file, **options)


def _draw(ctx: click.Context, view: str, *, out_dir: Path, **options: Any) -> None:
    """Every view: the build, the page drawn (viz.views.draw), one line saying what it holds.
    options: the shared view options (_viz_options) and the view's own, as click parsed them."""
    from viz.views import draw

    report = draw(_built(ctx, out_dir), view, **options)
    layout = "static layout" if report.static_layout else "physics layout"
    click.echo(f"wrote {report.path}: {report.nodes} nodes, {report.edges} links ({layout})")


@main.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on. Default: this machine only."
)
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option(
    "--timeout", default=30.0, show_default=True, type=Seconds(0.1, inclusive=True), help="Seconds a query may run."
)
@click.option(
    "--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1), help="Rows (or triples) per answer."
)
@click.option(
    "--cors", multiple=True, metavar="ORIGIN", help="Allow this web origin (repeatable; * for any). Default: none."
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests whose Host header is NAME (any port) or NAME:PORT (repeatable; * for any). "
    "Default: only 127.0.0.1, localhost and [::1] with the server's port, against DNS rebinding.",
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1), help="Queries run at once.")
@click.option(
    "--in-memory",
    is_flag=True,
    help="Each worker loads the graph into memory: queries about 5x faster, for memory and start-up time.",
)
@_out_option
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    cors: tuple[str, ...],
    allow_hosts: tuple[str, ...],
    workers: int,
    in_memory: bool,
    out_dir: Path,
) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/query.

    GET and POST queries (SPARQL 1.1 Protocol); results in the W3C formats by content
    negotiation (JSON, XML, CSV, TSV; Turtle, N-Triples or RDF/XML for CONSTRUCT). The
    default graph is the union of all graphs. UPDATE, SERVICE and FROM are refused; a query
    is stopped at --timeout (503) and cut at --max-rows (header X-SPARQL-MaxRows); a query over
    256 KiB is refused (413), and so is a request whose Host header is not this server's
    (--allow-host). The graph is built first when OUT is missing or stale; restart the server
    after a rebuild.
    """
    from kg.serve import ServeConfig
    from kg.serve import serve as run_server

    config = ServeConfig.of_build(
        _built(ctx, out_dir),
        in_memory,
        host=host,
        port=port,
        timeout=timeout,
        max_rows=max_rows,
        cors=cors,
        workers=workers,
        allow_hosts=allow_hosts,
    )
    run_server(config, announce=lambda line: click.echo(line, err=line.startswith("warning")))


@main.command()
@click.argument("article", required=False, metavar="[ARTICLE.txt]")
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free port).")
@click.option("--open/--no-browser", "open_browser", default=True, help="Open the page in the default browser.")
@click.option("--lang", type=click.Choice(["en", "ru", "kk"]), default="en", show_default=True, help="Labels shown.")
@_out_option
@click.pass_context
def author(ctx: click.Context, article: str | None, port: int, open_browser: bool, lang: str, out_dir: Path) -> None:
    """Map an article in the browser: select words, get a fact; writes the same YAML.

    Starts a local page on 127.0.0.1 and prints its address with a one-time token (requests
    without it, or from another origin, are refused). Left: ARTICLE as received, quoted words
    highlighted, sentences no fact cites marked. Right: its facts; select words for a new one,
    its quote exact. Each save is checked as kg build checks, then appended to the mapping and
    registry YAML atomically, comments and formatting kept; a file changed on disk meanwhile
    is never overwritten. An article with no mapping gets a `kg new` skeleton. The corpus is
    built first (into OUT; problems in it do not stop the page). Ctrl-C stops it.
    """
    import webbrowser

    from kg.author import Author, AuthorConfig, serve
    from viz.views import article_html

    session = Author(_corpus(ctx), _open_build(ctx, out_dir), article_html)
    stem, skeleton = session.start(article)
    if skeleton is not None:
        click.echo(f"wrote {skeleton} (a draft)")
    serve(
        session,
        AuthorConfig(port=port, article=stem, lang=lang),
        announce=click.echo,
        opened=webbrowser.open if open_browser else None,
    )


@main.command()
@click.option(
    "--endpoint", required=True, metavar="URL", help="The server's SPARQL query endpoint (checks the upload)."
)
@click.option(
    "--graph-store",
    metavar="URL",
    help="Its SPARQL 1.1 Graph Store endpoint. Default: the endpoint's .../query as .../store (Oxigraph).",
)
@click.option(
    "--batch-size", default=20_000, show_default=True, type=click.IntRange(min=1), help="Triples per request."
)
@click.option("--user", help="User name, when the server asks for one; password from $KG_ENDPOINT_PASSWORD or asked.")
@click.option("--no-verify", is_flag=True, help="Do not count each graph on the endpoint after the upload.")
@click.option(
    "--timeout",
    default=300.0,
    show_default=True,
    type=Seconds(),
    help="Seconds each request may take, from connecting to the last byte of the answer (exit 2 beyond).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success, and no progress bar.")
@_out_option
@click.pass_context
def push(
    ctx: click.Context,
    endpoint: str,
    graph_store: str | None,
    batch_size: int,
    user: str | None,
    no_verify: bool,
    timeout: float,
    quiet: bool,
    out_dir: Path,
) -> None:
    """Upload the built graph to a SPARQL server, named graphs kept (SPARQL 1.1 Graph Store).

    Each graph of OUT/graph.nq replaces the graph of the same name on the server (PUT, then
    POST in batches). Afterwards the endpoint is asked how many triples each graph holds; a
    difference, or any refusal by the server, exits with 1 and says which graph. The graph is
    built first when OUT is missing or stale. Examples: Oxigraph `--endpoint
    http://127.0.0.1:7878/query`; Virtuoso `--endpoint http://127.0.0.1:8890/sparql
    --graph-store http://127.0.0.1:8890/sparql-graph-crud-auth --user dba`.
    """
    from kg.build import progress_bar
    from kg.push import password_for
    from kg.push import push as run_push

    build = _built(ctx, out_dir)
    password = password_for(user, lambda question: str(click.prompt(question, hide_input=True)))
    with progress_bar(enabled=not quiet) as progress:
        report = run_push(
            build.nquads,
            endpoint,
            graph_store,
            batch_size,
            user,
            password,
            timeout,
            not no_verify,
            progress,
            build.report().quads,
        )
    if not quiet:
        checked = "; every graph checked on the endpoint" if report.verified else ""
        click.echo(
            f"pushed {report.triples} triples in {report.graphs} named graphs "
            f"({report.requests} requests) to {report.graph_store}{checked}"
        )
