"""Safe YAML loading with lines: libyaml and the pure-Python parser agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import yamlfile
from checker.yamlfile import YamlError, load_yaml

SAMPLE = """\
# a comment “with” curly quotes
- id: no-relationship
  quote: "“no institutional relationship” — formal or informal"
  asserts:
    none: {fact: relationship, parties: [nypd, clearview]}
  said_on: 2020-02
- id: second
  note: |
    two lines,
    é and ü
  list:
    - 2019
    - [a, b]
"""


class _PurePython(yaml.SafeLoader):
    pass


_PurePython.yaml_implicit_resolvers = yamlfile._Loader.yaml_implicit_resolvers
_PurePython.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yamlfile._construct_mapping
)
_PurePython.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, yamlfile._construct_sequence
)


def _same(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    if isinstance(a, dict):
        assert (a.line, a.key_lines, a.value_spans) == (b.line, b.key_lines, b.value_spans)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, list):
        assert (a.line, a.item_lines) == (b.line, b.item_lines)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


def test_yamlfile_lines_spans_and_values_match_the_pure_python_parser(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    got = load_yaml(path, "claims.yaml")
    _same(got, yaml.load(SAMPLE, Loader=_PurePython))  # noqa: S506 - a SafeLoader
    assert got[0]["said_on"] == "2020-02"  # dates stay as written
    start, end = got[0].value_spans["quote"]
    assert SAMPLE[start:end].startswith('"“no institutional')


def test_yamlfile_loader_is_a_safe_loader() -> None:
    assert issubclass(yamlfile._Loader, (yaml.SafeLoader, getattr(yaml, "CSafeLoader", ())))
    with pytest.raises(YamlError, match="cannot read"):
        load_yaml(Path(__file__).parent / "no-such-file.yaml", "x.yaml")


def test_yamlfile_python_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("x: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(YamlError) as err:
        load_yaml(path, "evil.yaml")
    assert (err.value.problem.path, err.value.problem.line) == ("evil.yaml", 1)
