"""Every abstract value is bounded by construction, and the budget is a deterministic bound.

Hostile or merely heavy code (lag features merged in a loop, ``a = a * a`` forty
times, ``'{:>1000000000}'.format(1)``) must finish quickly with small values:
the tests assert on the size of the abstract values and on work counters, with
only a generous wall-clock guard (timings flake, sizes do not).
"""
from __future__ import annotations

import time
import tracemalloc

import pytest

from mllint import analyze
from mllint.checker import check_source
from mllint.domains.bounds import MAX_CHARS, MAX_COLUMNS, MAX_INT_BITS, MAX_ITEMS, MAX_ORIGINS, MAX_STATS
from mllint.domains.provenance import Origin, Provenance
from mllint.domains.schema import Column, Schema
from mllint.domains.values import TOP, Const, Data, DictV, Seq, Statistic, size_of
from mllint.settings import Settings

from helpers import write

WALL_GUARD = 20.0     # seconds: only catches a hang; the real assertions are on sizes
HEAP_GUARD = 64e6     # bytes of Python allocations during one analysis

_LEAK = """\
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.linear_model import LinearRegression
df = pd.read_csv("sales.csv")
df["rel"] = df["cnt"] / df["cnt"].mean()
{merges}
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["target"]), df["target"])
model = LinearRegression().fit(X_train, y_train)
print(model.score(X_test, y_test))
"""
_LAG = ("shifted = df[['block', 'shop', 'cnt']].copy()\n"
        "shifted.columns = ['block', 'shop', 'cnt_lag_{lag}']\n"
        "shifted['block'] += {lag}\n"
        "df = df.merge(shifted, on=['block', 'shop'], how='left')\n")


def _measured(tmp_path, code: str, name: str = "pipeline.py"):
    """Analyse and check ``code``; returns (analysis, findings, seconds, peak bytes allocated)."""
    path = write(tmp_path, code, name)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        analysis, findings = check_source(path.read_text(), str(path), Settings())
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return analysis, findings, seconds, peak


# -- 1. statistics and every other component stay bounded ------------------------------

def test_sixty_unrolled_lag_merges_keep_one_statistic(tmp_path):
    merges = "".join(_LAG.format(lag=lag) for lag in range(1, 61))
    analysis, findings, seconds, peak = _measured(tmp_path, _LEAK.format(merges=merges))
    df = analysis.env["df"]
    assert isinstance(df, Data)
    assert len(df.stats) == 1          # the same statistic reached through both sides of every merge
    assert [n for n in df.schema.names if n.startswith("cnt_lag_")] == [f"cnt_lag_{lag}" for lag in range(1, 61)]
    assert seconds < WALL_GUARD and peak < HEAP_GUARD
    # the leak the statistic causes is still reported, at the statistic
    assert [(f.code, f.span.start_line) for f in findings] == [("ML101", 5)]


@pytest.mark.parametrize("lags", ["range(1, 61)", "[1, 2, 3, 6, 12]", "lags"])
def test_lag_merges_in_a_loop_stay_bounded(tmp_path, lags):
    merges = (f"for lag in {lags}:\n" + "".join("    " + line + "\n" for line in _LAG.format(lag="x").splitlines())
              ).replace("'cnt_lag_x'", "'cnt_lag_' + str(lag)").replace("+= x", "+= lag")
    analysis, findings, seconds, peak = _measured(tmp_path, _LEAK.format(merges=merges))
    df = analysis.env["df"]
    assert isinstance(df, Data) and len(df.stats) == 1
    assert seconds < WALL_GUARD and peak < HEAP_GUARD
    assert [(f.code, f.span.start_line) for f in findings] == [("ML101", 5)]


def test_statistics_are_a_set_and_bounded_by_construction():
    stat = Statistic("mean", None, frozenset())
    frame = Data("frame", (), stats=(stat,) * 1000)
    assert frame.stats == (stat,)
    many = tuple(Statistic("mean", None, frozenset()) for _ in range(MAX_STATS + 10))
    prov = Provenance.of_source(1)
    widened = Data("frame", (), prov=prov, stats=many)
    # past the bound the list is incomplete, so the rows become unknown: no rule compares it
    assert len(widened.stats) == MAX_STATS and widened.prov is None
    assert Data("frame", (), prov=prov, stats=many[:MAX_STATS]).prov == prov


def test_schemas_provenances_and_literals_are_bounded_by_construction():
    wide = Schema(tuple(Column.source(f"c{i}") for i in range(MAX_COLUMNS + 5)), open=False)
    assert len(wide.columns) == MAX_COLUMNS and wide.open        # open: never "column absent"
    origins = Provenance(frozenset(Origin(i) for i in range(MAX_ORIGINS)))
    assert origins.union(Provenance.of_source(-1)) is None         # unknown rows: rules stay silent
    deep = Provenance.of_source(1)
    for split in range(100):
        deep = deep.split(split, "train") if deep is not None else None
    assert deep is None
    seq = Seq((Const("a"),))
    for _ in range(40):   # a DAG of shared halves: the logical size doubles, memory does not
        try:
            seq = Seq((seq, seq))
        except Exception:
            break
    assert size_of(seq) <= MAX_ITEMS
    with pytest.raises(Exception):
        DictV(tuple(Const(i) for i in range(MAX_ITEMS)), tuple(Const(i) for i in range(MAX_ITEMS)))


# -- 2. constant folding checks the size first ------------------------------------------

_PATHOLOGICAL = {
    "square 40 times": "a = 3\n" + "a = a * a\n" * 40,
    "chained power": "a = 2 ** 2 ** 2 ** 2 ** 2 ** 2\nb = 10 ** 10 ** 10\n",
    "string doubling": "a = 'ab'\n" + "a = a + a\n" * 40,
    "augmented doubling": "a = 'ab'\n" + "a += a\n" * 40,
    "column list doubling": "a = ['x', 'y']\n" + "a = a + a\n" * 30,
    "list extended by itself": "a = ['x']\n" + "a.extend(a)\n" * 30,
    "nested list doubling": "a = ['x', 'y']\n" + "a = [a, a]\n" * 40,
    "nested dict doubling": "a = {'x': 1}\n" + "a = {'l': a, 'r': a}\n" * 40,
    "format width": "a = '{:>1000000000}'.format(1)\n",
    "format repeated fields": "a = ('{0}' * 3000).format('y' * 9000)\n",
    "string repeat": "a = 'x' * 10**9\n",
    "list repeat": "a = [0] * 10**9\n",
    "reversed list repeat": "a = 10**9 * ['x']\n",
    "left shift": "a = 1 << 10**9\n",
    "join of a huge list": "p = ['a' * 5000] * 2000\na = ','.join(p)\n",
    "replace everywhere": "s = 'a' * 5000\na = s.replace('', s)\n",
    "f-string width": "a = f'{1:>1000000000}'\n",
    "percent width": "a = '%1000000000d' % 1\n",
    "percent star width": "a = '%*d' % (10**9, 1)\n",
    "round digits": "a = round(1.5, 10**9)\n",
}


@pytest.mark.parametrize("name", sorted(_PATHOLOGICAL))
def test_pathological_folding_is_unknown_and_quick(tmp_path, name):
    code = "import pandas as pd\n" + _PATHOLOGICAL[name] + "df = pd.read_csv('data.csv')\ndf = df[a]\n"
    analysis, _, seconds, peak = _measured(tmp_path, code)
    assert analysis.error is None
    value = analysis.env["a"]
    if isinstance(value, Const):
        if isinstance(value.value, (str, bytes)):
            assert len(value.value) <= MAX_CHARS
        if isinstance(value.value, int):
            assert value.value.bit_length() <= MAX_INT_BITS
    else:
        assert value is TOP or size_of(value) <= MAX_ITEMS
    assert seconds < WALL_GUARD and peak < HEAP_GUARD


def test_folding_within_the_bounds_still_folds(tmp_path):
    code = ("import pandas as pd\na = 2 ** 10\nb = 'ab' * 3\nc = ['x'] * 3 + ['y']\nd = '{}_{:>4}'.format('a', 1)\n"
            "e = '%s-%03d' % ('k', 7)\nf = ','.join(['p', 'q'])\ng = 1 << 12\nh = 'abc'.replace('b', 'xx')\n")
    analysis, _, _, _ = _measured(tmp_path, code)
    env = analysis.env
    assert env["a"] == Const(1024) and env["b"] == Const("ababab") and env["g"] == Const(4096)
    assert env["c"] == Seq((Const("x"),) * 3 + (Const("y"),))
    assert env["d"] == Const("a_   1") and env["e"] == Const("k-007") and env["f"] == Const("p,q")
    assert env["h"] == Const("axxc")
