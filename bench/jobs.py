"""The default number of PDF processes against `-j 1`: side by side, quiet and with a core busy.

    python bench/jobs.py [--runs 5] [--scale 0.2] [--only shipped|synthetic]

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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))

from synth import generate  # type: ignore[import-not-found]  # noqa: E402

CHOICE = re.compile(r"PDF processes: (\d+) \((.*)\)")


def build(config: Path, out: Path, jobs: list[str]) -> tuple[float, float, str]:
    """One build's wall time and CPU time (all its processes), and the default's decision line."""
    cmd = [str(BIN / "briefgen"), "render", "--debug", "--force", "-f", "pdf", "--config", str(config)]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([*cmd, "--out", str(out), *jobs], stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode()
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stderr}")
    found = CHOICE.search(stderr)
    return wall, usage.ru_utime + usage.ru_stime, f"{found.group(1)} ({found.group(2)})" if found else ""


@dataclass
class Side:
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)

    def add(self, run: tuple[float, float, str]) -> None:
        self.walls.append(run[0])
        self.cpus.append(run[1])
        self.choices.append(run[2])


def compare(config: Path, out: Path, runs: int) -> tuple[Side, Side]:
    """Default and -j 1 alternately, in the order ABBA ABBA …, so that neither always goes first."""
    default, serial = Side(), Side()
    for i in range(runs):
        order = [(default, []), (serial, ["-j", "1"])]
        for side, jobs in order if i % 2 == 0 else order[::-1]:
            side.add(build(config, out / ("default" if side is default else "serial"), jobs))
    return default, serial


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--only", choices=("shipped", "synthetic"), help="one of the two projects")
    args = parser.parse_args()
    rows = [
        "| project | other load | default (median wall) | `-j 1` | ratio | CPU time, default / `-j 1` "
        "| default chose | load average (before → after) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = generate(Path(tmp) / "synth", args.scale) if args.only != "shipped" else Path()
        projects = {"shipped (3 briefs)": ROOT / "briefs.yaml", f"synthetic ×{args.scale}": synthetic}
        for name, config in projects.items():
            if args.only and not name.startswith(args.only):
                continue
            for busy in (False, True):
                loop = subprocess.Popen([sys.executable, "-c", "while 1: pass"]) if busy else None
                try:
                    time.sleep(2 if busy else 0)
                    before = os.getloadavg()[0]
                    default, serial = compare(config, Path(tmp) / "out", args.runs)
                    after = os.getloadavg()[0]
                finally:
                    if loop:
                        loop.kill()
                        loop.wait()
                chose = "; ".join(sorted(set(default.choices)))
                where = "a busy loop" if busy else "none added"
                rows.append(
                    f"| {name} | {where} | {med(default.walls):.2f} s | {med(serial.walls):.2f} s "
                    f"| {med(default.walls) / med(serial.walls):.2f} "
                    f"| {med(default.cpus):.2f} / {med(serial.cpus):.2f} s "
                    f"| {chose} | {before:.2f} → {after:.2f} |"
                )
                sys.stderr.write(rows[-1] + "\n")
                for i, (wall, choice) in enumerate(zip(default.walls, default.choices, strict=True)):
                    sys.stderr.write(f"    run {i + 1}: default {wall:.2f} s, chose {choice or '-'}; ")
                    sys.stderr.write(f"-j 1 {serial.walls[i]:.2f} s\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
