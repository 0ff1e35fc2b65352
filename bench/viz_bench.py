"""Benchmark of `kg viz` on synthetic graphs: projection, page writing, and time to interactive.

    python bench/viz_bench.py                      # 1,000, 5,000 and 20,000 nodes
    python bench/viz_bench.py --sizes 1000 5000 --repeat 3 --no-browser

For each size: a synthetic built dataset (viz.synthetic: the build's named graphs, claims and
quotes, skewed popularity), then
  project   RDF dataset -> networkx projection (viz.network.project)
  layout    of which: positions computed in Python (viz.layout), above 500 nodes
  html      networkx -> page written to disk (viz.page.write_page), layout included
  ready     Chromium (headless, offline): navigation until the page is drawn and answers
  search    a search by label, once ready: until the node is selected and focused
Times in seconds, medians of --repeat runs. A script that prints a table, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import ARGS, CHROMIUM
from viz.layout import positions
from viz.network import project
from viz.page import STATIC_LAYOUT_MIN_NODES, write_page
from viz.synthetic import synthetic_dataset


def _timed(func, *args):
    start = time.perf_counter()
    value = func(*args)
    return value, time.perf_counter() - start


def browser_times(browser, path: Path, label: str) -> tuple[float, float, float]:
    """(wall seconds to interactive, the page's own performance.now() at ready, search seconds)."""
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
    leaked: list[str] = []

    def route(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            leaked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(path.resolve().as_uri())
    while not page.evaluate("() => !!(window.kg && window.kg.ready)"):
        time.sleep(0.02)
    wall = time.perf_counter() - start
    in_page = page.evaluate("kg.timing.ready") / 1000
    _, search = _timed(page.evaluate, f"kg.search({label!r})")
    context.close()
    if leaked:
        raise SystemExit(f"requests left the file: {leaked[:3]}")
    return wall, in_page, search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; medians are reported")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    options = parser.parse_args()

    playwright = browser = None
    if not options.no_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)

    header = f"{'nodes':>7} {'edges':>7} {'quads':>8} {'project':>8} {'layout':>7} {'html':>6} {'MB':>5} {'ready':>6} {'(page)':>6} {'search':>6}"
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for size in options.sizes:
            dataset = synthetic_dataset(size)
            quads = sum(1 for _ in dataset.quads((None, None, None, None)))
            rows = []
            for run in range(options.repeat):
                graph, t_project = _timed(project, dataset)
                _, t_layout = _timed(positions, graph) if size >= STATIC_LAYOUT_MIN_NODES else (None, 0.0)
                path = Path(tmp) / f"graph-{size}-{run}.html"
                _, t_html = _timed(write_page, graph, path)
                ready = in_page = search = float("nan")
                if browser is not None:
                    ready, in_page, search = browser_times(browser, path, graph.nodes["person/p0"]["label"])
                rows.append((t_project, t_layout, t_html, ready, in_page, search))
            med = [statistics.median(column) for column in zip(*rows, strict=True)]
            megabytes = path.stat().st_size / 1e6
            print(
                f"{graph.number_of_nodes():>7} {graph.number_of_edges():>7} {quads:>8} {med[0]:>8.2f} {med[1]:>7.2f} "
                f"{med[2]:>6.2f} {megabytes:>5.1f} {med[3]:>6.2f} {med[4]:>6.2f} {med[5]:>6.2f}",
                flush=True,
            )
    if browser is not None:
        browser.close()
        playwright.stop()


if __name__ == "__main__":
    main()
