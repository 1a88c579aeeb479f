"""Lighthouse mobile scores for every page, run with the system Chromium against a local CDN-like server.

Builds the site (strict) into a temp folder, serves it on 127.0.0.1 with gzip and GitHub
Pages' cache lifetime (see common.serve), and runs the npm `lighthouse` package pinned in
benchmarks/package.json (`npm ci --prefix benchmarks`) once per page: mobile form factor,
default simulated throttling (slow 4G, 4× CPU slowdown), a fresh Chromium profile each time,
so every run is a first visit. Prints per page the four category scores, LCP, TBT, CLS,
request count and transferred bytes, then the budget and every failing audit by id.

A benchmark: missed budgets never change the exit status. It exits 2 when Lighthouse cannot
run at all (no node, no `npm ci`, no Chromium) and 1 when some page could not be measured.
Scores depend on the machine: simulated metrics scale the CPU time this machine measured, so a
busy machine scores lower; the Lighthouse "benchmark index" of each run is printed for that reason.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from common import build, is_article, pages, serve

HERE = Path(__file__).resolve().parent
CLI = HERE / "node_modules" / "lighthouse" / "cli" / "index.js"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUDGET_KB = 100
NOT_SCORED = {"informative", "notApplicable", "manual", "error"}


class CannotRun(Exception):
    """Lighthouse itself cannot run here (as opposed to a page scoring badly)."""


def find_chrome() -> str:
    for candidate in (os.environ.get("CHROME_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise CannotRun(
        "no Chromium found: install Debian's (`apt-get install chromium`) or set CHROME_PATH to a Chrome or "
        "Chromium binary. This benchmark never downloads a browser."
    )


def find_node() -> str:
    node = shutil.which("node")
    if not node:
        raise CannotRun("node is not on PATH: install Node.js 18.20 or newer (Debian: `apt-get install nodejs npm`).")
    if not CLI.is_file():
        raise CannotRun(
            f"{CLI.relative_to(HERE.parent)} is missing: run `npm ci --prefix benchmarks` (or `make bench`)."
        )
    return node


def run_lighthouse(node: str, chrome: str, url: str, out: Path, timeout: int) -> dict:
    """One Lighthouse run in a fresh Chromium profile; the parsed JSON report, or CannotRun with its stderr."""
    with tempfile.TemporaryDirectory(prefix="lh-profile-") as profile:
        flags = " ".join([*CHROME_FLAGS, f"--user-data-dir={profile}"])
        cmd = [
            node,
            str(CLI),
            url,
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            "--throttling-method=simulate",
            f"--chrome-flags={flags}",
            "--no-enable-error-reporting",
            "--quiet",
        ]
        env = {**os.environ, "CHROME_PATH": chrome}
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise CannotRun(f"lighthouse took longer than {timeout} s on {url}") from exc
    if proc.returncode != 0 or not out.is_file():
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise CannotRun(f"lighthouse exited {proc.returncode} on {url}:\n{tail}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise CannotRun(f"lighthouse could not load {url}: {report['runtimeError'].get('message')}")
    return report


def summarise(report: dict) -> dict:
    audits = report["audits"]
    requests = [
        item
        for item in (audits.get("network-requests", {}).get("details") or {}).get("items", [])
        if item.get("url", "").startswith(("http:", "https:"))
    ]
    return {
        "scores": {c: report["categories"][c]["score"] for c in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "requests": len(requests),
        "bytes": sum(item.get("transferSize") or 0 for item in requests),
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "failing": failing_audits(report),
    }


def failing_audits(report: dict) -> list[tuple[str, str, str, str]]:
    """(category, audit id, title, detail) for every audit that counts in a category and is not passed."""
    found = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            if ref.get("group") in {"metrics", "hidden"}:
                continue  # metrics are in the table; hidden ones duplicate visible audits
            audit = report["audits"][ref["id"]]
            if audit.get("scoreDisplayMode") in NOT_SCORED or audit.get("score") is None or audit["score"] >= 1:
                continue
            found.append((cat, audit["id"], audit.get("title", ""), detail(audit)))
    return found


def detail(audit: dict) -> str:
    """A short, specific hint: the savings, or the first offending resources or elements."""
    parts = []
    if audit.get("displayValue"):
        parts.append(str(audit["displayValue"]))
    items = (audit.get("details") or {}).get("items") or []
    names = []
    for item in items[:3]:
        if not isinstance(item, dict):
            continue
        node = item.get("node") if isinstance(item.get("node"), dict) else None
        if item.get("url"):
            names.append(str(item["url"]).split("/", 3)[-1] or "/")
        elif node:
            names.append(node.get("selector") or node.get("snippet", ""))
    if names:
        parts.append("; ".join(names) + (f" (+{len(items) - 3} more)" if len(items) > 3 else ""))
    return " — ".join(parts)


def select(all_pages: list[tuple[Path, str]], patterns: list[str] | None) -> list[tuple[Path, str]]:
    if not patterns:
        return all_pages
    return [(p, u) for p, u in all_pages if any(fnmatch.fnmatch(u, pat) for pat in patterns)]


def print_table(results: dict[str, dict]) -> None:
    head = (
        f"{'page':36} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'FCP ms':>7} {'LCP ms':>7} {'TBT ms':>6}"
        f" {'CLS':>5} {'req':>4} {'KB':>6}"
    )
    print(head)
    print("─" * len(head))
    for url, r in results.items():
        s = r["scores"]
        print(
            f"{url:36} "
            + " ".join(f"{round(s[c] * 100) if s[c] is not None else '–':>4}" for c in CATEGORIES)
            + f" {r['fcp']:7.0f} {r['lcp']:7.0f} {r['tbt']:6.0f} {r['cls']:5.3f}"
            + f" {r['requests']:4} {r['bytes'] / 1024:6.1f}"
        )


def print_summary(results: dict[str, dict]) -> None:
    n = len(results)
    print()
    print("Budget: every page performance and accessibility 100 (mobile); articles' first visit < 100 KB gzip")
    for cat in ("performance", "accessibility", "best-practices", "seo"):
        below = [(u, round(r["scores"][cat] * 100)) for u, r in results.items() if (r["scores"][cat] or 0) < 1]
        met = n - len(below)
        scores = [round((r["scores"][cat] or 0) * 100) for r in results.values()]
        line = f"  {cat:15} 100 on {met}/{n} pages; median {statistics.median(scores):.0f}, min {min(scores)}"
        print(line)
        if below and cat in ("performance", "accessibility"):
            print("    below 100: " + ", ".join(f"{u} {s}" for u, s in sorted(below, key=lambda x: x[1])))
    articles = {u: r for u, r in results.items() if is_article(u)}
    heavy = [(u, r["bytes"]) for u, r in articles.items() if r["bytes"] > BUDGET_KB * 1024]
    kbs = sorted(r["bytes"] / 1024 for r in articles.values())
    if kbs:
        print(
            f"  transfer        < {BUDGET_KB} KB on {len(articles) - len(heavy)}/{len(articles)} articles; "
            f"median {statistics.median(kbs):.1f} KB, max {kbs[-1]:.1f} KB"
            " (includes headers; the search index loads on first search)"
        )
    for metric, label, fmt in (("lcp", "LCP ms", ".0f"), ("tbt", "TBT ms", ".0f"), ("cls", "CLS", ".3f")):
        values = [r[metric] for r in results.values()]
        print(f"  {label:15} median {statistics.median(values):{fmt}}, max {max(values):{fmt}}")

    by_audit: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for url, r in results.items():
        for cat, audit_id, title, hint in r["failing"]:
            by_audit[(cat, audit_id, title)].append((url, hint))
    print()
    print("Audits not passed (category · audit id · pages), with the first page's details:")
    if not by_audit:
        print("  none")
    for (cat, audit_id, title), hits in sorted(
        by_audit.items(), key=lambda kv: (CATEGORIES.index(kv[0][0]), -len(kv[1]))
    ):
        where = "every page" if len(hits) == n else ", ".join(u for u, _ in hits)
        print(f"  {SHORT[cat]:4} {audit_id} — {title} — {len(hits)}/{n}: {where}")
        if hits[0][1]:
            print(f"       e.g. {hits[0][0]}: {hits[0][1]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="URL",
        help='URL paths or shell patterns to measure, e.g. "/" "/tapering/" "/medicines/*" (default: every page)',
    )
    parser.add_argument("--site", type=Path, help="measure an already built site folder instead of building one")
    parser.add_argument("--keep", type=Path, help="also write each page's Lighthouse JSON report into this folder")
    parser.add_argument("--timeout", type=int, default=240, help="seconds allowed per page (default 240)")
    args = parser.parse_args()

    try:
        chrome, node = find_chrome(), find_node()
        version = subprocess.run([node, str(CLI), "--version"], capture_output=True, text=True, check=False)
        if version.returncode != 0:
            raise CannotRun(f"`node {CLI} --version` failed:\n{version.stderr.strip()}")
    except CannotRun as exc:
        print(f"lighthouse benchmark cannot run: {exc}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="lh-bench-") as tmp:
        work = Path(tmp)
        site = args.site
        if site is None:
            site = work / "site"
            print("building the site (strict)…", flush=True)
            build(site)
        chosen = select(pages(site), args.pages)
        if not chosen:
            print(f"no page matches {args.pages}", file=sys.stderr)
            return 2
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        print(
            f"Lighthouse {version.stdout.strip()} · {chrome} · mobile, simulated throttling · "
            f"{len(chosen)} page(s) · load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPU(s)",
            flush=True,
        )
        results: dict[str, dict] = {}
        failed: dict[str, str] = {}
        start = time.perf_counter()
        with serve(site) as base:
            for i, (_, url) in enumerate(chosen, 1):
                out = work / f"report-{i}.json"
                for attempt in (1, 2):
                    try:
                        report = run_lighthouse(node, chrome, base + url, out, args.timeout)
                        results[url] = summarise(report)
                        failed.pop(url, None)
                        if args.keep:
                            name = url.strip("/").replace("/", "_") or "index"
                            shutil.copyfile(out, args.keep / f"{name}.json")
                        break
                    except CannotRun as exc:
                        failed[url] = str(exc)
                        if not results and attempt == 2:
                            print(f"lighthouse benchmark cannot run: {exc}", file=sys.stderr)
                            return 2
                print(
                    f"  [{i}/{len(chosen)}] {url} {'ok' if url in results else 'FAILED'}", file=sys.stderr, flush=True
                )
        elapsed = time.perf_counter() - start

    print()
    print_table(results)
    print_summary(results)
    indexes = [r["benchmark_index"] for r in results.values() if r["benchmark_index"]]
    print()
    print(
        f"{len(results)} page(s) measured in {elapsed:.0f} s ({elapsed / max(len(chosen), 1):.1f} s per page); "
        f"Lighthouse benchmark index median {statistics.median(indexes) if indexes else 0:.0f} "
        "(higher is a faster machine)"
    )
    print("Served like a CDN: gzip level 6 for text, Cache-Control: max-age=600 (GitHub Pages' lifetime).")
    if failed:
        print(f"\n{len(failed)} page(s) could not be measured:", file=sys.stderr)
        for url, why in failed.items():
            print(f"  {url}: {why}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
