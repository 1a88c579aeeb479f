"""Median full-build time, against the same site with every macro replaced by its output.

The baseline shows what the data-driven pages cost: same theme, same pages, same
Markdown, but the macros plugin removed and each page's Markdown pre-rendered.
Prints numbers; never fails a test.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

import yaml
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from common import ROOT, build, median_of


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        full, full_runs = median_of(args.runs, lambda: build(work / "site-full"))
        baseline_cfg = prerender(work)
        base, base_runs = median_of(args.runs, lambda: build(work / "site-base", baseline_cfg))
        pages = len(list((work / "site-full").rglob("*.html")))
    print(f"pages built: {pages}")
    print(f"full build (macros + data), median of {args.runs}: {full:.2f} s  runs={[round(t, 2) for t in full_runs]}")
    print(
        f"baseline (pre-rendered, no macros), median of {args.runs}: {base:.2f} s  "
        f"runs={[round(t, 2) for t in base_runs]}"
    )
    print(f"ratio full/baseline: {full / base:.2f}")
    print(f"seconds per page (full): {full / pages:.3f}")


if __name__ == "__main__":
    main()
