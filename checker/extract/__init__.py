"""Extraction: read the text of every message and propose typed facts.

    from checker.extract import extract_facts
    facts = extract_facts(docs, case.entities, case.types)

spaCy is imported only under this package. Patterns are data:
`checker/data/patterns/*.yaml` (format: README.md there) plus a case's
`patterns/` folder.
"""

from checker.extract.pipeline import extract_facts

__all__ = ["extract_facts"]
