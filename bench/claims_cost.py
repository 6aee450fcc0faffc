"""What claim support adds to `check`: validation of the synthetic project with and without it.

    python bench/claims_cost.py [--scale 1.0 --scale 0.5] [--runs 5]

Runs alternate (with, without, with, …) in one process, so both sides see the same machine load;
the medians and their ratio are printed as a Markdown table for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synth import generate  # type: ignore[import-not-found]  # noqa: E402

import briefgen.project.validate as validation  # noqa: E402
from briefgen.project.load import load_project  # noqa: E402


def timed(config: Path, with_claims: bool) -> float:
    real = validation.claim_support
    if not with_claims:
        validation.claim_support = lambda *args: []  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        validation.validate(load_project(config))
        return time.perf_counter() - start
    finally:
        validation.claim_support = real


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, action="append")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| synthetic project | check without claim support | with | ratio |")
    print("|---|---|---|---|")
    for scale in args.scale or [1.0]:
        with tempfile.TemporaryDirectory() as tmp:
            config = generate(Path(tmp), scale)
            timed(config, True)  # warm the file cache
            without, with_ = [], []
            for _ in range(args.runs):
                with_.append(timed(config, True))
                without.append(timed(config, False))
            a, b = statistics.median(without), statistics.median(with_)
            print(f"| ×{scale} | {a:.2f} s | {b:.2f} s | {b / a:.2f} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
