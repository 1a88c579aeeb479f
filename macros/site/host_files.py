"""What a static host reads besides the pages: security headers (`_headers`) and `robots.txt`.

The same Content-Security-Policy goes into every page as a <meta> tag (overrides/main.html), for
hosts such as GitHub Pages that cannot set headers. It allows only the site's own origin. The few
inline scripts Material writes into every page are allowed by hash, not by 'unsafe-inline';
tests/test_host_files.py fails, naming the new hash, if a Material upgrade changes one of them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

# sha256 of each inline <script> Material puts in every page (mkdocs.yml sets extra.scope to "/"
# so the first one is the same on every page, whatever its depth).
MATERIAL_INLINE_SCRIPTS = {
    "partials/javascripts/base.html (__md_scope, __md_get, __md_set)": (
        "sha256-exqRXrW/0laiImCrTE8a70vxyyY10FJVIppytLf/dbY="
    ),
    "partials/javascripts/palette.html (restores the reader's light/dark choice)": (
        "sha256-DrEMJJ29sL7vIloQzly+VUGMxKcBTMII+OfW7Y8AkG4="
    ),
    "partials/javascripts/content.html (opens the tab a #link points at)": (
        "sha256-/8wPdzX9q0NNJXyA5lzsLojXFpkeaXVxhbfkUOQaWy8="
    ),
}

_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": " ".join(["'self'", *(f"'{h}'" for h in MATERIAL_INLINE_SCRIPTS.values())]),
    "style-src": "'self'",
    "img-src": "'self' data:",  # Material draws its icons as data: SVG in CSS
    "font-src": "'self'",
    "connect-src": "'self'",  # the search index, and the offline cache
    "worker-src": "'self'",  # the search worker and the offline service worker
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# Directives a <meta> policy ignores (and browsers warn about): header only.
_HEADER_ONLY = {"frame-ancestors": "'none'"}

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
REFERRER_POLICY = "no-referrer"  # a medical site: the page a reader came from stays private


def content_security_policy(*, meta: bool = False) -> str:
    directives = _DIRECTIVES if meta else _DIRECTIVES | _HEADER_ONLY
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(),
        "Referrer-Policy": REFERRER_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }


def headers_file() -> str:
    """The `_headers` format Netlify and Cloudflare Pages read: a path pattern, then indented headers."""
    lines = ["/*", *(f"  {name}: {value}" for name, value in security_headers().items())]
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    """Everything may be indexed; the sitemap is where MkDocs writes it."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n"


def write_host_files(site_dir: Path, site_url: str) -> None:
    (site_dir / "_headers").write_text(headers_file(), encoding="utf-8")
    (site_dir / "robots.txt").write_text(robots_txt(site_url), encoding="utf-8")


def serving_locally(site_url: str | None, dev_addr: tuple[str, int]) -> bool:
    """`mkdocs serve` points site_url at its own address (mkdocs/commands/serve.py)."""
    host, port = dev_addr
    return urlsplit(site_url or "").netloc == f"{host}:{port}"
