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

from mllint import Config, analyze
from mllint.checker import check_analysis, check_source
from mllint.domains.bounds import (DEDUP_STATS, MAX_CHARS, MAX_COLUMNS, MAX_INT_BITS, MAX_ITEMS, MAX_NODES,
                                   MAX_ORIGINS, MAX_STATS)
from mllint.domains.provenance import Origin, Provenance
from mllint.domains.schema import Column, Schema
from mllint.domains.values import DataKind, TOP, Const, Data, DictV, Seq, Statistic, size_of
from mllint.interpreter.budget import Budget
from mllint.settings import Settings

from helpers import SHARED, SHARED_MISSING, write

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
    # the same statistic reached through both sides of every merge: one, whatever the repeats
    assert len({id(s) for s in df.stats}) == 1 and len(df.stats) <= DEDUP_STATS
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
    assert isinstance(df, Data) and len({id(s) for s in df.stats}) == 1 and len(df.stats) <= DEDUP_STATS
    assert seconds < WALL_GUARD and peak < HEAP_GUARD
    assert [(f.code, f.span.start_line) for f in findings] == [("ML101", 5)]


def test_statistics_are_a_set_and_bounded_by_construction():
    stat = Statistic("mean", None, frozenset())
    frame = Data(DataKind.FRAME, (), stats=(stat,) * 1000)
    assert frame.stats == (stat,)
    assert len(Data(DataKind.FRAME, (), stats=(stat,) * DEDUP_STATS).stats) == DEDUP_STATS   # small repeats: left alone
    many = tuple(Statistic("mean", None, frozenset()) for _ in range(MAX_STATS + 10))
    prov = Provenance.of_source(1)
    widened = Data(DataKind.FRAME, (), prov=prov, stats=many)
    # past the bound the list is incomplete, so the rows become unknown: no rule compares it
    assert len(widened.stats) == MAX_STATS and widened.prov is None
    assert Data(DataKind.FRAME, (), prov=prov, stats=many[:MAX_STATS]).prov == prov
    joined = Data(DataKind.FRAME, tuple(range(MAX_NODES * 3)))     # control-flow joins add nodes: the latest stay
    assert joined.nodes == tuple(range(MAX_NODES * 2, MAX_NODES * 3))


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


_REAL_LAGS = SHARED / "corpus" / "py" / "dslinter-2020" / "dlarionov_feature-engineering-xgboost.py"


@pytest.mark.skipif(not _REAL_LAGS.is_file(), reason=SHARED_MISSING)
def test_the_real_predict_future_sales_notebook_is_quick(tmp_path):
    """750 lines of lag features merged in loops: past 100 s and 1 GB before the statistics were a set."""
    analysis, _, seconds, peak = _measured(tmp_path, _REAL_LAGS.read_text(encoding="utf-8"))
    assert analysis.error is None and analysis.notes == []
    assert analysis.work < Budget().max_work / 4 and seconds < WALL_GUARD and peak < HEAP_GUARD


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


# -- 3. one deterministic budget for the whole analysis ------------------------------------

_STEP = "".join(f"    d['c{i}'] = d['a'].fillna(d['b'].mean()).clip(0, {i})\n" for i in range(20))
_CUT_FILE = ("import pandas as pd\nfrom sklearn.model_selection import train_test_split\n"
             "from sklearn.preprocessing import StandardScaler\ndf = pd.read_csv('data.csv')\n"
             f"def step(d):\n{_STEP}    return d\n"
             + "for k in range(16):\n    df = step(df)\n" * 200
             + "X_train, X_test = train_test_split(df)\nStandardScaler().fit(X_train)\n")


def _clock(monkeypatch, seconds_per_look: float) -> None:
    """A simulated machine: each look at the guard's clock (every 1,024 units) finds it this much later."""
    from mllint.interpreter import budget

    ticks = iter(range(10**9))
    monkeypatch.setattr(budget, "now", lambda: next(ticks) * seconds_per_look)


_SMALL = Config(max_seconds=0.5)      # 125,000 units; the guard fires past 2 s


def _outcome(tmp_path, code: str, config: Config = _SMALL):
    path = write(tmp_path, code)
    analysis = analyze(path.read_text(), path=str(path), config=config)
    findings = check_analysis(analysis, Settings())
    last = max((n.id for n in analysis.plan.nodes()), default=None)
    return (len(analysis.plan), last, analysis.work, tuple(analysis.notes),
            tuple((f.code, f.span.start_line, f.message) for f in findings))


def test_a_long_file_is_cut_at_the_same_place_every_run(tmp_path, monkeypatch):
    _clock(monkeypatch, 0.0)          # a machine infinitely fast: only the work count can cut
    first = _outcome(tmp_path, _CUT_FILE)
    assert first[3] == ("analysis budget exceeded: the rest of the file is treated as unknown",)
    allowance = Budget(seconds=_SMALL.max_seconds).max_work
    assert 0 < first[0] and allowance < first[2] <= allowance + 64
    assert _outcome(tmp_path, _CUT_FILE) == first
    _clock(monkeypatch, 0.012)        # 3x slower than calibrated (0.5 s per 122 looks), within the guard: same cut
    assert _outcome(tmp_path, _CUT_FILE) == first


def test_findings_do_not_depend_on_machine_load(tmp_path, monkeypatch):
    merges = "".join(_LAG.format(lag=lag) for lag in range(1, 31))
    code = _LEAK.format(merges=merges)
    _clock(monkeypatch, 0.0)
    quiet = _outcome(tmp_path, code, Config())
    assert quiet[3] == () and [f[:2] for f in quiet[4]] == [("ML101", 5)]
    _clock(monkeypatch, 0.014)        # 3.5x slower than calibrated (2 s per 488 looks): under the 4x guard
    assert _outcome(tmp_path, code, Config()) == quiet


def test_the_clock_is_only_an_outer_guard_with_one_note(tmp_path, monkeypatch):
    _clock(monkeypatch, 10.0)         # hopelessly slow: the guard stops it, and says so once
    started = time.perf_counter()
    outcome = _outcome(tmp_path, _CUT_FILE)
    assert len(outcome[3]) == 1 and outcome[3][0].startswith("analysis budget exceeded (time guard")
    assert outcome[2] < Budget(seconds=_SMALL.max_seconds).max_work and time.perf_counter() - started < WALL_GUARD


def test_the_second_pass_shares_the_budget(tmp_path, monkeypatch):
    from mllint.engine import analysis as analysis_module

    passes: list[int] = []
    real = analysis_module._interpret

    def counting(module, ast_module, positions, path, config, budget, *rest):
        passes.append(budget.work)
        return real(module, ast_module, positions, path, config, budget, *rest)

    monkeypatch.setattr(analysis_module, "_interpret", counting)
    code = ("import pandas as pd\nfrom sklearn.linear_model import LinearRegression\ndf = pd.read_csv('d.csv')\n"
            "X = df.drop(columns=['y'])\nLinearRegression().fit(X, df['y'])\n")
    result = analyze(code, path=str(write(tmp_path, code)))
    assert len(passes) == 2 and passes[1] > passes[0] > 0    # the second pass starts where the first ended
    assert result.work > passes[1]


def test_an_18000_line_file_returns_with_a_note_in_bounded_time(tmp_path):
    body = "".join(f"    s{i % 100} = k\n" for i in range(18_000 - 4)) + "    df = df.dropna()\n"
    code = "import pandas as pd\ndf = pd.read_csv('d.csv')\nfor k in range(16):\n" + body
    assert code.count("\n") == 18_000
    started = time.perf_counter()
    analysis = analyze(code, path=str(write(tmp_path, code)))
    seconds = time.perf_counter() - started
    assert analysis.error is None and len(analysis.plan) >= 1
    assert analysis.notes == ["analysis budget exceeded: the rest of the file is treated as unknown"]
    assert analysis.work <= Budget().max_work + 64   # the default allowance, overrun by at most one operation
    assert seconds < WALL_GUARD


def test_a_file_too_costly_to_parse_is_refused_before_parsing(tmp_path):
    code = "import pandas as pd\n" + "df['a'] = f(g(df['b']))\n" * 18_000   # LibCST: ~0.4 ms per line
    started = time.perf_counter()
    analysis = analyze(code, path=str(write(tmp_path, code)))
    assert analysis.notes and analysis.notes[0].startswith("analysis budget exceeded")
    assert "parse" in analysis.notes[0] and analysis.module is None
    assert time.perf_counter() - started < 1.0


def test_a_literal_of_long_strings_is_bounded_in_characters(tmp_path):
    code = ("import pandas as pd\np = ['a' * 9000] * 20\nq = p * 50\n"
            "df = pd.read_csv('d.csv')\nr = df.agg(q)\n")
    analysis, _, seconds, peak = _measured(tmp_path, code)
    assert isinstance(analysis.env["p"], Seq)
    assert analysis.env["q"] is TOP      # 1,000 strings of 9,000 characters: 9 MB to render
    assert seconds < WALL_GUARD and peak < HEAP_GUARD


@pytest.mark.parametrize("bounds", ["2 ** 100", "0, 2 ** 4000", "1, 5, 0", "-(2 ** 80), 0, 1"])
def test_ranges_of_folded_big_ints_are_unknown_not_a_crash(tmp_path, bounds):
    analysis, _, _, _ = _measured(tmp_path, f"import numpy as np\nfor i in range({bounds}):\n    x = i\n")
    assert analysis.error is None and analysis.notes == []
