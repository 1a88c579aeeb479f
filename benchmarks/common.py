"""Helpers shared by the benchmarks: build the site, list its pages, gzip, serve it, time it."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import mimetypes
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

# What a CDN compresses (GitHub Pages, Netlify, Cloudflare all gzip these; images are already compressed).
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".map", ".ico"}
GZIP_LEVEL = 6  # zlib's default; CDNs use 4–9 or brotli, so real transfers are within a few percent of this


def build(site_dir: Path, config: Path = ROOT / "mkdocs.yml", cwd: Path = ROOT) -> float:
    """Seconds for one `mkdocs build --strict` in a fresh process (what a maintainer waits for)."""
    return build_timed(site_dir, config, cwd)[0]


def build_timed(site_dir: Path, config: Path = ROOT / "mkdocs.yml", cwd: Path = ROOT) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one strict build. CPU time (user + system of the build and the git
    processes it runs) hardly changes when other jobs share the machine; wall time does."""
    env = {**os.environ, **MKDOCS_ENV}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(site_dir),
            "--config-file",
            str(config),
        ],
        cwd=cwd,
        env=env,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(runs: int, fn) -> tuple[float, list[float]]:
    times = [fn() for _ in range(runs)]
    return statistics.median(times), times


def is_redirect_stub(page: Path) -> bool:
    """The redirects plugin's pages only forward to the new URL; they are not pages a reader reads."""
    head = page.read_text(encoding="utf-8", errors="replace")[:2000].lower()
    return 'http-equiv="refresh"' in head


def pages(site: Path) -> list[tuple[Path, str]]:
    """Every real HTML page of a built site with its URL path ("/", "/tapering/", "/404.html")."""
    found = []
    for page in sorted(site.rglob("*.html")):
        if is_redirect_stub(page):
            continue
        rel = page.relative_to(site).as_posix()
        if rel == "index.html":
            url = "/"
        elif rel.endswith("/index.html"):
            url = "/" + rel.removesuffix("index.html")
        else:
            url = "/" + rel
        found.append((page, url))
    return found


def is_article(url: str) -> bool:
    """Pages built from docs/*.md; the 404 page is the theme's, not an article."""
    return url != "/404.html"


@functools.lru_cache(maxsize=4096)
def gzipped(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)


def transfer_size(path: Path) -> int:
    """Bytes on the wire for the body: gzip for text types, as stored for the rest (headers not counted)."""
    return len(gzipped(path)) if path.suffix in COMPRESSIBLE else path.stat().st_size


class _CdnLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files the way a CDN serves them: gzip for text types, keep-alive, GitHub Pages' cache lifetime."""

    protocol_version = "HTTP/1.1"
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, format, *args):  # quiet
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and path.suffix in COMPRESSIBLE and accepts_gzip):
            return super().send_head()  # directories without a slash (301), 404s, images
        body = gzipped(path)
        ctype = self.extensions_map.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(200)
        self.send_header("Content-Type", ctype if not ctype.startswith("text/") else f"{ctype}; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (a free port); yields the base URL without a trailing slash."""
    handler = functools.partial(_CdnLikeHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
