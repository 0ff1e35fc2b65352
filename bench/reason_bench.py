"""How the cost of reasoning grows with the graph: HermiT and Pellet (through owlready2), the
project's SPARQL rules (pyoxigraph) and owlrl (OWL 2 RL in pure Python), on synthetic graphs
of about 10k, 100k and 1M triples. Prints a table; not a test.

    python bench/reason_bench.py                       # 10k, 100k, 1M; 600 s per run
    python bench/reason_bench.py --sizes 10000 --timeout 120 --engines rules,hermit

Each graph is the real ontology (ontology/cafilm.ttl) plus a synthetic ABox shaped like the
asserted graph of the seed build: registry entities with English and Russian labels, simple
facts (production countries, directors, cast, places, descriptions...) and n-ary nodes (award
wins, statements, distributions with a status, budgets). Deterministic for a seed.

Every run is a separate process (its own session, so a Java reasoner it starts is stopped
with it), killed at the time limit; its peak memory is that process's and its children's.
An engine that exceeded the limit (or ran out of memory) on a graph is not run on the larger
ones. Graphs and results go to bench/results/ (not tracked).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
ENGINES = ("rules", "hermit", "pellet", "owlrl")
ID = "https://w3id.org/ca-film/id/"
CAFO = "https://w3id.org/ca-film/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
ARTICLE_GRAPH = "https://w3id.org/ca-film/graph/article/synthetic"

# -- the synthetic graph ---------------------------------------------------------------------------


def _iri(kind: str, n: int) -> str:
    return f"<{ID}{kind}/{kind}-{n}>"


def _p(name: str) -> str:
    return f"<{CAFO}{name}>"


def _text(value: str, lang: str) -> str:
    return json.dumps(value, ensure_ascii=False) + f"@{lang}"


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


class _Lines(dict):
    """Insertion-ordered set of N-Triples lines: a repeated fact counts once."""

    def __iadd__(self, lines):
        for line in lines:
            self[line] = None
        return self

    def append(self, line: str) -> None:
        self[line] = None


def synthetic_abox(target: int, seed: int = 1) -> list[str]:
    """`target` distinct N-Triples lines of ABox: entities first, then facts until the target."""
    rng = random.Random(seed)
    lines = _Lines()
    entities = max(60, target // 15)
    pools = {
        "country": ("Country", max(10, min(60, entities // 50))),
        "city": ("City", max(5, entities // 20)),
        "person": ("Person", max(10, entities // 3)),
        "film": ("Film", max(5, entities // 5)),
        "series": ("TVSeries", max(2, entities // 30)),
        "org": ("ProductionCompany", max(5, entities // 10)),
        "festival": ("Festival", max(2, entities // 100)),
        "event": ("FestivalEdition", max(4, entities // 40)),
        "award": ("Award", max(2, entities // 60)),
    }
    size = {kind: count for kind, (_cls, count) in pools.items()}
    for kind, (cls, count) in pools.items():
        for n in range(count):
            subject = _iri(kind, n)
            lines.append(f"{subject} <{RDF_TYPE}> {_p(cls)} .")
            lines.append(f"{subject} <{RDFS_LABEL}> {_text(f'{kind} {n}', 'en')} .")
            lines.append(f"{subject} <{RDFS_LABEL}> {_text(f'{kind} {n} (ru)', 'ru')} .")

    def pick(kind: str) -> str:
        # Zipf-like: a few countries, festivals and people appear very often.
        return _iri(kind, min(size[kind] - 1, int(size[kind] * rng.random() ** 2.5)))

    def work() -> str:
        return pick("series") if rng.random() < 0.15 else pick("film")

    statuses = ["Planned", "Negotiating", "Announced", "Done"]
    node = 0
    while len(lines) < target:
        node += 1
        roll = rng.random()
        if roll < 0.12:
            w = work()
            for country in {pick("country") for _ in range(rng.randint(1, 4))}:
                lines.append(f"{w} {_p('productionCountry')} {country} .")
        elif roll < 0.22:
            lines.append(f"{work()} {_p('director')} {pick('person')} .")
        elif roll < 0.30:
            lines.append(f"{work()} {_p('castMember')} {pick('person')} .")
        elif roll < 0.34:
            lines.append(f"{work()} {_p('producer')} {pick('person')} .")
        elif roll < 0.40:
            lines.append(f"{work()} {_p('productionCompany')} {pick('org')} .")
        elif roll < 0.50:
            lines.append(f"{work()} {_p('description')} {_text(f'a description {node}', 'en')} .")
            lines.append(f"{work()} {_p('description')} {_text(f'описание {node}', 'ru')} .")
        elif roll < 0.58:
            # occupation takes a concept of ontology/concepts.ttl (issue 12), not text
            lines.append(
                f"{pick('person')} {_p('occupation')} <https://w3id.org/ca-film/concept/occupation/film-director> ."
            )
        elif roll < 0.62:
            lines.append(f"{pick('person')} {_p('nationality')} {pick('country')} .")
        elif roll < 0.66:
            lines.append(f"{work()} {_p('filmingLocation')} {pick('city')} .")
        elif roll < 0.69:
            lines.append(f"{pick('city')} {_p('locatedIn')} {pick('country')} .")
        elif roll < 0.72:
            edition = pick("event")
            lines.append(f"{edition} {_p('editionOf')} {pick('festival')} .")
            lines.append(f"{edition} {_p('location')} {pick('city')} .")
        elif roll < 0.78:
            win = _iri("award-win", node)
            lines += [
                f"{win} <{RDF_TYPE}> {_p('AwardWin')} .",
                f"{win} {_p('award')} {pick('award')} .",
                f"{win} {_p('awardee')} {pick('person')} .",
                f"{win} {_p('forWork')} {work()} .",
            ]
        elif roll < 0.88:
            statement = _iri("statement", node)
            lines += [
                f"{statement} <{RDF_TYPE}> {_p('Statement')} .",
                f"{statement} {_p('speaker')} {pick('person')} .",
                f"{statement} {_p('statementKind')} {_p('Interest')} .",
                f"{statement} {_p('about')} {pick('country')} .",
                f"{statement} {_p('status')} {_p('Announced')} .",
            ]
        elif roll < 0.94:
            distribution = _iri("distribution", node)
            lines += [
                f"{distribution} <{RDF_TYPE}> {_p('Distribution')} .",
                f"{distribution} {_p('distributedWork')} {work()} .",
                f"{distribution} {_p('territory')} {pick('country')} .",
                f"{distribution} {_p('status')} {_p(rng.choice(statuses))} .",
            ]
        else:
            amount = _iri("amount", node)
            lines += [
                f"{work()} {_p('budget')} {amount} .",
                f"{amount} <{RDF_TYPE}> {_p('MonetaryAmount')} .",
                f"{amount} {_p('amount')} {_typed(str(rng.randint(1, 90) * 100000), 'decimal')} .",
                f"{amount} {_p('currency')} {_typed(rng.choice(['EUR', 'USD', 'KZT']), 'string')} .",
            ]
    return list(lines)[:target]


def ontology_ntriples() -> list[str]:
    from rdflib import Graph

    graph = Graph()
    graph.parse(ROOT / "ontology" / "cafilm.ttl", format="turtle")
    data = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return [line for line in data.splitlines() if line.strip()]


def write_graph(target: int, seed: int) -> Path:
    """The ontology plus a synthetic ABox, `target` triples in all, as N-Triples."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"reason-{target}.nt"
    if not path.exists():
        ontology = ontology_ntriples()
        abox = synthetic_abox(target - len(ontology), seed)
        path.write_text("\n".join(sorted(set(ontology) | set(abox))) + "\n", encoding="utf-8")
    return path


# -- one run (in its own process) -----------------------------------------------------------------


def run_engine(engine: str, path: Path, java_memory_mb: int) -> dict:
    """Reason over the graph in `path`; what the parent reads as JSON on stdout, with the
    peak memory of this process and of the Java reasoner it ran."""
    result = _run_engine(engine, path, java_memory_mb)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_mb"] = round(max(own, children) / 1024)
    result["seconds"] = round(result["seconds"], 2)
    return result


def _run_engine(engine: str, path: Path, java_memory_mb: int) -> dict:
    sys.path.insert(0, str(ROOT))
    data = path.read_bytes()
    started = time.perf_counter()
    if engine in ("hermit", "pellet"):
        from kg.reason import _Inconsistent, owl_reason

        try:
            derived = owl_reason(data, engine, java_memory_mb)
        except _Inconsistent:
            return {"seconds": time.perf_counter() - started, "inferred": 0, "consistent": False}
        return {"seconds": time.perf_counter() - started, "inferred": derived.count(b"\n"), "consistent": True}
    if engine == "rules":
        import pyoxigraph

        from kg.reason import apply_rules, find_clashes, materialise

        store = pyoxigraph.Store()
        graph = pyoxigraph.NamedNode(ARTICLE_GRAPH)
        store.bulk_load(data, format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
        loaded = time.perf_counter()
        apply_rules(store, [graph])
        consistent = not find_clashes(store, [graph])
        quads = materialise(store, [graph])
        return {
            "seconds": time.perf_counter() - started,
            "load_seconds": loaded - started,
            "inferred": len(quads),
            "consistent": consistent,
        }
    if engine == "owlrl":
        import owlrl
        from rdflib import Graph

        graph = Graph()
        graph.parse(data=data, format="nt")
        before = len(graph)
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
        return {"seconds": time.perf_counter() - started, "inferred": len(graph) - before, "consistent": None}
    raise SystemExit(f"unknown engine {engine}")


def measure(engine: str, path: Path, timeout: float, java_memory_mb: int) -> dict:
    """Run one engine on one graph in a child process with a time limit."""
    command = [sys.executable, __file__, "--worker", engine, str(path), "--java-memory", str(java_memory_mb)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=ROOT)
    try:
        stdout, stderr = child.communicate(timeout=timeout)
        status = "ok" if child.returncode == 0 else "failed"
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)  # the worker and the Java reasoner it started
        stdout, stderr = child.communicate()
        status = "timeout"
    wall = time.perf_counter() - started
    result = {"engine": engine, "status": status, "wall_seconds": round(wall, 1)}
    if status == "ok":
        result.update(json.loads(stdout.decode("utf-8").strip().splitlines()[-1]))
    else:
        tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        result["error"] = " | ".join(tail)[:300]
    return result


# -- the table ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="triples per graph, comma-separated")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"any of {', '.join(ENGINES)}")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    parser.add_argument("--java-memory", type=int, default=8000, help="Java heap for HermiT/Pellet, MB")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, path = args.worker
        print(json.dumps(run_engine(engine, Path(path), args.java_memory)))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    engines = [e for e in args.engines.split(",") if e]
    given_up: dict[str, str] = {}
    rows = []
    print(f"# load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; time limit {args.timeout:g} s per run")
    for size in sizes:
        path = write_graph(size, args.seed)
        triples = sum(1 for _ in path.open("rb"))
        for engine in engines:
            if engine in given_up:
                rows.append({"engine": engine, "triples": triples, "status": "skipped", "note": given_up[engine]})
                continue
            result = measure(engine, path, args.timeout, args.java_memory)
            result["triples"] = triples
            rows.append(result)
            if result["status"] != "ok":
                given_up[engine] = f"{result['status']} at {triples:,} triples"
            print(_row(result), flush=True)
    (RESULTS / "reason.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(rows))


def _row(r: dict) -> str:
    return json.dumps(r)


def table(rows: list[dict]) -> str:
    """Markdown. 'inferred triples' is what each engine adds, which differs by engine: HermiT and
    Pellet (through owlready2) add direct types and object property values, owlrl the whole
    OWL 2 RL closure (ontology-level triples included), the rules the graph/inferred that
    kg reason writes."""
    lines = [
        "| triples | engine | status | seconds | peak MB | inferred triples | consistent |",
        "|--------:|--------|--------|--------:|--------:|-----------------:|------------|",
    ]
    for r in rows:
        seconds = (
            f"{r['seconds']:.1f}"
            if "seconds" in r
            else (f"> {r['wall_seconds']:.0f}" if r["status"] == "timeout" else "")
        )
        inferred = f"{r['inferred']:,}" if "inferred" in r else ""
        consistent = (
            {True: "yes", False: "no", None: "not checked"}.get(r.get("consistent"), "") if r["status"] == "ok" else ""
        )
        status = r["status"] if r["status"] != "skipped" else f"skipped ({r['note']})"
        peak = f"{r['peak_mb']:,}" if "peak_mb" in r else ""
        lines.append(
            f"| {r['triples']:,} | {r['engine']} | {status} | {seconds} | {peak} | {inferred} | {consistent} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
