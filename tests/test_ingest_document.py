"""`Document.message_at`: the binary search gives what a scan in order gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.ingest.document import Document, Message


def _scan(doc: Document, offset: int) -> Message | None:
    return next((m for m in doc.messages if m.start <= offset < m.end), None)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=12),
    st.lists(st.integers(-5, 500), max_size=30),
)
def test_ingest_document_message_at_equals_a_scan(
    spans: list[tuple[int, int]], offsets: list[int]
) -> None:
    # some spans apart and in order, some nested or overlapping
    msgs = [Message(start=a, end=a + n) for a, n in spans]
    doc = Document(path="evidence/x.mbox", text="x" * 600, messages=msgs)
    for offset in offsets:
        assert doc.message_at(offset) is _scan(doc, offset)


def test_ingest_document_message_at_follows_messages_added_later() -> None:
    doc = Document(path="evidence/x.mbox", text="x" * 100, messages=[Message(start=0, end=10)])
    assert doc.message_at(20) is None
    doc.messages.append(Message(start=10, end=30))
    assert doc.message_at(20) is doc.messages[1]


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(
    st.lists(st.tuples(st.integers(0, 20), st.integers(1, 30)), max_size=40),
    st.lists(st.integers(-5, 2000), max_size=40),
)
def test_ingest_document_message_at_in_an_mbox_of_messages_apart(
    gaps: list[tuple[int, int]], offsets: list[int]
) -> None:
    msgs, at = [], 0
    for gap, size in gaps:
        msgs.append(Message(start=at + gap, end=at + gap + size))
        at += gap + size
    doc = Document(path="evidence/x.mbox", text="x" * 2000, messages=msgs)
    for offset in offsets + [m.start for m in msgs] + [m.end for m in msgs]:
        assert doc.message_at(offset) is _scan(doc, offset)
