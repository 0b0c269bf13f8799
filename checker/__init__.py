"""checker: public statements against public-records evidence.

Pipeline: a case folder is loaded (`checker.case`), email headers become
facts (`checker.ingest`), rules derive more facts (`checker.engine`), each
claim gets a verdict with citations and a proof (`checker.engine.evaluate`),
and `checker.report` prints it.
"""

__version__ = "0.1.0"
