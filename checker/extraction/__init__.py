"""Facts from document text, as a case uses them: what extraction is asked to
do (`settings`), running the extractor (`checker.extract`) over the documents
with the case index as its cache (`run`, `cache`), review decisions
(`review`), and when a suggested fact counts (`counting`, the only place
that decides it)."""
