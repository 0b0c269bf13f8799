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


# "Billion laughs": nine lines, 9**9 copies of "lol" once every alias is expanded.
LAUGHS = '- &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"- &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        pytest.param(LAUGHS, 5, "anchors and aliases expand", id="alias-bomb"),
        pytest.param("- ok\n- {k: &c [x, *c]}\n", 2, "a loop", id="alias-loop"),
        pytest.param("- " + "[" * 300 + "]" * 300 + "\n", 1, "nested more than", id="too-deep"),
    ],
)
def test_yamlfile_refuses_documents_that_explode_when_built(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(YamlError) as err:
        load_yaml(path, "claims/claims.yaml")
    problem = err.value.problem
    assert (problem.path, problem.line) == ("claims/claims.yaml", line)
    assert says in problem.message
    assert "write the values out" in problem.message or "flatten" in problem.message


def test_yamlfile_keeps_modest_anchors_and_merge_keys(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(
        "- &base {speaker: acme, said_on: 2020-02}\n- {<<: *base, id: two}\n- [*base, *base]\n",
        encoding="utf-8",
    )
    got = load_yaml(path, "claims.yaml")
    assert got[1] == {"speaker": "acme", "said_on": "2020-02", "id": "two"}
    assert got[2] == [got[0], got[0]]


def test_yamlfile_refuses_a_file_over_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yamlfile, "MAX_YAML_BYTES", 100)
    path = tmp_path / "claims.yaml"
    path.write_text("- " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(YamlError, match="too large for a case file.*split it"):
        load_yaml(path, "claims.yaml")


def test_yamlfile_value_from_the_command_line_refuses_a_loop() -> None:
    with pytest.raises(yaml.YAMLError, match="loop"):
        yamlfile.load_value("&a [*a]")
