"""The analysed code is never executed or imported, and unknown code is never guessed at."""
from __future__ import annotations

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
    return f"""
import pandas as pd
import pathlib
import evil
__import__("pathlib").Path({marker!r}, "IMPORT_RAN").write_text("x")
pathlib.Path({marker!r}, "CALL_RAN").write_text("x")
open({marker + "/CALL_RAN"!r}, "w").write("x")
eval("open({marker}/EVAL_RAN, 'w')")
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
    for text in ["import pandas as pd\ndf = pd.read_csv(\n", "\x00\x01 pandas", "import pandas\n" + "(" * 5000]:
        analysis = analyze(text, path=str(tmp_path / "bad.py"))
        assert analysis.error is not None or len(analysis.plan) == 0
    binary = analyze(b"\xff\xfe\x00pandas\x00\x00", path=str(tmp_path / "bin.py"))
    assert len(binary.plan) == 0


def test_analysis_of_an_infinite_loop_terminates(tmp_path):
    a = run(tmp_path, """
import pandas as pd
df = pd.read_csv("data.csv")
while True:
    df = df.dropna()
""")
    sel = one(a.plan, O.SELECTION)
    assert sel.in_loop
