"""A loaded case's documents, read from the case index when asked for.

`CaseDocuments` maps every location (a path from the case root) to its
`Document`, as `Case.documents` always has, but holds no text up front: it
lists each document's key, id and paths once, reads a document from the index
when it is looked up, and keeps at most a few of them (`CACHE` documents and
`CACHE_CHARS` characters of text; the least recently used go first). Memory
then grows with the number of files, not with their text, whatever the
corpus size. `containing` answers "which documents have these words" in
SQLite, for the attribution of quoted passages, without decoding the rest.

The index stays open for the life of the case (a read-only case folder's
index is in memory and lives as long as the case); `close()` closes it, and
so does garbage collection. No transaction is held open meanwhile: a
document's row is keyed by the SHA-256 of its bytes, so a key read later
gives the same text as when the case was loaded, or nothing if another
process has since re-ingested the file (a lookup then raises `KeyError`, as
for an unknown path).
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from checker.ingest.document import Document, Message
from checker.ingest.evidence import FileRecord
from checker.ingest.index import DocumentEntry, Index, Progress
from checker.ingest.records import Part, Record, outline, part_at

CACHE = 32  # documents kept after a lookup
CACHE_CHARS = 32_000_000  # and at most this much text among them (one larger stays alone)


class CaseDocuments(Mapping[str, Document]):
    """Documents by location, read from `index` on lookup, at most `cache` kept.

    While a document is kept, all its paths give the same object; after it has
    been dropped a lookup reads it again, so compare documents by `path`, not
    by identity."""

    def __init__(self, index: Index, cache: int | None = None, cache_chars: int | None = None):
        self.index = index
        self._close = weakref.finalize(self, index.close)
        self.entries: list[DocumentEntry] = index.entries()  # in the order of first paths
        locations = sorted(
            ((loc, e) for e in self.entries for loc in e.locations),
            key=lambda le: PurePosixPath(le[0]),
        )
        self._by_location: dict[str, DocumentEntry] = dict(locations)
        self._kept: OrderedDict[str, Document] = OrderedDict()  # by entry key, oldest first
        self._chars = 0
        # After `survey`: outlines of the documents with redactions or quoted history.
        self._outlines: dict[str, Document] | None = None
        # records (and their starts) by entry key, a few kept
        self._parts: dict[str, tuple[list[Part], tuple[list[int], list[int]]]] = {}
        self.cache = CACHE if cache is None else cache
        self.cache_chars = CACHE_CHARS if cache_chars is None else cache_chars

    # -- the mapping ---------------------------------------------------------
    def __getitem__(self, location: str) -> Document:
        return self.load(self._by_location[location])

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_location)

    def __len__(self) -> int:
        return len(self._by_location)

    def __contains__(self, location: object) -> bool:
        return location in self._by_location

    # -- reading -------------------------------------------------------------
    def load(self, entry: DocumentEntry) -> Document:
        """`entry`'s document, from the ones kept or read now (and then kept)."""
        doc = self._kept.get(entry.key)
        if doc is not None:
            self._kept.move_to_end(entry.key)
            return doc
        doc = next(self.index.read([entry]), None)
        if doc is None:  # another process removed it since: as a dict would say
            raise KeyError(entry.path)
        self._kept[entry.key] = doc
        self._chars += len(doc.text)
        while len(self._kept) > 1 and (
            len(self._kept) > self.cache or self._chars > self.cache_chars
        ):
            _, old = self._kept.popitem(last=False)
            self._chars -= len(old.text)
        return doc

    def kept(self) -> int:
        """How many documents are held now."""
        return len(self._kept)

    def read(self, entries: Iterable[DocumentEntry]) -> Iterator[Document]:
        """The documents of `entries`, read one at a time and not kept: for a pass
        over the whole case."""
        return self.index.read(entries)

    def each(self) -> Iterator[Document]:
        """Every document once, in the order of its first path, one at a time."""
        return self.read(self.entries)

    def survey(self, entries: Sequence[DocumentEntry]) -> Iterator[Document]:
        """`read(entries)`, keeping an outline of each document that has redactions
        or quoted history; once every document has gone by, `outline` answers."""
        outlines: dict[str, Document] = {}
        seen = 0
        for doc in self.read(entries):
            seen += 1
            if doc.redactions or any(m.quoted for m in doc.messages):
                outlines[doc.path] = Document(
                    doc.path,
                    "",
                    [Message(m.start, m.end, quoted=m.quoted) for m in doc.messages],
                    redactions=list(doc.redactions),
                )
            yield doc
        if seen == len(self.entries):
            self._outlines = outlines

    def outline(self, location: str) -> Document | None:
        """The document at `location` without its text or headers: its messages'
        spans and quoted history, and its redactions, enough to tell whether a
        passage lies in a quote or next to a redaction without reading it. None
        before a `survey` of every document, or for an unknown location."""
        entry = self._by_location.get(location)
        if entry is None or self._outlines is None:
            return None
        return self._outlines.get(entry.path) or Document(entry.path, "")

    def containing(self, words: Sequence[str]) -> Iterator[Document]:
        """The documents whose text has every one of `words`, verbatim (case and
        all), read one at a time and not kept. SQLite does the search, so the
        documents that lack a word are never decoded."""
        if not words:
            yield from self.each()
            return
        where = " AND ".join("instr(text, ?) > 0" for _ in words)
        rows = self.index.con.execute(f"SELECT key FROM documents WHERE {where}", tuple(words))
        keys = {key for (key,) in rows.fetchall()}
        yield from self.read(e for e in self.entries if e.key in keys)

    # -- records -------------------------------------------------------------
    def _records(self, location: str) -> tuple[list[Part], tuple[list[int], list[int]]]:
        entry = self._by_location.get(location)
        if entry is None:
            return [], ([], [])
        found = self._parts.get(entry.key)
        if found is None:
            parts = self.index.parts(entry.key)
            found = self._parts[entry.key] = (parts, outline(parts))
            while len(self._parts) > self.cache:
                self._parts.pop(next(iter(self._parts)))
        return found

    def parts(self, location: str) -> list[Part]:
        """The records of the document at `location`, in order ([] if unknown)."""
        return self._records(location)[0]

    def part_at(self, location: str, offset: int) -> Part | None:
        """The record of the document at `location` that holds `offset`."""
        parts, index = self._records(location)
        return part_at(parts, offset, index)

    def records(self) -> list[Record]:
        """Every record of the case once, copies merged (`checker.ingest.records`)."""
        return self.index.records(self.entries)

    # -- the rest of the index -----------------------------------------------
    def manifest(self) -> list[FileRecord]:
        """Every file under evidence/, as `Index.manifest` gives it."""
        return self.index.manifest()

    def facts_files(self) -> list[Path]:
        """The analyst-fact files, as `Index.facts_files` gives them."""
        return self.index.facts_files()

    def checkpoint(self) -> None:
        """Write what other connections added (the extraction cache) from the
        write-ahead log into the index file, as closing the last connection
        would: the file alone is then the whole index while the case is open."""
        self.index.con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        """End the snapshot and close the index; lookups fail afterwards."""
        self._kept.clear()
        self._close()


def open_documents(
    root: Path, tz: ZoneInfo, progress: Progress | None = None, cache: int | None = None
) -> CaseDocuments:
    """The case index brought up to date (`Index.update`), then its documents."""
    index = Index(root, tz)
    try:
        index.update(progress)
        return CaseDocuments(index, cache)
    except BaseException:
        index.close()
        raise
