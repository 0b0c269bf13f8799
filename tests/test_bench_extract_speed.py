"""The extraction benchmark's baselines are what they say (nothing here is timed)."""

from __future__ import annotations

from bench.extract_speed import header_entities, load_types, same_components, words_of
from checker.extract.mentions import build_nlp
from checker.ingest.document import Document, Message
from checker.model.entities import Entity, EntityIndex

ENTITIES = EntityIndex(
    [
        Entity(id="acme", name="Acme Analytics", kind="organization"),
        Entity(id="city", name="City of Lowell", kind="agency"),
    ]
)


def test_bench_extract_speed_same_components_adds_the_packs_matcher() -> None:
    nlp = same_components(ENTITIES, load_types())
    assert nlp.pipe_names == [*build_nlp(ENTITIES).pipe_names, "pack_matcher"]
    doc = nlp("The City of Lowell signed the license agreement with Acme Analytics.")
    assert {s.label_ for s in doc.spans["matches"]}  # some pack pattern matched
    assert words_of(nlp, ["Hello, world."]) == 2


def test_bench_extract_speed_header_entities_are_senders_and_their_domains() -> None:
    text = "From: Jane Roe <jane.roe@example.org>\n\nHi.\n"
    msg = Message(start=0, end=len(text), from_addr=("Jane Roe", "jane.roe@example.org"),
                  from_line=(0, text.index("\n")))
    doc = Document(path="evidence/m.eml", text=text, messages=[msg], id="d1")
    got = {e["id"]: e for e in header_entities([doc])}
    assert got["org-example"]["domains"] == ["example.org"]
    assert got["p-jane-roe"]["part_of"] == ["org-example"]
    EntityIndex([Entity(**e) for e in got.values()])  # valid entities
