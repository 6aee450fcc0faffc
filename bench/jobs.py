"""The default number of PDF processes against `-j 1`: side by side, quiet and with a core busy.

    python bench/jobs.py [--runs 5] [--scale 0.2]

For the shipped project and a synthetic one (bench/synth.py at `--scale`: 0.2 gives 20 briefs),
`briefgen render --force --format pdf` without `--jobs` and with `-j 1` run alternately, first
as the machine is, then beside a busy loop (`python -c 'while 1: pass'`, which holds one core).
Prints a Markdown table for bench/RESULTS.md: medians, their ratio, how many processes the
default chose (from its --debug line) and the 1-minute load average before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))

from synth import generate  # type: ignore[import-not-found]  # noqa: E402

CHOICE = re.compile(r"PDF processes: (\d+) \((.*)\)")


def build(config: Path, out: Path, jobs: list[str]) -> tuple[float, str]:
    """One build's wall time, and the default's decision line (empty for -j 1)."""
    cmd = [str(BIN / "briefgen"), "render", "--debug", "--force", "-f", "pdf", "--config", str(config)]
    start = time.perf_counter()
    done = subprocess.run([*cmd, "--out", str(out), *jobs], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    found = CHOICE.search(done.stderr)
    return wall, f"{found.group(1)} ({found.group(2)})" if found else ""


def compare(config: Path, out: Path, runs: int) -> tuple[float, float, list[str]]:
    default: list[float] = []
    serial: list[float] = []
    choices: list[str] = []
    for _ in range(runs):
        wall, choice = build(config, out / "default", [])
        default.append(wall)
        choices.append(choice)
        serial.append(build(config, out / "serial", ["-j", "1"])[0])
    return statistics.median(default), statistics.median(serial), choices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=float, default=0.2)
    args = parser.parse_args()
    rows = ["| project | other load | default | `-j 1` | ratio | default chose | load average (before → after) |"]
    rows.append("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = generate(Path(tmp) / "synth", args.scale)
        projects = {"shipped (3 briefs)": ROOT / "briefs.yaml", f"synthetic ×{args.scale}": synthetic}
        for name, config in projects.items():
            for busy in (False, True):
                loop = subprocess.Popen([sys.executable, "-c", "while 1: pass"]) if busy else None
                try:
                    time.sleep(2 if busy else 0)
                    before = os.getloadavg()[0]
                    default, serial, choices = compare(config, Path(tmp) / "out", args.runs)
                    after = os.getloadavg()[0]
                finally:
                    if loop:
                        loop.kill()
                        loop.wait()
                chose = "; ".join(sorted(set(choices)))
                where = "a busy loop" if busy else "none added"
                rows.append(
                    f"| {name} | {where} | {default:.2f} s | {serial:.2f} s | {default / serial:.2f} | {chose}"
                    f" | {before:.2f} → {after:.2f} |"
                )
                sys.stderr.write(rows[-1] + "\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
