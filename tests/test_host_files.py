"""What the site gives a host and a browser besides its pages: security policy, robots, sitemap,
web-app manifest and the offline service worker."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from macros.site import host_files
from macros.site.host_files import serving_locally

from .conftest import ROOT, parsed

SITE_URL = "https://safe-benzo-withdrawal.github.io/"  # mkdocs.yml's default (SITE_URL unset in tests)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def read_headers(site: Path) -> dict[str, str]:
    lines = (site / "_headers").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "/*", "the headers apply to every path"
    return dict(line.strip().split(": ", 1) for line in lines[1:] if line.strip())


def policy(text: str) -> dict[str, list[str]]:
    directives = (d.split() for d in text.split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


def executable_inline_scripts(page: Path) -> list[str]:
    """Inline <script> bodies a browser would run (JSON and JSON-LD data blocks never run)."""
    soup = parsed(page)
    runs = ("", "text/javascript", "module")
    return [s.string or "" for s in soup.find_all("script") if not s.get("src") and s.get("type", "") in runs]


def sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


# --- Security headers ------------------------------------------------------------------------------


def test_the_headers_file_sets_every_security_header(built_site):
    headers = read_headers(built_site)
    names = {"Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy"}
    assert set(headers) == names
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]


def test_the_policy_allows_no_origin_but_the_sites_own(built_site):
    csp = policy(read_headers(built_site)["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    for name, sources in csp.items():
        for source in sources:
            allowed = source in ("'self'", "'none'", "data:") or re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", source)
            assert allowed, f"{name} allows {source}: only the site's own origin (and data: images) may be allowed"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]


def test_every_page_carries_the_policy_in_a_meta_tag_before_any_script(built_site):
    header = policy(read_headers(built_site)["Content-Security-Policy"])
    del header["frame-ancestors"]  # browsers ignore it in <meta>; it is sent as a header only
    for page in html_pages(built_site):
        text = page.read_text(encoding="utf-8")
        soup = parsed(page)
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, f"{page.relative_to(built_site)} has no Content-Security-Policy <meta>"
        assert policy(meta["content"]) == header, f"{page.relative_to(built_site)}: <meta> and _headers disagree"
        assert text.index('http-equiv="Content-Security-Policy"') < text.index("<script"), (
            f"{page.relative_to(built_site)}: a <meta> policy only governs what comes after it"
        )
        referrer = soup.find("meta", attrs={"name": "referrer"})
        assert referrer is not None and referrer["content"] == "no-referrer"


def test_the_meta_policy_comes_straight_after_the_charset_before_anything_a_page_supplies(built_site):
    """Text from a page (its description, its title) sits after the policy: were it to break out of
    its tag, the policy already governs what it adds. The charset stays first, and only once."""
    for page in html_pages(built_site):
        head = parsed(page).head
        if head is None:  # the redirect stubs MkDocs writes carry no <head> of ours
            continue
        first, second = head.find_all(True, limit=2)
        name = page.relative_to(built_site)
        assert first.name == "meta" and first.get("charset") == "utf-8", f"{name}: {first}"
        assert second.get("http-equiv") == "Content-Security-Policy", f"{name}: {second}"
        assert len(head.find_all("meta", charset=True)) == 1, name


def test_every_inline_script_is_allowed_by_its_hash(built_site):
    allowed = set(policy(read_headers(built_site)["Content-Security-Policy"])["script-src"])
    for page in html_pages(built_site):
        for body in executable_inline_scripts(page):
            digest = sha256(body)
            assert f"'{digest}'" in allowed, (
                f"{page.relative_to(built_site)}: an inline script the policy would block ({body[:60]!r}…). If a "
                f"Material upgrade changed it, read the new script, then list '{digest}' in "
                "macros/host_files.py MATERIAL_INLINE_SCRIPTS."
            )


def test_no_page_has_inline_styles_the_policy_would_block(built_site):
    for page in html_pages(built_site):
        soup = parsed(page)
        assert not soup.find("style"), f"{page.relative_to(built_site)} has a <style> element"
        styled = [tag.name for tag in soup.find_all(style=True)]
        assert not styled, f"{page.relative_to(built_site)} has style= attributes on {styled[:5]}"


def test_mkdocs_serve_leaves_out_the_meta_policy_so_live_reload_works():
    assert serving_locally("http://127.0.0.1:8000/", ("127.0.0.1", 8000))
    assert not serving_locally(SITE_URL, ("127.0.0.1", 8000))


# --- Robots, sitemap, manifest ---------------------------------------------------------------------


def test_robots_txt_allows_everything_and_points_at_the_sitemap(built_site):
    robots = (built_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Disallow: /" not in robots
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots.splitlines()


def test_the_sitemap_lists_every_page_under_the_site_url(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>(.*?)</loc>", sitemap))
    for page in html_pages(built_site):
        rel = page.relative_to(built_site).as_posix()
        if rel == "404.html":
            continue
        url = SITE_URL + rel.removesuffix("index.html")
        assert url in listed, f"sitemap.xml does not list {url}"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_web_app_manifest_names_the_site_and_its_icons_exist(built_site):
    manifest = json.loads((built_site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == "Safe Benzo Withdrawal" and manifest["short_name"]
    assert manifest["start_url"] == "./" and manifest["display"] == "standalone"
    sizes = set()
    for icon in manifest["icons"]:
        path = built_site / icon["src"]
        assert path.is_file(), f"manifest icon {icon['src']} is missing"
        if icon["type"] == "image/png":
            width, height = png_size(path)
            assert icon["sizes"] == f"{width}x{height}", f"{icon['src']} is {width}x{height}, not {icon['sizes']}"
            sizes.add(width)
    assert {192, 512} <= sizes, "installable web apps need 192 and 512 px icons"


def test_every_page_links_the_manifest_favicon_and_theme_colour(built_site):
    for page in html_pages(built_site):
        soup = parsed(page)
        base = f"https://site.invalid/{page.relative_to(built_site).as_posix()}"
        for rel in ("manifest", "icon", "apple-touch-icon"):
            link = soup.find("link", rel=rel)
            assert link is not None, f"{page.relative_to(built_site)} has no <link rel={rel}>"
            if page.name != "404.html":  # the 404 page uses root-relative links, wherever it is served
                target = urlparse(urljoin(base, link["href"])).path.lstrip("/")
                assert (built_site / target).is_file(), f"{page.relative_to(built_site)}: {link['href']} is missing"
        assert soup.find("meta", attrs={"name": "theme-color"}) is not None


# --- Offline reading -------------------------------------------------------------------------------


def test_the_service_worker_sits_at_the_site_root_so_it_covers_every_page(built_site):
    assert (built_site / "sw.js").is_file()
    for page in html_pages(built_site):
        srcs = [s.get("src", "") for s in parsed(page)("script")]
        assert any(src.endswith("assets/javascripts/offline.js") for src in srcs), page.relative_to(built_site)


def test_the_service_worker_always_tries_the_network_first():
    """Medical pages must not be served stale to a reader who is online."""
    sw = (ROOT / "docs" / "sw.js").read_text(encoding="utf-8")
    fetch_handler = sw[sw.index('addEventListener("fetch"') :]
    assert fetch_handler.index("fetch(request)") < fetch_handler.index("caches"), "the network must be tried first"


@pytest.mark.parametrize("name", sorted(host_files.MATERIAL_INLINE_SCRIPTS))
def test_each_allowed_inline_script_hash_is_still_used(built_site, name):
    """A hash no page needs any more widens the policy for nothing: remove it."""
    digest = host_files.MATERIAL_INLINE_SCRIPTS[name]
    used = {sha256(body) for page in html_pages(built_site) for body in executable_inline_scripts(page)}
    assert digest in used, f"{name}: {digest} is allowed but no page has that script"
