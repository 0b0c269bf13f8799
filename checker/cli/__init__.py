"""The `checker` command line; the console script is `checker.cli:main`.

`app` registers the commands in pipeline order. `options` defines the options
and arguments they share, `output` writes results, errors and progress, and
`load` loads a case or its evidence for them. The commands live by stage:
`evidence` (validate, ingest, docs, show), `search`, `entities`, `facts`
(extract, facts and facts add, review), `why` and `verdicts` (check, explain).
"""

from checker.cli.app import app, main

__all__ = ["app", "main"]
