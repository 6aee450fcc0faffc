"""What hostile input costs briefgen: peak memory (and time) of `check` on each case, in a fresh process.

Each case writes a small project into a temporary directory, then runs `briefgen.check` on it in a
new Python process that reports its own peak resident set size (resource.getrusage). The first
row is the shipped project, for scale. Run from the repository root::

    .venv/bin/python tools/hostile_input_costs.py            # every case, as a table
    .venv/bin/python tools/hostile_input_costs.py alias-bomb # one case, as JSON (used by the tests)

Times are printed for orientation only; on a shared machine they are noisy. Memory is the figure
that matters: every case must stay near the shipped project's, whatever the input.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTICLE = "Seoul and Warsaw agreed on Monday to deepen defence-industry cooperation.\n"
PROJECT = """\
sources:
  art: {file: seeds/a.txt}
facts:
  - id: deepen
    claim: Seoul and Warsaw agreed to deepen defence-industry cooperation.
    cite: [{source: art, quote: QUOTE}]
briefs:
  demo: {title: Demo, as_of: 2025-10-24, bottom_line: [deepen]}
"""
SENTENCE = "the ministry of defence said that talks on joint production would continue next month"
ENTRY = "agreed on Monday to deepen defence-industry cooperation"

CHILD = """
import json, resource, sys, time
from pathlib import Path
import briefgen
start = time.perf_counter()
try:
    briefgen.check(Path(sys.argv[1]))
    outcome = "ok"
except briefgen.BriefgenError as exc:
    outcome = exc.format().splitlines()[0][-110:]
print(json.dumps({
    "seconds": round(time.perf_counter() - start, 2),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "outcome": outcome,
}))
"""


def project(root: Path, yaml_text: str = PROJECT.replace("QUOTE", ENTRY), article: str = ARTICLE) -> Path:
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "seeds" / "a.txt").write_text(article, encoding="utf-8")
    (root / "briefs.yaml").write_text(yaml_text, encoding="utf-8")
    return root / "briefs.yaml"


def shipped(root: Path) -> Path:
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copy(REPO / "briefs.yaml", root / "briefs.yaml")
    return root / "briefs.yaml"


def alias_bomb(root: Path) -> Path:
    lines = [f"l0: &l0 [{', '.join(['lol'] * 20)}]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 20)}]" for n in range(1, 10)]
    return project(root, "\n".join(lines) + "\n" + PROJECT.replace("QUOTE", ENTRY))


def merge_bomb(root: Path) -> Path:
    """Six lines under 1 KB, each mapping merging the one before twenty times (20**6 merged pairs)."""
    lines = ["m0: &m0 {x: 1, y: 2}"]
    lines += [f"m{n}: &m{n} {{<<: [{', '.join([f'*m{n - 1}'] * 20)}]}}" for n in range(1, 7)]
    return project(root, "\n".join(lines) + "\n" + PROJECT.replace("QUOTE", ENTRY))


def merge_chain(root: Path) -> Path:
    """1,100 mappings, each merging the one before it."""
    lines = ["c0: &c0 {x: 0}"] + [f"c{n}: &c{n} {{<<: *c{n - 1}, x{n}: {n}}}" for n in range(1, 1101)]
    return project(root, "\n".join(lines) + "\n" + PROJECT.replace("QUOTE", ENTRY))


def merge_wide(root: Path) -> Path:
    """A mapping of 5,000 keys merged 100 times into one mapping: 500,000 merged pairs, all duplicates."""
    keys = ", ".join(f"k{n}: {n}" for n in range(5000))
    line = f"wide: &w {{{keys}}}\nuse: {{<<: [{', '.join(['*w'] * 101)}]}}\n"
    return project(root, line + PROJECT.replace("QUOTE", ENTRY))


def deep_nesting(root: Path) -> Path:
    return project(root, "a: " + "[" * 100_000 + "]" * 100_000 + "\n")


def flat_values(root: Path) -> Path:
    return project(root, "a: [" + ", ".join(["x"] * 1_000_000) + "]\n")  # 3 MB, under the byte limit


def sparse(name: str) -> Callable[[Path], Path]:
    def make(root: Path) -> Path:
        config = project(root)
        with (root / name).open("r+b") as handle:
            handle.truncate(3_000_000_000)  # 3 GB that take no disk space
        return config

    return make


def article_at_limit(root: Path) -> Path:
    words = SENTENCE.split()
    text = " ".join(words[i % len(words)] + str(i % 97) for i in range(250_000))[:1_990_000]
    quote = " ".join(words * 12)[:990]  # near the quote limit, and not in the article
    return project(root, PROJECT.replace("QUOTE", f"'{quote}'"), text)


CASES: dict[str, Callable[[Path], Path]] = {
    "shipped-project": shipped,
    "alias-bomb": alias_bomb,
    "merge-bomb": merge_bomb,
    "merge-chain-1100": merge_chain,
    "merge-wide-500k": merge_wide,
    "deep-nesting-100k": deep_nesting,
    "flat-1m-values": flat_values,
    "briefs-yaml-3gb": sparse("briefs.yaml"),
    "article-3gb": sparse("seeds/a.txt"),
    "article-2mb-quote-1000": article_at_limit,
}


def measure(case: str) -> dict[str, object]:
    """Build the case's project and run `check` on it in a fresh interpreter."""
    with tempfile.TemporaryDirectory() as tmp:
        config = CASES[case](Path(tmp))
        result = subprocess.run([sys.executable, "-c", CHILD, str(config)], capture_output=True, text=True, check=True)
    return {"case": case, **json.loads(result.stdout)}


def main(argv: list[str]) -> None:
    if argv:
        for case in argv:
            print(json.dumps(measure(case)))
        return
    print(f"{'case':<24} {'peak RSS':>9} {'time':>7}  outcome")
    for case in CASES:
        row = measure(case)
        print(f"{case:<24} {row['peak_rss_mb']:>6} MB {row['seconds']:>6}s  {row['outcome']}")


if __name__ == "__main__":
    main(sys.argv[1:])
