"""Result kinds derived from the installed pandas-stubs.

The expectations are read off the real stubs (pandas-stubs 3.x in the dev venv);
pandas itself is not installed and must never be imported by the module.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Iterator

import pytest

from mllint.knowledge import pandas_stubs as ps
from mllint.knowledge.pandas_stubs import KeyKind, ResultKind as K

try:
    metadata.distribution("pandas-stubs")
except metadata.PackageNotFoundError:  # pragma: no cover - the dev venv has it
    pytest.skip("pandas-stubs is not installed", allow_module_level=True)


@pytest.fixture(autouse=True, scope="module")
def isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the user's cache out of the tests; build once per module."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(cache))
        ps.table.cache_clear()
        yield cache
        ps.table.cache_clear()


def kinds(owner: str, method: str) -> frozenset[K]:
    result = ps.result_kinds(owner, method)
    assert result is not None, f"{owner}.{method} missing from the table"
    return result


# --------------------------------------------------------------------------- DataFrame / Series


def test_drop_returns_frame_and_has_inplace_overload() -> None:
    assert kinds("DataFrame", "drop") == {K.DATAFRAME}
    assert ps.has_inplace("DataFrame", "drop")
    info = ps.member_info("DataFrame", "drop")
    assert info is not None and info.inplace_kinds == {K.NONE}


def test_dropna_returns_frame() -> None:
    assert kinds("DataFrame", "dropna") == {K.DATAFRAME}
    assert ps.has_inplace("DataFrame", "dropna")


def test_methods_without_inplace_overload() -> None:
    assert not ps.has_inplace("DataFrame", "merge")
    assert not ps.has_inplace("DataFrame", "groupby")
    # pandas-stubs 3 types fillna's inplace as plain bool returning Self: no None overload.
    assert not ps.has_inplace("DataFrame", "fillna")
    assert not ps.has_inplace("DataFrame", "no_such_method")


def test_groupby_returns_frame_groupby() -> None:
    assert kinds("DataFrame", "groupby") == {K.GROUPBY_FRAME}
    assert kinds("Series", "groupby") == {K.GROUPBY_SERIES}


def test_groupby_aggregations_follow_the_type_argument() -> None:
    # agg has a `func: Literal["size"]` overload returning Series.
    assert kinds("DataFrameGroupBy", "agg") == {K.DATAFRAME, K.SERIES}
    assert kinds("DataFrameGroupBy", "agg") == kinds("DataFrameGroupBy", "aggregate")
    # mean is declared once on GroupBy[NDFrameT] -> NDFrameT.
    assert kinds("DataFrameGroupBy", "mean") == {K.DATAFRAME}
    assert kinds("SeriesGroupBy", "mean") == {K.SERIES}
    assert kinds("GroupBy", "mean") == {K.DATAFRAME, K.SERIES}
    # `count` overloads are restricted by `self: GroupBy[Series]` / `GroupBy[DataFrame]`.
    assert kinds("DataFrameGroupBy", "count") == {K.DATAFRAME}
    assert kinds("SeriesGroupBy", "count") == {K.SERIES}
    assert kinds("DataFrameGroupBy", "size") == {K.DATAFRAME, K.SERIES}


def test_series_map_and_apply() -> None:
    assert kinds("Series", "map") == {K.SERIES}
    assert kinds("Series", "apply") == {K.SERIES, K.DATAFRAME}


def test_to_numpy_is_ndarray() -> None:
    assert kinds("DataFrame", "to_numpy") == {K.NDARRAY}
    assert kinds("Series", "to_numpy") == {K.NDARRAY}


def test_series_reductions_are_scalars() -> None:
    assert kinds("Series", "mean") == {K.SCALAR}
    assert kinds("Series", "sum") == {K.SCALAR}
    assert kinds("DataFrame", "sum") == {K.SERIES}


def test_merge() -> None:
    assert kinds("DataFrame", "merge") == {K.DATAFRAME}
    assert kinds("pandas", "merge") == {K.DATAFRAME}


def test_properties() -> None:
    info = ps.member_info("DataFrame", "columns")
    assert info is not None and info.is_property and info.kinds == {K.INDEX}
    assert kinds("DataFrame", "T") == {K.DATAFRAME}
    assert not ps.member_info("DataFrame", "merge").is_property  # type: ignore[union-attr]


def test_dataframe_getitem_per_key_shape() -> None:
    assert kinds("DataFrame", "__getitem__") == {K.DATAFRAME, K.SERIES}
    assert ps.getitem_kinds("DataFrame", KeyKind.LABEL) == {K.SERIES}
    assert ps.getitem_kinds("DataFrame", KeyKind.LIST) == {K.DATAFRAME}
    assert ps.getitem_kinds("DataFrame", KeyKind.SERIES) == {K.DATAFRAME}  # boolean mask
    assert ps.getitem_kinds("DataFrame", KeyKind.SLICE) == {K.DATAFRAME}


def test_series_and_groupby_getitem() -> None:
    assert ps.getitem_kinds("Series", KeyKind.LABEL) == {K.SCALAR}
    assert ps.getitem_kinds("Series", KeyKind.SERIES) == {K.SERIES}
    assert ps.getitem_kinds("Series", KeyKind.LIST) == {K.SERIES}
    assert ps.getitem_kinds("DataFrameGroupBy", KeyKind.LABEL) == {K.GROUPBY_SERIES}
    assert ps.getitem_kinds("DataFrameGroupBy", KeyKind.LIST) == {K.GROUPBY_FRAME}


# --------------------------------------------------------------------------- accessors, Index


def test_str_accessor() -> None:
    assert kinds("StringMethods", "lower") == {K.SERIES}
    assert kinds("StringMethods", "contains") == {K.SERIES}
    assert kinds("StringMethods", "split") == {K.SERIES, K.DATAFRAME}  # expand=True


def test_dt_accessor() -> None:
    info = ps.member_info("DatetimeProperties", "year")
    assert info is not None and info.is_property and info.kinds == {K.SERIES}
    assert kinds("DatetimeProperties", "strftime") == {K.SERIES}
    assert kinds("DatetimeProperties", "isocalendar") == {K.DATAFRAME}


def test_index() -> None:
    assert kinds("Index", "to_series") == {K.SERIES}
    assert kinds("Index", "to_numpy") == {K.NDARRAY}
    assert kinds("Index", "union") == {K.INDEX}


# --------------------------------------------------------------------------- top-level functions


def test_read_csv_records_text_file_reader_overloads() -> None:
    # iterator=True / chunksize=int overloads return TextFileReader (OTHER).
    assert kinds("pandas", "read_csv") == {K.DATAFRAME, K.OTHER}
    assert kinds("pandas", "read_parquet") == {K.DATAFRAME}


def test_get_dummies_and_concat() -> None:
    assert kinds("pandas", "get_dummies") == {K.DATAFRAME}
    assert kinds("pandas", "concat") == {K.DATAFRAME, K.SERIES}


def test_top_level_classes_give_instance_kinds() -> None:
    assert kinds("pandas", "DataFrame") == {K.DATAFRAME}
    assert kinds("pandas", "DatetimeIndex") == {K.INDEX}
    assert kinds("pandas", "Timestamp") == {K.SCALAR}


def test_unknown_members_are_none() -> None:
    assert ps.result_kinds("DataFrame", "no_such_method") is None
    assert ps.result_kinds("NoSuchOwner", "drop") is None
    assert ps.getitem_kinds("StringMethods", KeyKind.CALLABLE) is None


def test_stubs_version() -> None:
    assert ps.stubs_version() == metadata.version("pandas-stubs")


# --------------------------------------------------------------------------- caching


def test_second_call_hits_the_memory_cache() -> None:
    first = ps.table()
    hits = ps.table.cache_info().hits
    ps.result_kinds("DataFrame", "drop")
    assert ps.table.cache_info().hits == hits + 1
    assert ps.table() is first


def test_disk_cache_round_trip(isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ps.table.cache_clear()
    built = ps.table()
    files = list((isolated_cache / "mllint").glob("pandas-stubs-*.json"))
    assert len(files) == 1
    assert json.loads(files[0].read_text())["version"] == built.version

    def no_build(_dist: object) -> ps.StubsTable:
        raise AssertionError("the disk cache should have been used")

    monkeypatch.setattr(ps, "_build_table", no_build)
    ps.table.cache_clear()
    loaded = ps.table()
    assert loaded is not built
    assert loaded == built
    ps.table.cache_clear()


def test_unwritable_cache_dir_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    ps.table.cache_clear()
    try:
        assert ps.result_kinds("DataFrame", "dropna") == {K.DATAFRAME}
    finally:
        ps.table.cache_clear()


def test_missing_stubs_degrade_to_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ps, "_distribution", lambda: None)
    ps.table.cache_clear()
    try:
        assert ps.stubs_version() is None
        assert ps.result_kinds("DataFrame", "drop") is None
        assert not ps.has_inplace("DataFrame", "drop")
        assert ps.getitem_kinds("DataFrame", KeyKind.LABEL) is None
    finally:
        ps.table.cache_clear()


def test_cold_build_is_fast() -> None:
    start = time.perf_counter()
    table = ps.build_table()
    elapsed = time.perf_counter() - start
    assert table.owners["DataFrame"]
    assert elapsed < 2.0, f"cold build took {elapsed:.2f}s"  # ~0.15 s on a dev machine


def test_never_imports_pandas(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from mllint.knowledge import pandas_stubs as ps\n"
        "assert ps.result_kinds('DataFrame', 'drop') is not None\n"
        "ps.build_table()\n"
        "bad = sorted(m for m in sys.modules if m == 'pandas' or m.startswith('pandas.'))\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
