"""Parallel ingest and extraction (`checker.parallel`): the index is the same byte
for byte with one worker, two worker processes or a Dask cluster; only new or
changed documents are read again; a document the extractor fails on is a
warning, not a crash. Issue #6."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.corpus import write_case
from checker.case.load import Case, load_case
from checker.case.meta import case_timezone
from checker.cli import app
from checker.errors import DaskNotInstalled
from checker.extraction import run as extraction
from checker.ingest.index import open_index
from checker.model.facts import Fact
from checker.parallel import RUNNER, Runner
from tests.conftest import SPEC_CASE

SMALL = 4  # items per task in these tests, so that even a small case uses the workers


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """90 messages: one mbox, 30 .eml files and a 30-message Maildir."""
    root = tmp_path_factory.mktemp("corpus") / "case"
    write_case(root, 90, seed=7)
    return root


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".checker"))
    return dst


def dump(root: Path) -> str:
    """The whole index as SQL, with the one timestamp column (when each file was
    last looked at) zeroed: everything else must match byte for byte."""
    copy = root / ".checker" / "dump.sqlite"
    shutil.copyfile(root / ".checker" / "index.sqlite", copy)
    con = sqlite3.connect(copy)
    try:
        con.execute("UPDATE files SET checked_ns = 0")
        con.commit()
        return "\n".join(con.iterdump())
    finally:
        con.close()
        copy.unlink()


def run_all(root: Path, runner: Runner[Any]) -> Case:
    """Ingest and extract, as `checker extract` does, with `runner`."""
    shutil.rmtree(root / ".checker", ignore_errors=True)
    token = RUNNER.set(runner)
    try:
        return load_case(root, force_extraction=True)
    finally:
        RUNNER.reset(token)


def _same_index_with(runner: Runner[Any], src: Path, tmp_path: Path) -> None:
    root = _copy(src, tmp_path / "case")
    one = run_all(root, Runner(workers=1))
    expected = dump(root)
    other = run_all(root, runner)
    assert dump(root) == expected
    assert [f.id for f in other.extracted] == [f.id for f in one.extracted]
    assert [r.status for r in other.manifest] == [r.status for r in one.manifest]


# -- the same index, whatever runs the work -----------------------------------
def test_parallel_two_workers_give_the_index_one_worker_gives(corpus: Path, tmp_path: Path) -> None:
    root = _copy(corpus, tmp_path / "case")
    loaded = run_all(root, Runner(workers=1))
    assert loaded.extraction is not None and loaded.extraction.read > 0
    assert sum(r.messages for r in loaded.manifest) == 90
    assert loaded.extracted, "the corpus should give some facts to compare"
    _same_index_with(Runner(workers=2, chunk=SMALL), corpus, tmp_path / "again")


def test_parallel_spec_case_same_index_with_two_workers(tmp_path: Path) -> None:
    if not SPEC_CASE.is_dir():
        pytest.skip(f"the spec's example case is not at {SPEC_CASE}")
    _same_index_with(Runner(workers=2, chunk=1), SPEC_CASE, tmp_path)


def test_parallel_ingest_alone_same_index_and_stats(corpus: Path, tmp_path: Path) -> None:
    root = _copy(corpus, tmp_path / "case")
    dumps, stats = [], []
    for runner in (Runner(workers=1), Runner(workers=2, chunk=SMALL)):
        shutil.rmtree(root / ".checker", ignore_errors=True)
        with open_index(root, case_timezone(root)) as index:
            stats.append(index.update(runner=runner))
        dumps.append(dump(root))
    assert dumps[0] == dumps[1]
    assert stats[0] == stats[1]
    assert stats[0].read == 61  # the mbox, 30 .eml files, 30 Maildir files


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A Dask LocalCluster of two worker processes, one thread each."""
    distributed = pytest.importorskip("distributed")
    local = distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    )
    try:
        yield local.scheduler_address
    finally:
        local.close()


def test_parallel_dask_cluster_gives_the_index_a_local_run_gives(
    corpus: Path, cluster: str, tmp_path: Path
) -> None:
    distributed = pytest.importorskip("distributed")
    _same_index_with(Runner(dask=cluster, chunk=SMALL), corpus, tmp_path)
    # The work ran on the cluster's workers, each of which built one pipeline.
    with distributed.Client(cluster, set_as_default=False) as client:
        built = client.run(_pipelines)
    assert sorted(built.values()) == [1, 1]


def _pipelines() -> int:
    return len(extraction._PIPELINE)


def test_parallel_cli_ingest_and_extract_on_a_dask_cluster(
    corpus: Path, cluster: str, tmp_path: Path
) -> None:
    local = _copy(corpus, tmp_path / "local")
    remote = _copy(corpus, tmp_path / "remote")
    cli = CliRunner()
    for args in (["ingest", local, "--workers", "1"], ["extract", local, "--workers", "1"]):
        assert cli.invoke(app, [str(a) for a in args]).exit_code == 0
    for args in (["ingest", remote, "--dask", cluster], ["extract", remote, "--dask", cluster]):
        result = cli.invoke(app, [str(a) for a in args])
        assert result.exit_code == 0, result.output
    assert dump(remote) == dump(local)


# -- incremental ---------------------------------------------------------------
def test_parallel_second_run_reads_and_extracts_only_the_changed_file(
    corpus: Path, tmp_path: Path
) -> None:
    root = _copy(corpus, tmp_path / "case")
    runner = Runner(workers=2, chunk=SMALL)
    run_all(root, runner)
    changed = sorted((root / "evidence" / "eml").rglob("*.eml"))[3]
    changed.write_bytes(changed.read_bytes().replace(b"\n\n", b"\n\nOne more line.\n", 1))
    token = RUNNER.set(runner)
    try:
        with open_index(root, case_timezone(root)) as index:
            stats = index.update()
        again = load_case(root, force_extraction=True)
    finally:
        RUNNER.reset(token)
    assert (stats.read, stats.unchanged, stats.removed) == (1, 60, 0)
    assert again.extraction is not None
    assert (again.extraction.read, again.extraction.cached) == (1, 60)


# -- failures ----------------------------------------------------------------
def failing_extract(docs: list[Any], *args: Any, **kwargs: Any) -> list[Fact]:
    """A stand-in extractor (module level, so worker processes can unpickle it)
    that fails on one document."""
    if any("custodian001" in d.path and d.path.endswith("00004.eml") for d in docs):
        raise RuntimeError("boom")
    return []


@pytest.mark.parametrize("workers", [1, 2])
def test_parallel_extraction_failure_is_a_warning_not_a_crash(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(extraction, "extractor", lambda: failing_extract)
    root = _copy(corpus, tmp_path / "case")
    loaded = run_all(root, Runner(workers=workers, chunk=SMALL))
    run = loaded.extraction
    assert run is not None
    assert len(run.warnings) == 1
    assert "custodian001" in run.warnings[0] and "RuntimeError: boom" in run.warnings[0]
    assert (run.documents, run.read) == (61, 60)
    # Not cached, so the next run tries that document again.
    token = RUNNER.set(Runner(workers=workers, chunk=SMALL))
    try:
        again = load_case(root, force_extraction=True).extraction
    finally:
        RUNNER.reset(token)
    assert again is not None and (again.read, again.cached, len(again.warnings)) == (0, 60, 1)


def test_parallel_cli_extract_prints_the_failure_as_a_warning(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extraction, "extractor", lambda: failing_extract)
    root = _copy(corpus, tmp_path / "case")
    result = CliRunner().invoke(app, ["extract", str(root), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "Warning: extraction failed on evidence/eml/custodian001/" in result.stderr
    assert "61 documents (60 read now, 0 from the index)" in result.stdout


def test_parallel_dask_without_distributed_says_what_to_install(
    spec_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: None)
    with pytest.raises(DaskNotInstalled):
        Runner(dask="tcp://127.0.0.1:8786")
    root = _copy(spec_case, tmp_path / "case")
    result = CliRunner().invoke(app, ["ingest", str(root), "--dask", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 1
    assert "pip install 'checker[dask]'" in result.stderr


def test_parallel_runner_keeps_input_order_and_handles_empty_input() -> None:
    items = list(range(50))
    assert list(Runner(workers=2, chunk=3).map(_square, items, 1)) == [i * i + 1 for i in items]
    assert list(Runner(workers=2).map(_square, [], 0)) == []


def _square(context: int, item: int) -> int:
    return item * item + context


def test_parallel_workers_are_replaced_after_their_tasks_and_results_keep_their_order() -> None:
    runner: Runner[int] = Runner(workers=2, chunk=1, tasks_per_worker=2)
    got = list(runner.map(_pid_and_item, list(range(12)), 0))
    assert [item for _, item in got] == list(range(12))
    assert len({pid for pid, _ in got}) > 2  # fresh workers took over


def test_parallel_replaced_workers_give_the_same_index(corpus: Path, tmp_path: Path) -> None:
    _same_index_with(Runner(workers=2, chunk=SMALL, tasks_per_worker=1), corpus, tmp_path)


def _pid_and_item(context: int, item: int) -> tuple[int, int]:
    return os.getpid(), item + context
