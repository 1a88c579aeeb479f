"""Full-build time: against a macro-free baseline, and at 1× and 10× the page count.

1. The real project: median `mkdocs build --strict`, against the same site with every macro
   replaced by its output (same theme, same pages, same Markdown, macros plugin removed and each
   page's Markdown pre-rendered). That shows what the data-driven pages cost.
2. Linearity: the project is copied twice into a temp folder, each copy made its own one-commit
   git repository (the git-revision-date plugin runs git per page, as in the real repo). In the
   second copy the whole docs/ tree is copied 9 more times under docs/copy-1/ … docs/copy-9/,
   and the nav gets a "Copy k" section mirroring the real nav for each copy. The synthetic pages
   are therefore the real articles, byte for byte (front matter, macros, tables, charts,
   citations), at new URLs; links between them stay valid because they are relative. Both copies
   build with --strict; seconds per page are compared, and the cost of each added page is
   separated from the fixed start-up cost.
Wall time is what a maintainer waits; CPU time (user + system of the build and its git
processes) is printed beside it because it hardly moves when other jobs share the machine, so
the linearity figures use it. Prints numbers; never fails a test.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from common import ROOT, build_timed, pages

# Not part of what a build reads (or rebuilt by it); everything else in the project is copied.
NOT_COPIED = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".site-tmp",
    ".cache",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    "tests",
    "benchmarks",
)


def prerender(workdir: Path) -> Path:
    """Build once in-process, keep each page's Markdown after macros ran, write a macro-free copy."""
    docs = workdir / "docs"
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(workdir / "site-capture"))
    macros = config.plugins["macros"]
    original = macros.on_page_markdown
    rendered: dict[str, str] = {}

    def capture(markdown, page, config, files):
        out = original(markdown, page=page, config=config, files=files)
        rendered[page.file.src_uri] = out
        return out

    macros.on_page_markdown = capture
    mkdocs_build(config)
    for src in (ROOT / "docs").rglob("*"):
        rel = src.relative_to(ROOT / "docs")
        dest = docs / rel
        if src.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
        elif rel.as_posix() in rendered:
            text = src.read_text(encoding="utf-8")
            front = text.split("---\n", 2)
            head = f"---\n{front[1]}---\n\n" if text.startswith("---\n") else ""
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(head + rendered[rel.as_posix()], encoding="utf-8")
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(src.read_bytes())
    text = re.sub(r"!ENV \[\w+, (\"[^\"]*\")\]", r"\1", (ROOT / "mkdocs.yml").read_text())  # its default
    raw = yaml.safe_load(text)
    raw["docs_dir"] = str(docs)
    raw["theme"]["custom_dir"] = str(ROOT / "overrides")
    raw["plugins"] = [p for p in raw["plugins"] if not (isinstance(p, dict) and "macros" in p)]
    raw.pop("watch", None)
    out = workdir / "mkdocs-prerendered.yml"
    out.write_text(yaml.safe_dump(raw, sort_keys=False))
    return out


# --- Synthetic 10× site --------------------------------------------------------------------------


class Tagged:
    """A YAML value with a custom tag (`!ENV [...]`, `!!python/name:...`), kept as written."""

    def __init__(self, tag: str, node: yaml.Node):
        self.tag, self.node = tag, node


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


_Loader.add_multi_constructor("!", lambda loader, suffix, node: Tagged("!" + suffix, node))
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: Tagged(node.tag, node))
_Dumper.add_representer(Tagged, lambda dumper, value: value.node)


def prefixed_nav(nav: Any, prefix: str) -> Any:
    """The nav with every local page path moved under `prefix` (external links left alone)."""
    if isinstance(nav, list):
        return [prefixed_nav(item, prefix) for item in nav]
    if isinstance(nav, dict):
        return {title: prefixed_nav(value, prefix) for title, value in nav.items()}
    if isinstance(nav, str) and "://" not in nav:
        return prefix + nav
    return nav


def copy_project(dest: Path) -> None:
    shutil.copytree(ROOT, dest, ignore=NOT_COPIED, symlinks=True)


def commit(repo: Path) -> None:
    """One commit, so the git-revision-date plugin finds a history for every page as it does in the repo."""

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=bench", "-c", "user.email=bench@invalid", "commit", "-q", "-m", "synthetic")


def multiply(project: Path, factor: int) -> int:
    """Add factor-1 copies of docs/ under docs/copy-k/ and extend nav and not_in_nav; returns Markdown pages."""
    docs = project / "docs"
    originals = [p for p in docs.rglob("*") if p.is_file()]
    for k in range(1, factor):
        for src in originals:
            dest = docs / f"copy-{k}" / src.relative_to(docs)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest)
    config_path = project / "mkdocs.yml"
    raw = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader subclass
    if raw.get("nav"):
        base_nav = copy.deepcopy(raw["nav"])
        raw["nav"] = base_nav + [{f"Copy {k}": prefixed_nav(base_nav, f"copy-{k}/")} for k in range(1, factor)]
    if raw.get("not_in_nav"):
        lines = [line.strip() for line in str(raw["not_in_nav"]).splitlines() if line.strip()]
        extra = [f"/copy-{k}{line}" for k in range(1, factor) for line in lines if line.startswith("/")]
        raw["not_in_nav"] = "\n".join(lines + extra) + "\n"
    config_path.write_text(yaml.dump(raw, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return sum(1 for p in docs.rglob("*.md"))


def scaling(work: Path, factors: list[int], runs: int) -> list[dict[str, Any]]:
    """Strict builds of the project copied as is (1×) and with docs/ multiplied by each factor."""
    rows = []
    for factor in [1, *factors]:
        project = work / f"x{factor}"
        copy_project(project)
        markdown = multiply(project, factor)
        commit(project)
        site = work / f"site-x{factor}"
        timings = [build_timed(site, project / "mkdocs.yml", cwd=project) for _ in range(runs)]
        built = pages(site)
        rows.append(
            {
                "factor": factor,
                "wall": statistics.median(w for w, _ in timings),
                "cpu": statistics.median(c for _, c in timings),
                "runs": [round(w, 2) for w, _ in timings],
                "pages": len(built),
                "md": markdown,
                "kb": statistics.median(page.stat().st_size for page, _ in built) / 1024,
            }
        )
        shutil.rmtree(project)
        shutil.rmtree(site)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per measurement of the real project (median)")
    parser.add_argument("--scale-runs", type=int, default=3, help="builds per synthetic size (median)")
    parser.add_argument(
        "--factors", type=int, nargs="+", default=[5, 10], help="synthetic sizes besides 1× (default: 5 10)"
    )
    parser.add_argument("--skip-baseline", action="store_true", help="only the synthetic 1× … 10× comparison")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="build-time-") as tmp:
        work = Path(tmp)
        if not args.skip_baseline:
            full = [build_timed(work / "site-full") for _ in range(args.runs)]
            baseline_cfg = prerender(work)
            base = [build_timed(work / "site-base", baseline_cfg) for _ in range(args.runs)]
            n = len(pages(work / "site-full"))
            full_wall, full_cpu = (statistics.median(x) for x in zip(*full, strict=True))
            base_wall, base_cpu = (statistics.median(x) for x in zip(*base, strict=True))
            print(f"The project as it is: {n} pages, median of {args.runs} strict builds (wall s / CPU s)")
            for label, wall, cpu, runs in (
                ("full build (macros + data):        ", full_wall, full_cpu, full),
                ("baseline (pre-rendered, no macros):", base_wall, base_cpu, base),
            ):
                print(f"{label} {wall:5.2f} / {cpu:5.2f}  wall runs={[round(w, 2) for w, _ in runs]}")
            print(f"ratio full/baseline: {full_wall / base_wall:.2f} wall, {full_cpu / base_cpu:.2f} CPU")
            print(f"seconds per page (full): {full_wall / n:.3f} wall, {full_cpu / n:.3f} CPU")
            print()
        rows = scaling(work, sorted(set(args.factors) - {1}), args.scale_runs)

    print(
        "Linearity: the project copied to a temp folder as its own one-commit git repo, and copies with docs/ "
        "repeated N× (the real articles, byte for byte, at new URLs under docs/copy-k/; the nav lists every copy)."
    )
    print(
        f"median of {args.scale_runs} strict builds each; load average now {os.getloadavg()[0]:.2f} on "
        f"{os.cpu_count()} CPUs. s/page, ratio and Δ use CPU seconds (steady when the machine is shared); "
        "wall seconds are shown beside them."
    )
    print(
        f"{'size':5} {'md pages':>8} {'html pages':>10} {'wall s':>7} {'CPU s':>7} {'CPU s/page':>10} {'ratio':>6}"
        f" {'ΔCPU s/Δpage':>12} {'page KB':>8}  wall runs"
    )
    first = rows[0]
    per_first = first["cpu"] / first["pages"]
    previous = None
    for row in rows:
        per = row["cpu"] / row["pages"]
        step = ""
        if previous:
            step = f"{(row['cpu'] - previous['cpu']) / (row['pages'] - previous['pages']):.4f}"
        print(
            f"{str(row['factor']) + '×':5} {row['md']:8} {row['pages']:10} {row['wall']:7.2f} {row['cpu']:7.2f}"
            f" {per:10.4f} {per / per_first:6.2f} {step:>12} {row['kb']:8.1f}  {row['runs']}"
        )
        previous = row
    last = rows[-1]
    marginal = (last["cpu"] - first["cpu"]) / (last["pages"] - first["pages"])
    wall_ratio = (last["wall"] / last["pages"]) / (first["wall"] / first["pages"])
    print(
        f"CPU s/page at {last['factor']}× is {last['cpu'] / last['pages'] / per_first:.2f}× CPU s/page at 1× "
        f"(1.00 or below: linear or better; wall: {wall_ratio:.2f}×). "
        f"Each added page costs {marginal:.4f} CPU s; fixed start-up (imports, data, theme) ≈ "
        f"{first['cpu'] - marginal * first['pages']:.2f} CPU s. Linear growth shows as a steady ΔCPU s/Δpage "
        "from one size to the next; page KB is the median HTML page (every page carries the whole nav)."
    )


if __name__ == "__main__":
    main()
