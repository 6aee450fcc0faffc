"""How soon a save shows up: `briefgen watch` against laying out the same brief in a warm process.

    python bench/watch_latency.py [--runs 7] [--json FILE]

On a copy of the shipped project, `briefgen watch` is started and left to finish its first render.
Then, `--runs` times: the claim of a fact only one brief uses gets one more word that keeps it
supported (each save a different claim, so no result of an earlier save can be reused), and the
time from the save to the rename of that brief's new PDF is taken (its inode changes; polled every
2 ms). Interleaved with each save, a warm reference process — one that has already laid the brief
out twice — lays that brief's PDF out again in memory (WeasyPrint given the same print HTML and
attachments, its fonts and imports warm: what a save must redo at the least) and reports how long
that took; and, as a second reference, how long the library's render of that brief
(`render_outputs`: print HTML, evidence and layout, as a warm process calls it) took before. Prints
each pair, the medians and the median of the per-save ratios (the target: at most 1.2), and the
1-minute load average before and after.
Beside wall time, the CPU time each side spent (the watch's: all its threads, from the save to its
report) is compared too: on a machine shared with other work it moves far less than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Words that change a claim without changing what it asserts: no number, name, negation or hedge.
WORDS = ["formally", "jointly", "publicly", "indeed", "then", "together", "again", "directly", "fully", "duly"]

REFERENCE = r"""
import gc, sys, time
from pathlib import Path
from briefgen.assemble import assemble_all
from briefgen.build.api import check, render_outputs
from briefgen.build.plan import plan_outputs
from briefgen.formats import Format, RenderOptions
from briefgen.renderers.pdf.pool import lay_out
from briefgen.renderers.registry import RENDERERS, RenderRun

config, brief_id = Path(sys.argv[1]), sys.argv[2]
options = RenderOptions((Format.PDF,), force=True)
for line in sys.stdin:
    valid = check(config)  # untimed: the reference lays out the project as it is now
    brief = next(b for b in assemble_all(valid, [brief_id]))
    start, cpu = time.perf_counter(), time.process_time()
    render_outputs(valid, [brief], options, config.parent / "ref")  # the library's render of the brief
    render = (time.perf_counter() - start, time.process_time() - cpu)
    plan = plan_outputs(valid, [brief], options, config.parent / "ref")
    (output,) = plan.outputs
    run = RenderRun(plan.template_dirs, options, plan.templates_digest)
    job = RENDERERS[Format.PDF](run, output) if output.asset is None else output.asset
    gc.collect()
    gc.freeze()  # as a build does: the project is exempt from collections while PDFs are laid out
    start, cpu = time.perf_counter(), time.process_time()
    lay_out(job)
    print(time.perf_counter() - start, time.process_time() - cpu, *render, flush=True)
    gc.unfreeze()
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}


def one_brief_fact(config: Path) -> tuple[str, str]:
    """A fact that exactly one brief uses, and that brief."""
    from briefgen.assemble import assemble_all  # noqa: PLC0415
    from briefgen.build.api import check  # noqa: PLC0415

    users: dict[str, set[str]] = {}
    for brief in assemble_all(check(config)):
        for fact in (*brief.facts, *(fid for j in brief.assessment for fid in j.based_on)):
            users.setdefault(getattr(fact, "id", fact), set()).add(brief.id)
    return next((fid, next(iter(b))) for fid, b in users.items() if len(b) == 1)


def claim_editor(config: Path, fact_id: str) -> tuple[str, list[str], int]:
    """The file's text, its lines, and the index of the line that ends the fact's claim."""
    original = config.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {fact_id}")
    at = next(i for i in range(at, len(lines)) if "claim:" in lines[i])
    at += 1 if lines[at].rstrip().endswith((">-", ">", "|")) else 0
    return original, lines, at


def edited(lines: list[str], at: int, word: str) -> str:
    line = lines[at].rstrip("\n")
    stripped = line.rstrip()
    if stripped.endswith((".", '"', "'")):  # keep a closing full stop or quote last
        cut = len(stripped) - 1
        while cut > 0 and stripped[cut - 1] in ".\"'":
            cut -= 1
        line = f"{stripped[:cut]} {word}{stripped[cut:]}"
    else:
        line = f"{stripped} {word}"
    return "".join([*lines[:at], line + "\n", *lines[at + 1 :]])


def cpu_seconds(pid: int) -> float:
    """CPU time of all the process's threads so far (the scheduler's nanoseconds: no tick rounding)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that just ended
    return total / 1e9


def inode(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def wait_for_change(path: Path, before: tuple[int, int] | None, timeout: float = 60.0) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if inode(path) != before:
            return time.perf_counter()
        time.sleep(0.002)
    raise TimeoutError(f"{path} was not rewritten within {timeout:.0f} s")


class Lines:
    """Collects a pipe's lines in a thread, so that the watch never blocks on a full pipe."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_for(self, predicate: object, start: int, timeout: float = 120.0) -> int:
        """Wait until a line from index `start` on satisfies `predicate`; the index after it."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(start, len(self.lines)):
                    if predicate(self.lines[i]):  # type: ignore[operator]
                        return i + 1
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the watch did not report in time:\n" + "\n".join(self.lines[-20:]))
                self.cond.wait(left)


def main() -> None:  # noqa: PLR0915 - one measurement, start to end
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    runs = max(args.runs, 5)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="briefgen-watch-") as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "seeds", project / "seeds")
        shutil.copy(ROOT / "briefs.yaml", project / "briefs.yaml")
        config = project / "briefs.yaml"
        fact_id, brief_id = one_brief_fact(config)
        original, lines, at = claim_editor(config, fact_id)
        pdf = project / "out" / f"{brief_id}.pdf"
        cmd = [sys.executable, "-m", "briefgen", "watch", "--config", str(config), "--out", str(project / "out")]
        watch = subprocess.Popen(
            cmd, cwd=project, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        ref = subprocess.Popen(
            [sys.executable, "-c", REFERENCE, str(config), brief_id],
            cwd=project,
            env=env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        assert ref.stdin is not None and ref.stdout is not None
        out = Lines(watch.stdout)
        try:
            seen = out.wait_for(lambda line: line.startswith("ok"), 0)  # the first render is done
            for _ in range(2):  # warm the reference: its first layout loads WeasyPrint and the fonts
                ref.stdin.write("go\n")
                ref.stdout.readline()
            time.sleep(1.0)
            pairs: list[tuple[float, float]] = []
            cpus: list[tuple[float, float]] = []
            library: list[tuple[float, float]] = []  # the library's render of the brief, as a second reference
            claim_words: list[str] = []
            for i in range(runs):
                claim_words.append(WORDS[i % len(WORDS)])
                text = edited(lines, at, " ".join(claim_words))
                before = inode(pdf)
                cpu_before = cpu_seconds(watch.pid)
                start = time.perf_counter()
                config.write_text(text, encoding="utf-8")
                latency = wait_for_change(pdf, before) - start
                seen = out.wait_for(lambda line: line.startswith(("ok", "error", "briefgen")), seen)
                watch_cpu = cpu_seconds(watch.pid) - cpu_before
                report = out.lines[seen - 1]
                if not report.startswith("ok") or ("warning" in report and "new" in report):
                    raise SystemExit(f"save {i + 1} did not render cleanly: {report}")
                time.sleep(0.3)  # the watch is idle again
                ref.stdin.write("go\n")
                warm, warm_cpu, lib, lib_cpu = map(float, ref.stdout.readline().split())
                pairs.append((latency, warm))
                cpus.append((watch_cpu, warm_cpu))
                library.append((lib, lib_cpu))
                print(
                    f"save {i + 1}: watch {latency:.3f} s ({watch_cpu:.3f} s CPU), warm layout {warm:.3f} s "
                    f"({warm_cpu:.3f} s CPU), ratio {latency / warm:.2f} (CPU {watch_cpu / warm_cpu:.2f}); "
                    f"library render {lib:.3f} s ({lib_cpu:.3f} s CPU)"
                )
                time.sleep(0.3)
        finally:
            config.write_text(original, encoding="utf-8")
            watch.terminate()
            watch.wait(timeout=30)
            ref.stdin.close()
            ref.wait(timeout=30)
    ratios = [lat / warm for lat, warm in pairs]
    cpu_ratios = [watch_cpu / warm_cpu for watch_cpu, warm_cpu in cpus]
    result = {
        "fact": fact_id,
        "brief": brief_id,
        "runs": runs,
        "watch_median_s": statistics.median(lat for lat, _ in pairs),
        "warm_median_s": statistics.median(warm for _, warm in pairs),
        "ratio_median": statistics.median(ratios),
        "ratios": [round(r, 3) for r in ratios],
        "watch_cpu_median_s": statistics.median(c for c, _ in cpus),
        "warm_cpu_median_s": statistics.median(c for _, c in cpus),
        "cpu_ratio_median": statistics.median(cpu_ratios),
        "render_median_s": statistics.median(w for w, _ in library),
        "render_ratio_median": statistics.median(lat / w for (lat, _), (w, _) in zip(pairs, library, strict=True)),
        "render_cpu_ratio_median": statistics.median(c / lc for (c, _), (_, lc) in zip(cpus, library, strict=True)),
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }
    print(
        f"fact {fact_id} (brief {brief_id}), {runs} saves: watch {result['watch_median_s']:.3f} s, "
        f"warm layout {result['warm_median_s']:.3f} s, median ratio {result['ratio_median']:.2f} (target ≤ 1.2); "
        f"CPU per save {result['watch_cpu_median_s']:.3f} s against {result['warm_cpu_median_s']:.3f} s, "
        f"median ratio {result['cpu_ratio_median']:.2f}; against the library's render of the brief "
        f"({result['render_median_s']:.3f} s): {result['render_ratio_median']:.2f} "
        f"(CPU {result['render_cpu_ratio_median']:.2f}); "
        f"load average {load_before:.2f} → {result['load_after']:.2f}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
