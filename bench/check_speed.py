"""`check` of the synthetic project with and without `.briefgen-cache/` and after one claim was edited,
and the no-op rebuild of the shipped project against its full build: each a fresh process, run
alternately.

    python bench/check_speed.py [--runs 5] [--scale 1.0]

What `make bench` measures too, in minutes rather than eight: for a busy machine, where the whole
benchmark's figures would drift apart. Prints a Markdown table for bench/RESULTS.md with wall and
CPU medians (CPU time moves far less than wall time with the neighbours' load) and the 1-minute
load average before and after.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from orphans import adopt_orphans, reaped_cpu  # type: ignore[import-not-found]  # noqa: E402
from synth import generate  # type: ignore[import-not-found]  # noqa: E402


def timed(args: list[str], cwd: Path, **env: str) -> tuple[float, float]:
    """Wall and CPU seconds (the process and its children) of one `briefgen` run."""
    cmd = [sys.executable, "-m", "briefgen", *args]
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environ.update({"PYTHONPATH": str(ROOT), **env})
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: a project with warnings under --strict
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_utime + usage.ru_stime + reaped_cpu()  # with a helper left to end (orphans.py)


def edit_one_claim(config: Path, n: int) -> None:
    """Give the first fact's claim a different last word each time (as an analyst's edit would): the
    file's parse and that fact's claim support are no longer remembered, the rest is."""
    text = config.read_text(encoding="utf-8")
    start = text.index("claim: ", text.index("\nfacts:")) + len("claim: ")
    end = text.index("\n", start)
    claim = text[start:end].removesuffix(" again").removesuffix(" too")
    config.write_text(text[:start] + claim + (" again" if n % 2 else " too") + text[end:], encoding="utf-8")


def alternate(runs: int, **commands: object) -> dict[str, list[tuple[float, float]]]:
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, make in commands.items():
            results[name].append(make())  # type: ignore[operator]
    return results


def medians(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs)


TARGET_S = 1.2  # the check's target (issue 18)


def spread(pairs: list[tuple[float, float]]) -> str:
    """The fastest run and how many met the target: this machine's speed moves from one second to
    the next (the same check took 1.12 s and 1.8 s within minutes), so a median alone hides whether
    the target is met when the machine is quiet."""
    walls = sorted(w for w, _ in pairs)
    return f"{walls[0]:.2f} s | {sum(w <= TARGET_S for w in walls)} of {len(walls)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "briefgen", quiet=1)  # as an installed package would be (and run.py does)
    adopt_orphans()  # the CPU figures count the helpers a check left to end (orphans.py)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="briefgen-check-") as tmp:
        work = Path(tmp)
        synthetic = work / "synthetic"
        generate(synthetic, args.scale)
        config = str(synthetic / "briefs.yaml")
        timed(["check", "--config", config], synthetic)  # fills .briefgen-cache/
        edits = iter(range(10**6))

        def edited() -> tuple[float, float]:
            edit_one_claim(Path(config), next(edits))
            return timed(["check", "--config", config], synthetic)

        checks = alternate(
            args.runs,
            cold=lambda: timed(["check", "--config", config], synthetic, BRIEFGEN_CACHE="0"),
            warm=lambda: timed(["check", "--config", config], synthetic),
            edited=edited,
        )
        shipped = work / "shipped"
        shutil.copytree(ROOT / "seeds", shipped / "seeds")
        shutil.copy(ROOT / "briefs.yaml", shipped / "briefs.yaml")
        timed(["render", "-o", "out"], shipped)
        builds = alternate(
            args.runs,
            full=lambda: timed(["render", "-o", "full", "--force"], shipped),
            noop=lambda: timed(["render", "-o", "out"], shipped),
        )
    load_after = os.getloadavg()[0]
    (cw, cc), (ww, wc), (ew, ec) = medians(checks["cold"]), medians(checks["warm"]), medians(checks["edited"])
    (fw, fc), (nw, nc) = medians(builds["full"]), medians(builds["noop"])
    print(f"{args.runs} runs of each, alternating; load average {load_before:.2f} → {load_after:.2f}\n")
    print("| what | wall (median) | CPU | target | fastest | runs ≤ 1.2 s |")
    print("| --- | --- | --- | --- | --- | --- |")
    cold = f"{cw:.2f} s | {cc:.2f} s | ≤ 1.2 s | {spread(checks['cold'])}"
    print(f"| synthetic ×{args.scale:g}: check, fresh process, no cache | {cold} |")
    remembered = f"check, fresh process, cache of the check before | {ww:.2f} s | {wc:.2f} s | ≤ 1.2 s"
    print(f"| synthetic ×{args.scale:g}: {remembered} | {spread(checks['warm'])} |")
    after_edit = f"check after one claim was edited, cache of the check before | {ew:.2f} s | {ec:.2f} s | ≤ 1.2 s"
    print(f"| synthetic ×{args.scale:g}: {after_edit} | {spread(checks['edited'])} |")
    print(f"| shipped: full build (md+pdf, --force) | {fw:.2f} s | {fc:.2f} s | | | |")
    noop = f"{nw:.2f} s ({nw / fw:.2f} of the full build) | {nc:.2f} s ({nc / fc:.2f})"
    print(f"| shipped: no-op rebuild | {noop} | ≤ 0.15 | | |")


if __name__ == "__main__":
    main()
