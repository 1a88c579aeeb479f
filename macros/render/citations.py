"""Numbered citations for one page and the reference list they point to.

Numbers follow first use on the page, so the list at the bottom reads in the
order a reader meets the sources. Every string from data is escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from ..data.models import Source
from .common import inert

# What an address may carry as it is: RFC 3986's reserved and unreserved characters, and "%" for
# escapes already made. Anything else (the quotes in an openFDA query, a space, non-ASCII) is
# percent-encoded, as a browser would do before requesting it: the same address, valid in an href.
_URL_SAFE = ";/?:@&=+$,-_.!~*'()#[]%"
# A DOI becomes a path on doi.org, where "?", "#" and "%" would change its meaning.
_DOI_SAFE = ";/:@&=+$,-_.!~*'()"


def href(url: str) -> str:
    """A URL from data, ready for an href attribute: percent-encoded where needed, then HTML-escaped."""
    return inert(quote(url, safe=_URL_SAFE))


def format_source(source: Source) -> str:
    """One reference as HTML: authors. title. container; year. links."""
    parts = [f"{inert(source.authors)}.", f"<cite>{inert(source.title)}</cite>."]
    tail = "; ".join(inert(str(x)) for x in (source.container, source.year) if x)
    if tail:
        parts.append(f"{tail}.")
    links = []
    if source.doi:
        doi_url = "https://doi.org/" + quote(source.doi, safe=_DOI_SAFE)
        links.append(f'<a href="{inert(doi_url)}">doi:{inert(source.doi)}</a>')
    if source.pmid:
        links.append(f'<a href="https://pubmed.ncbi.nlm.nih.gov/{inert(source.pmid)}/">PMID {inert(source.pmid)}</a>')
    if source.url:
        links.append(f'<a href="{href(source.url)}">{inert(_host(source.url))}</a>')
    if links:
        parts.append(" · ".join(links))
    if source.note:
        parts.append(f'<span class="sbw-ref-note">{inert(source.note)}</span>')
    return " ".join(parts)


def _host(url: str) -> str:
    return url.split("/")[2] if url.count("/") >= 2 else url


class Citations:
    """The citations of one page."""

    def __init__(self, sources: Mapping[str, Source]) -> None:
        self._sources = sources
        self._order: list[str] = []

    def number(self, source_id: str) -> int:
        if source_id not in self._sources:
            known = ", ".join(self._sources)
            raise KeyError(f"unknown source id {source_id!r}; add it to data/sources.yaml first (known: {known})")
        if source_id not in self._order:
            self._order.append(source_id)
        return self._order.index(source_id) + 1

    def cite(self, *source_ids: str) -> str:
        """A superscript marker such as [1, 3] linking to the reference list."""
        if not source_ids:
            raise ValueError("cite() needs at least one source id")
        numbers = [self.number(i) for i in source_ids]  # validates ids before they are used
        links = ", ".join(
            f'<a href="#ref-{inert(i)}" title="{inert(self._sources[i].short)}">{n}</a>'
            for i, n in zip(source_ids, numbers, strict=True)
        )
        return f'<sup class="sbw-cite">[{links}]</sup>'

    def reference_list(self, extra: tuple[str, ...] = ()) -> str:
        """The page's references: everything cited, then the page's declared sources not yet cited."""
        for source_id in extra:
            self.number(source_id)
        if not self._order:
            return ""
        items = "".join(f'<li id="ref-{inert(i)}">{format_source(self._sources[i])}</li>' for i in self._order)
        return f'<ol class="sbw-references">{items}</ol>'
