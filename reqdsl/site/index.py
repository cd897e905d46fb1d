"""Where everything lives on the site: a page per document, an anchor per element, and the
links between elements in both directions.

Every element with an ID has exactly one home: an anchor named by its ID on its
document's page (`documents/srs.md#REQ-BOOK-001`). The second definition of a duplicated
ID (SM001) gets `ID--2` so that anchors stay unique; references resolve to the first
definition, as the language says. Other pages (matrix, reports) link to these homes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from ..model.elements import ModelElement
from ..model.project import Project
from ..model.schema import FIELD_SPECS
from .html import esc, is_safe_anchor, link, relative_url

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class BackLink:
    field: str
    source: ModelElement


@dataclass
class SiteIndex:
    """Pages of documents, anchors of elements, back-links. Built once per generation."""

    project: Project
    document_pages: dict[str, str] = field(default_factory=dict)  # file path -> page
    documents: list[tuple[str, ModelElement | None]] = field(default_factory=list)
    anchors: dict[int, str] = field(default_factory=dict)  # element order -> anchor
    back_links: dict[str, list[BackLink]] = field(default_factory=dict)
    _refs: dict[tuple[str, str, bool], str] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, project: Project) -> SiteIndex:
        index = cls(project)
        index._place_documents()
        index._place_elements()
        index._collect_back_links()
        return index

    def _place_documents(self) -> None:
        heads: dict[str, ModelElement] = {}
        for element in self.project.elements:
            if element.kind == "document" and element.path not in heads:
                heads[element.path] = element
        files = list(self.project.sources)
        positions = {path: position for position, path in enumerate(files)}
        order = {doc_id: rank for rank, doc_id in enumerate(self.project.config.document_order)}
        unordered = len(order)

        def rank(path: str) -> tuple[int, int]:
            head = heads.get(path)
            position = order.get(head.id, unordered) if head is not None and head.id else unordered
            return position, positions[path]

        used: set[str] = {"index"}
        for path in sorted(files, key=rank):
            head = heads.get(path)
            base = _slug(head.id if head is not None and head.id else path.rsplit(".", 1)[0])
            name, number = base, 2
            while name in used:
                name, number = f"{base}-{number}", number + 1
            used.add(name)
            page = f"documents/{name}.md"
            self.document_pages[path] = page
            self.documents.append((page, head))

    def _place_elements(self) -> None:
        seen: dict[str, int] = {}
        for element in self.project.elements:
            if element.id is None or not is_safe_anchor(element.id):
                continue
            count = seen.get(element.id, 0) + 1
            seen[element.id] = count
            self.anchors[element.order] = element.id if count == 1 else f"{element.id}--{count}"

    def _collect_back_links(self) -> None:
        found: dict[str, list[BackLink]] = defaultdict(list)
        for element in self.project.elements:
            if element.broken or element.id is None:
                continue
            specs = FIELD_SPECS.get(element.kind, {})
            for name in element.field_spans:
                spec = specs.get(name)
                if spec is None or not spec.value_kind.links:
                    continue
                for target in sorted(set(spec.value_kind.targets(element, spec))):
                    if target != element.id:
                        found[target].append(BackLink(name, element))
            for attribute in element.attributes:  # a data attribute typed by another data
                if attribute.type in self.project.index and attribute.type != element.id:
                    found[attribute.type].append(BackLink("type", element))
        self.back_links = dict(found)

    # ------------------------------------------------------------------ lookups

    # While `recording` is a set, every lookup notes what it read there ("id:X",
    # "el:ORDER", "back:X"): reqdsl.site.page_cache keeps a page while those read the same.
    recording: set[str] | None = None

    def page_of(self, element: ModelElement) -> str:
        if self.recording is not None:
            self.recording.add(f"el:{element.order}")
        return self.document_pages.get(element.path, "documents/index.md")

    def anchor_of(self, element: ModelElement) -> str | None:
        if self.recording is not None:
            self.recording.add(f"el:{element.order}")
        return self.anchors.get(element.order)

    def href(self, from_page: str, element: ModelElement) -> str:
        return relative_url(from_page, self.page_of(element), self.anchor_of(element))

    def exists(self, element_id: str) -> bool:
        if self.recording is not None:
            self.recording.add(f"id:{element_id}")
        return element_id in self.project.index

    def href_id(self, from_page: str, element_id: str) -> str | None:
        if self.recording is not None:
            self.recording.add(f"id:{element_id}")
        element = self.project.index.get(element_id)
        return self.href(from_page, element) if element is not None else None

    def back_links_of(self, element_id: str) -> list[BackLink]:
        if self.recording is not None:
            self.recording.add(f"back:{element_id}")
        return self.back_links.get(element_id, [])

    def ref(self, from_page: str, element_id: str, *, with_title: bool = False) -> str:
        """HTML for a reference to `element_id`: a link to its home with its title as a
        tooltip, or the ID marked unresolved (SM002 reports it). Cached: a page links to
        the same elements again and again."""
        if self.recording is not None:
            self.recording.add(f"id:{element_id}")
        key = (from_page, element_id, with_title)
        found = self._refs.get(key)
        if found is None:
            found = self._refs[key] = self._ref(from_page, element_id, with_title)
        return found

    def _ref(self, from_page: str, element_id: str, with_title: bool) -> str:
        element = self.project.index.get(element_id)
        if element is None:
            return f'<span class="rq-unresolved" title="no such element">{esc(element_id)}</span>'
        label = esc(element_id)
        if with_title and element.title:
            label += f' <span class="rq-title">{esc(element.title)}</span>'
        return link(self.href(from_page, element), label, title=element.title)

    def refs(self, from_page: str, element_ids: list[str], *, with_title: bool = False) -> str:
        return ", ".join(self.ref(from_page, i, with_title=with_title) for i in element_ids)

    def document_of(self, element: ModelElement) -> ModelElement | None:
        if self.recording is not None and element.document:
            self.recording.add(f"id:{element.document}")
        head = self.project.index.get(element.document) if element.document else None
        return head if head is not None and head.kind == "document" else None


def _slug(text: str) -> str:
    """A file name for a document page: lower-case ASCII, so that `SRS` and `srs` cannot
    collide on a case-insensitive file system (collisions get a number)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug or "document"
