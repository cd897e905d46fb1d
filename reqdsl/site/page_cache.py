"""Pages of one file kept from the previous build while what they show is unchanged:
the document pages, and above their split thresholds the per-document matrix and
diagnostics pages.

Generating those pages is most of the page-generation time (a thousand HTML fragments
per page at 10,000 requirements), and an edit changes one or a few of them. A page is
reused when both keys it was made with still hold:

- its *own* key: reqdsl's code, the JUnit reports, reqdsl.toml and custom catalogues
  (the build's global key), the page path, its file's text and where its elements stand
  in the project (section anchors use the element order), and the diagnostics placed
  on them; plus what else the page shows of its own elements that comes from elsewhere
  (the matrix's gaps);
- its *dependencies*: everything the page read about other elements while it was
  generated, as recorded by `SiteIndex.recording` / `SiteDiagrams.recording` (an ID
  looked up, an element's page and anchor, an element's back-links, a diagram), each
  reduced to the facts that reach the HTML (kind, title, page, anchor, file; back-link
  field, source and test result; diagram text and rendering state).

Nothing is assumed about which lookups a page makes: whatever it read is checked. The
record lives in the MkDocs sources folder (`.reqdsl-pages`, beside `docs/`), read and
sealed through the one cache (reqdsl/util/cache.py), with each page's content hash: a
forged record, or a page file changed behind reqdsl's back, means the page is generated
again. A test builds incrementally
after edits and compares the result with a full build, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..util.cache import CacheArea

if TYPE_CHECKING:
    from ..model.elements import ModelElement
    from .context import SiteContext

RECORD = ".reqdsl-pages"


def _digest(parts: list[str]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


class PageCache:
    def __init__(self, folder: Path, global_key: str) -> None:
        self.folder = folder
        # The record is an entry of the one cache (reqdsl/util/cache.py) kept in the site
        # sources' folder: read there without following a link, bounded, sealed, and
        # keyed with reqdsl's code salt on top of the build's own inputs.
        self.area = CacheArea(folder, folder.name, "pages")
        self.global_key = self.area.key(global_key)
        self.previous: dict[str, dict[str, Any]] = {}
        self.current: dict[str, dict[str, Any]] = {}
        self.reused = 0
        self._by_order: dict[int, ModelElement] | None = None
        self._facts: dict[str, str] = {}  # key -> fact, computed once per build
        self._element_facts: dict[int, str] = {}  # id(element) -> fact, once per build
        self._file_keys: dict[str, str] = {}  # path -> its part of the own keys
        payload = self.area.read(RECORD)
        try:
            data = json.loads(payload) if payload is not None else {}
        except ValueError:
            data = {}
        if isinstance(data, dict) and data.get("global") == self.global_key:
            pages = data.get("pages")
            self.previous = pages if isinstance(pages, dict) else {}

    # ------------------------------------------------------------------ keys
    def own_key(
        self,
        ctx: SiteContext,
        page: str,
        path: str,
        elements: list[ModelElement],
        extra: Iterable[str] = (),
    ) -> str:
        """The page's own key: the page, its file's part (`_file_key`) and `extra` (what
        else the page shows of its own elements that the file's text does not decide,
        such as the matrix's gaps)."""
        return _digest([page, self._file_key(ctx, path, elements), *extra])

    def _file_key(self, ctx: SiteContext, path: str, elements: list[ModelElement]) -> str:
        """A file's text, where its elements stand in the project (section anchors use
        the element order) and the diagnostics placed on them; computed once per build
        for the document, matrix and diagnostics pages of the file."""
        found = self._file_keys.get(path)
        if found is None:
            source = ctx.project.sources.get(path)
            parts = [path, source.text if source is not None else "\0missing"]
            for element in elements:
                parts.append(f"{element.order}")
                parts.extend(repr(each) for each in ctx.by_element.get(element.order, []))
            found = self._file_keys[path] = _digest(parts)
        return found

    def _fact(self, ctx: SiteContext, key: str) -> str:
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = self._compute_fact(ctx, key)
        return found

    def _compute_fact(self, ctx: SiteContext, key: str) -> str:
        index = ctx.index
        kind, _, name = key.partition(":")
        saved, index.recording = index.recording, None  # facts are not dependencies
        try:
            if kind == "id":
                element = ctx.project.index.get(name)
                return "-" if element is None else self._element_fact(ctx, element)
            if kind == "el":
                found = self._orders(ctx).get(int(name))
                return "-" if found is None else self._element_fact(ctx, found)
            if kind == "back":
                facts = []
                for back in index.back_links.get(name, []):
                    result = ctx.tests.result_of(back.source) if back.field == "verifies" else ""
                    facts.append(f"{back.field}|{self._element_fact(ctx, back.source)}|{result}")
                return "\n".join(facts)
            if kind == "fig":
                diagrams = ctx.diagrams
                text = diagrams.sources.get(name)
                if text is None:
                    return "-"
                svg = diagrams.svgs.get(name)
                failed = diagrams.failed.get(name) or diagrams.note or ""
                return f"{_digest([text])}|{_digest([svg]) if svg else ''}|{failed}"
        finally:
            index.recording = saved
        return "?"

    def _element_fact(self, ctx: SiteContext, element: ModelElement) -> str:
        found = self._element_facts.get(id(element))
        if found is None:
            index = ctx.index
            found = self._element_facts[id(element)] = repr(
                (
                    element.kind,
                    element.id,
                    element.title,
                    element.path,
                    element.order,
                    index.page_of(element),
                    index.anchor_of(element),
                    element.document,
                )
            )
        return found

    def _in_file(self, ctx: SiteContext, key: str, path: str) -> bool:
        kind, _, name = key.partition(":")
        if kind == "el":
            element = self._orders(ctx).get(int(name))
        elif kind == "id":
            element = ctx.project.index.get(name)
        else:
            return False
        return element is not None and element.path == path

    def _orders(self, ctx: SiteContext) -> dict[int, ModelElement]:
        if self._by_order is None:
            self._by_order = {element.order: element for element in ctx.project.elements}
        return self._by_order

    def _dependency_key(self, ctx: SiteContext, keys: list[str]) -> str:
        # One string hashed at once: the facts are memoised, the hashing is what is left.
        fact = self._fact
        text = "\0".join([f"{key}={fact(ctx, key)}" for key in keys])
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    # ------------------------------------------------------------------ use
    def reuse(self, ctx: SiteContext, page: str, own: str) -> str | None:
        """The previous Markdown of `page` if it is still what generating it would give."""
        entry = self.previous.get(page)
        if not isinstance(entry, dict) or entry.get("own") != own:
            return None
        keys = entry.get("reads")
        if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
            return None
        if entry.get("deps") != self._dependency_key(ctx, keys):
            return None
        try:
            data = (self.folder / "docs" / page).read_bytes()
        except OSError:
            return None
        if hashlib.blake2b(data, digest_size=16).hexdigest() != entry.get("content"):
            return None
        self.current[page] = entry
        self.reused += 1
        return data.decode("utf-8")

    def remember(
        self, ctx: SiteContext, page: str, own: str, reads: set[str], text: str, path: str
    ) -> None:
        # What the page read about its own file's elements is in its own key already (the
        # file's text, the element order, their diagnostics: a duplicate ID elsewhere
        # that moves an anchor brings an SM001 with it).
        keys = sorted(key for key in reads if not self._in_file(ctx, key, path))
        self.current[page] = {
            "own": own,
            "reads": keys,
            "deps": self._dependency_key(ctx, keys),
            "content": hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest(),
        }

    def page(
        self,
        ctx: SiteContext,
        page: str,
        path: str,
        elements: list[ModelElement],
        make: Callable[[], str],
        extra: Iterable[str] = (),
    ) -> str:
        """The Markdown of `page`, a page of the file `path` (its `elements`): kept from
        the previous build when its own key and everything it read still hold, else made
        by `make()` while its lookups are recorded."""
        own = self.own_key(ctx, page, path, elements, extra)
        text = self.reuse(ctx, page, own)
        if text is None:
            reads: set[str] = set()
            ctx.index.recording = ctx.diagrams.recording = reads
            try:
                text = make()
            finally:
                ctx.index.recording = ctx.diagrams.recording = None
            self.remember(ctx, page, own, reads, text, path)
        return text

    def record(self) -> bytes | None:
        """The sealed record of this build's pages (None: no key, no cache)."""
        payload = json.dumps({"global": self.global_key, "pages": self.current}, sort_keys=True)
        return self.area.pack(payload.encode("utf-8"))
