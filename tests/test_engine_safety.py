"""The analysed code is never executed or imported, and unknown code is never guessed at."""
from __future__ import annotations

import subprocess
import sys

from mllint import analyze
from mllint.domains.values import TOP

from helpers import O, mllint_cli, nodes_of, one, parent_ids, run, source_named, sources, write

SENTINELS = ("IMPORT_RAN", "CALL_RAN", "INIT_RAN", "MAIN_RAN", "EVIL_RAN", "EVAL_RAN")


def _evil_script(tmp_path) -> str:
    """A pipeline whose import, top-level call and class __init__ would each create a sentinel."""
    marker = str(tmp_path)
    write(tmp_path, f"""
import pathlib
pathlib.Path({marker!r}, "EVIL_RAN").write_text("imported")
""", name="evil.py")
    eval_code = f"open({str(tmp_path / 'EVAL_RAN')!r}, 'w').close()"
    return f"""
import pandas as pd
import pathlib
import evil
__import__("pathlib").Path({marker!r}, "IMPORT_RAN").write_text("x")
pathlib.Path({marker!r}, "CALL_RAN").write_text("x")
open({marker + "/CALL_RAN"!r}, "w").write("x")
eval({eval_code!r})
exec("import os")

class Model:
    def __init__(self):
        pathlib.Path({marker!r}, "INIT_RAN").write_text("x")

m = Model()
df = pd.read_csv("data.csv")
if __name__ == "__main__":
    pathlib.Path({marker!r}, "MAIN_RAN").write_text("x")
"""


def _no_sentinels(tmp_path) -> None:
    left = [name for name in SENTINELS if (tmp_path / name).exists()]
    assert left == [], f"analysed code ran: {left}"


def test_control_the_script_does_create_sentinels_when_run(tmp_path):
    """Guard for the tests below: running the script for real does leave the sentinel files."""
    code = _evil_script(tmp_path)
    path = write(tmp_path, code, name="control.py")
    runner = (
        "import sys, types, runpy\n"
        "fake = types.ModuleType('pandas'); fake.read_csv = lambda *a, **k: None\n"
        "sys.modules['pandas'] = fake\n"
        "sys.path.insert(0, sys.argv[2])\n"
        "runpy.run_path(sys.argv[1], run_name='__main__')\n"
    )
    result = subprocess.run([sys.executable, "-c", runner, str(path), str(tmp_path)], capture_output=True,
                            text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert set(SENTINELS) <= {p.name for p in tmp_path.iterdir()}


def test_analyze_never_executes(tmp_path):
    code = _evil_script(tmp_path)
    a = run(tmp_path, code)
    _no_sentinels(tmp_path)
    assert "evil" not in sys.modules
    assert [s.description for s in sources(a.plan)] == ["data.csv"]


def test_explain_cli_never_executes(tmp_path):
    code = _evil_script(tmp_path)
    path = write(tmp_path, code)
    for fmt in ("text", "json", "mlinspect"):
        result = mllint_cli("explain", str(path), "--format", fmt, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        _no_sentinels(tmp_path)
    assert "data.csv" in result.stdout


def test_local_module_named_like_an_import_is_not_imported(tmp_path):
    marker = str(tmp_path)
    write(tmp_path, f"""
import pathlib
pathlib.Path({marker!r}, "EVIL_RAN").write_text("imported")
def read_csv(path):
    return None
""", name="evil.py")
    # also a module shadowing a library name, next to the script
    write(tmp_path, f"""
import pathlib
pathlib.Path({marker!r}, "EVIL_RAN").write_text("shadowed pandas")
""", name="pandas.py")
    a = run(tmp_path, """
import pandas as pd
import evil
from evil import read_csv
df = evil.read_csv("data.csv")
df2 = read_csv("other.csv")
real = pd.read_csv("real.csv")
""")
    _no_sentinels(tmp_path)
    assert "evil" not in sys.modules
    # evil.read_csv is an unknown function: no data source is guessed for it
    assert [s.description for s in sources(a.plan)] == ["real.csv"]
    assert a.env["df"] is TOP and a.env["df2"] is TOP


def test_cli_with_shadowing_module_in_cwd(tmp_path):
    marker = str(tmp_path)
    write(tmp_path, f"""
import pathlib
pathlib.Path({marker!r}, "EVIL_RAN").write_text("imported")
""", name="evil.py")
    path = write(tmp_path, """
import pandas as pd
import evil
df = pd.read_csv("data.csv")
""")
    result = mllint_cli("explain", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    _no_sentinels(tmp_path)


def test_unknown_function_on_data_gives_unknown_node(tmp_path):
    a = run(tmp_path, """
import pandas as pd
from mylib import clean
df = pd.read_csv("data.csv")
out = clean(df)
after = out.dropna()
""")
    src = source_named(a.plan, "data.csv")
    unknown = one(a.plan, O.UNKNOWN)
    assert unknown.description == "call of mylib.clean"
    assert parent_ids(a.plan, unknown) == [src.id]
    assert a.env["out"] is TOP
    # nothing downstream of an unknown value is invented
    assert nodes_of(a.plan, O.SELECTION) == []
    assert a.plan.children(unknown) == []


def test_unknown_method_on_unknown_object_keeps_data_edges(tmp_path):
    a = run(tmp_path, """
import pandas as pd
import mylib
df = pd.read_csv("data.csv")
helper = mylib.Helper()
res = helper.process(df, "x")
""")
    unknowns = nodes_of(a.plan, O.UNKNOWN)
    assert unknowns, "the call on data must keep its edge"
    assert all(parent_ids(a.plan, u) == [source_named(a.plan, "data.csv").id] for u in unknowns)
    assert a.env["res"] is TOP


def test_unknown_call_without_data_emits_nothing(tmp_path):
    a = run(tmp_path, """
import pandas as pd
import mylib
x = mylib.compute(1, 2)
""")
    assert len(a.plan) == 0
    assert a.env["x"] is TOP


def test_builtin_eval_is_not_evaluated(tmp_path):
    a = run(tmp_path, """
import pandas as pd
path = eval("'data' + '.csv'")
df = pd.read_csv(path)
""")
    assert a.env["path"] is TOP
    assert one(a.plan, O.DATA_SOURCE).description is None


def test_file_without_ml_libraries_is_skipped(tmp_path):
    a = run(tmp_path, """
import os
x = os.getcwd()
""")
    assert len(a.plan) == 0 and a.env == {}


def test_bad_inputs_do_not_raise(tmp_path):
    for text in ["import pandas as pd\ndf = pd.read_csv(\n", "\x00\x01 pandas", "import pandas\ndef f(:\n"]:
        analysis = analyze(text, path=str(tmp_path / "bad.py"))
        assert analysis.error is not None and "\n" not in analysis.error
        assert len(analysis.plan) == 0
    binary = analyze(b"\xff\xfe\x00pandas\x00\x00", path=str(tmp_path / "bin.py"))
    assert len(binary.plan) == 0


def _analyze_in_subprocess(tmp_path, code_expr: str) -> subprocess.CompletedProcess:
    """Pathological input is analysed in a child process: a native-parser crash must not take pytest down."""
    script = (
        "import sys\n"
        "from mllint import analyze\n"
        f"src = {code_expr}\n"
        "a = analyze(src, path=sys.argv[1])\n"
        "print('ERROR' if a.error else 'OK', len(a.plan))\n"
    )
    return subprocess.run([sys.executable, "-c", script, str(tmp_path / "p.py")], capture_output=True, text=True,
                          timeout=120)


def test_deeply_nested_parentheses_do_not_crash(tmp_path):
    result = _analyze_in_subprocess(tmp_path, "'import pandas\\n' + '(' * 5000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["ERROR", "0"]


def test_long_operator_chains_do_not_crash(tmp_path):
    for expr in ("'import pandas\\nx = ' + '+'.join(['1'] * 20000)",
                 "'import pandas\\nx = f' + '(1)' * 20000",
                 "'import pandas as pd\\ndf = pd.read_csv(\"a.csv\")\\nx = df' + '.dropna()' * 5000"):
        result = _analyze_in_subprocess(tmp_path, expr)
        assert result.returncode == 0, (expr, result.stderr[-2000:])
        assert result.stdout.split()[0] in ("OK", "ERROR")


def test_long_method_chain_is_cut_with_a_note(tmp_path):
    code = "import pandas as pd\ndf = pd.read_csv('a.csv')\nx = df" + ".dropna()" * 600 + "\n"
    analysis = analyze(code, path=str(tmp_path / "chain.py"))
    # either the whole chain is in the plan, or the cut is said out loud: never a silent truncation
    assert len(analysis.plan) == 601 or analysis.error is not None or analysis.notes


def test_analysis_of_an_infinite_loop_terminates(tmp_path):
    a = run(tmp_path, """
import pandas as pd
df = pd.read_csv("data.csv")
while True:
    df = df.dropna()
""")
    sel = one(a.plan, O.SELECTION)
    assert sel.in_loop


def test_time_budget_cuts_with_one_note(tmp_path, monkeypatch):
    from mllint import Config
    from mllint.interpreter import budget
    monkeypatch.setattr(budget, "GUARD_FACTOR", 1e6)   # the work count cuts, never the (loaded) clock
    monkeypatch.setattr(budget, "PARSE_SHARE", 0.0)   # ... and here only the interpretation's work
    monkeypatch.setattr(budget, "REFUSE_PARSE", 1e6)
    code = "import pandas as pd\ndf = pd.read_csv('a.csv')\n" + "df = df.dropna()\n" * 3000
    path = write(tmp_path, code)
    cut = analyze(code, path=str(path), config=Config(max_seconds=0.04))   # a work allowance: cut mid-file
    assert cut.error is None
    assert len(cut.notes) == 1 and "budget" in cut.notes[0]
    assert 0 < len(cut.plan) < 3001
    full = analyze(code, path=str(path))
    assert full.notes == [] and len(full.plan) == 3001
