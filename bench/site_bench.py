"""Benchmark of `kg site` on a synthetic corpus (bench/synth.py): how long the site takes to
write and how big it is. Target (issue 15): at most 60 s for 1,000 articles on 2 cores.

    python bench/site_bench.py                    # 1,000 articles
    python bench/site_bench.py --articles 200 --keep /tmp/site-200

The corpus is generated and built first (`kg build`, not timed: it is the build's benchmark),
then `kg site` runs as a subprocess on the fresh build, as a user runs it. Prints the wall
time, the number of files and the site's size in bytes, with the largest parts (the embedded
graph for in-browser SPARQL, the wasm, the dumps, the entity and article pages). A script that
prints numbers, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from synth import write_corpus  # noqa: E402


def kg(*args: str, project: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of kg and its worker process): on a shared machine the
    CPU time says what the wall time would be on an idle one, give or take the overlap."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg", "--project", str(project), *args], check=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def sizes(site: Path) -> dict[str, tuple[int, int]]:
    """(files, bytes) per top-level part of the site."""
    parts: dict[str, list[int]] = {}
    for path in site.rglob("*"):
        if path.is_file():
            rel = path.relative_to(site)
            key = rel.parts[0] if len(rel.parts) > 1 else rel.name
            entry = parts.setdefault(key, [0, 0])
            entry[0] += 1
            entry[1] += path.stat().st_size
    return {k: (v[0], v[1]) for k, v in sorted(parts.items(), key=lambda kv: -kv[1][1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", "-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Write the corpus, build and site here and keep them.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        root = args.keep or Path(tmp)
        write_corpus(root, args.articles, args.seed)
        build, _cpu = kg("build", "--quiet", "--out", str(root / "out"), project=root)
        seconds, cpu = kg("site", "--out", str(root / "out"), "-o", str(root / "site"), project=root)
        load = os.getloadavg()[0]
        parts = sizes(root / "site")
        files = sum(f for f, _b in parts.values())
        total = sum(b for _f, b in parts.values())
        print(f"\narticles: {args.articles}  (kg build: {build:.1f} s, not part of the site's time)")
        print(f"kg site: {seconds:.1f} s wall  (target <= 60 s: {'met' if seconds <= 60 else 'MISSED'})")
        print(f"         {cpu:.1f} s CPU in two processes; load average {load:.1f} on {os.cpu_count()} cores")
        print(f"site: {files} files, {total:,} bytes ({total / 2**20:.1f} MiB)")
        for name, (count, size) in parts.items():
            print(f"  {name:<22} {count:>7} files {size:>14,} bytes")


if __name__ == "__main__":
    main()
