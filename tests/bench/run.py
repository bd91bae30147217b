"""`make bench`: how the generator scales, as ratios against baselines measured in the same run.

1. Build time of the handbook with N generated cases against a plain mkdocs-material site with
   the same number of Markdown pages (navigation.prune, the same theme): the cost our plugin
   adds per page. Both at two sizes: if the per-page cost stays flat, the build is linear.
2. `handbook validate` on many case files against parsing the same files with libyaml alone:
   what strictness (positions, schema, cross-checks) costs on top of reading.
Absolute seconds drift from machine to machine; the ratios are the result.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SIZES = (200, 1000)
VALIDATE_CASES = 3000
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# The handbook's languages, default first, so that the baseline builds as many.
LANGUAGES = re.findall(r"- locale: (\S+)", (REPO / "mkdocs.yml").read_text("utf-8"))

CASE = """---
id: {id}
title: Synthetic case {n}
summary: A generated case used to measure how the build scales.
setting: {setting}
competencies: [{competency}, {other}]
level: {level}
roles: [{role}]
inclusion: [{dimension}]
---

## Scenario {{#scenario}}

{text}

## Discussion questions {{#discussion-questions}}

1. What would you ask first, and why?
2. Who else needs to be heard here?

## Coaching moves {{#coaching-moves}}

- Pause before offering a solution and ask what has been tried.

## Debrief {{#debrief}}

{text}
"""
PARAGRAPH = ("The team lead notices that the same two people speak first in every meeting while the "
             "newest member stays quiet, and decides to try a written round before the discussion. ") * 6


def vocab() -> dict:
    framework = yaml.safe_load((REPO / "curriculum/framework.yml").read_text("utf-8"))
    competencies = sorted(p.stem for p in (REPO / "curriculum/competencies").glob("*.yml") if p.name.count(".") == 1)
    return {"settings": [s["id"] for s in framework["settings"]], "levels": [x["id"] for x in framework["levels"]],
            "roles": [r["id"] for r in framework["roles"]],
            "dimensions": [d["id"] for d in framework["inclusion_dimensions"]], "competencies": competencies}


def handbook_project(root: Path, cases: int) -> Path:
    root.mkdir()
    for part in ("mkdocs.yml", "docs", "curriculum", "rubrics"):
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / part)
    (root / "cases").mkdir()
    v = vocab()
    for n in range(cases):
        def pick(key: str, offset: int = 0, n: int = n) -> str:
            return v[key][(n + offset) % len(v[key])]
        (root / "cases" / f"case-{n:05d}.md").write_text(CASE.format(
            id=f"case-{n:05d}", n=n, setting=pick("settings"), competency=pick("competencies"),
            other=pick("competencies", 1), level=pick("levels"), role=pick("roles"),
            dimension=pick("dimensions"), text=PARAGRAPH), "utf-8")
    return root / "mkdocs.yml"


def baseline_project(root: Path, pages: int) -> Path:
    """Plain Markdown pages of about the same size, same theme and languages, no plugin of ours."""
    root.mkdir()
    docs = root / "docs"
    (docs / "cases").mkdir(parents=True)
    (docs / "index.md").write_text("# Baseline\n", "utf-8")
    for n in range(pages):
        (docs / "cases" / f"case-{n:05d}.md").write_text(
            f"# Synthetic case {n}\n\n| Setting | Level |\n|---|---|\n| A | B |\n\n## Scenario\n\n{PARAGRAPH}\n\n"
            f"## Debrief\n\n{PARAGRAPH}\n", "utf-8")
    languages = "".join(f"        - locale: {lang}\n          default: {str(i == 0).lower()}\n"
                        f"          name: {lang}\n          build: true\n" for i, lang in enumerate(LANGUAGES))
    (root / "mkdocs.yml").write_text(
        "site_name: Baseline\ntheme:\n  name: material\n  font: false\n  features: [navigation.prune]\n"
        "plugins:\n  - search\n  - i18n:\n      docs_structure: suffix\n      reconfigure_search: false\n"
        f"      languages:\n{languages}nav:\n  - index.md\nnot_in_nav: /cases/*.md\n", "utf-8")
    return root / "mkdocs.yml"


# Runs a module as __main__, then reports its own peak memory on the last line of stderr.
_MEASURED = ("import resource, runpy, sys\n"
             "module = sys.argv.pop(1)\n"
             "try:\n    runpy.run_module(module, run_name='__main__')\n"
             "finally:\n    print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def timed(module: str, *args: str) -> tuple[float, int]:
    """Wall seconds and peak memory (KiB) of ``python -m module args``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURED, module, *args], capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"benchmark command failed: {module} {' '.join(args)}\n{done.stderr[-2000:]}")
    return elapsed, int(done.stderr.strip().splitlines()[-1].split()[1])


def build(config: Path, site: Path) -> tuple[float, int]:
    return timed("mkdocs", "build", "-q", "-f", str(config), "-d", str(site))


def parse_only(folder: Path) -> float:
    start = time.perf_counter()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(folder.glob("*.md")):
        yaml.load(path.read_text("utf-8").split("---", 2)[1], Loader=loader)
    return time.perf_counter() - start


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        times: dict[str, dict[int, float]] = {"ours": {}, "base": {}}
        for size in SIZES:
            ours, our_memory = build(handbook_project(tmp_path / f"h{size}", size), tmp_path / f"hs{size}")
            base, base_memory = build(baseline_project(tmp_path / f"b{size}", size), tmp_path / f"bs{size}")
            times["ours"][size], times["base"][size] = ours, base
            rows.append((f"build, {size} cases", ours, base, ours / base))
            rows.append((f"peak memory (MiB), {size} cases", our_memory / 1024, base_memory / 1024,
                         our_memory / base_memory))
        small, large = SIZES
        marginal = {who: (t[large] - t[small]) / (large - small) * 1000 for who, t in times.items()}
        rows.append((f"ms per extra case page, {small} -> {large}", marginal["ours"], marginal["base"],
                     marginal["ours"] / marginal["base"]))
        config = handbook_project(tmp_path / "validate", VALIDATE_CASES)
        validate_time, _ = timed("handbook.cli", "validate", "-f", str(config))
        parse_time = parse_only(tmp_path / "validate" / "cases")
        rows.append((f"validate {VALIDATE_CASES} cases (vs libyaml parse)", validate_time, parse_time,
                     validate_time / parse_time))
    print(f"{'measure':44} {'ours':>9} {'baseline':>9} {'ratio':>7}")
    for name, ours, base, ratio in rows:
        print(f"{name:44} {ours:9.2f} {base:9.2f} {ratio:7.2f}")


if __name__ == "__main__":
    main()
