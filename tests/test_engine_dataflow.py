"""The abstract interpreter's data flow: assignments, control flow, functions, expressions."""
from __future__ import annotations

from mllint.domains.values import DataKind, TOP, Const, Seq
from mllint.interpreter.core import MAX_CALL_DEPTH

from helpers import (O, data, node_ids, nodes_of, one, origin_set, parent_ids, run,
                     source_named, sources)

HEAD = """import pandas as pd
from sklearn.model_selection import train_test_split"""


# -- assignment forms ---------------------------------------------------------------------------

def test_train_test_split_two_targets(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv")
train, test = train_test_split(df)
""")
    src = source_named(a.plan, "d.csv")
    train, test = data(a, "train"), data(a, "test")
    assert [n.operator for n in train.nodes] == [O.TRAIN_TEST_SPLIT]
    assert train.nodes[0].info.side.value == "train" and train.nodes[0].description == "(Train Data)"
    assert test.nodes[0].info.side.value == "test" and test.nodes[0].description == "(Test Data)"
    assert parent_ids(a.plan, train.nodes[0]) == [src.id]
    assert parent_ids(a.plan, test.nodes[0]) == [src.id]
    split_id = train.nodes[0].id
    assert origin_set(train) == {(src.id, ((split_id, "train"),))}
    assert origin_set(test) == {(src.id, ((split_id, "test"),))}
    assert train.kind == test.kind is DataKind.FRAME


def test_train_test_split_four_targets(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["x1", "x2", "y"])
X_tr, X_te, y_tr, y_te = train_test_split(df[["x1", "x2"]], df["y"], test_size=0.2)
""")
    splits = nodes_of(a.plan, O.TRAIN_TEST_SPLIT)
    assert len(splits) == 4
    assert [n.info.side.value for n in splits] == ["train", "test", "train", "test"]
    split_id = splits[0].id
    assert {n.info.split_of for n in splits} == {split_id}
    X_tr, X_te, y_tr, y_te = (data(a, n) for n in ("X_tr", "X_te", "y_tr", "y_te"))
    assert X_tr.kind == X_te.kind is DataKind.FRAME
    assert y_tr.kind == y_te.kind is DataKind.SERIES
    assert X_tr.schema.names == ("x1", "x2") and y_te.name == "y"
    src = source_named(a.plan, "d.csv")
    assert origin_set(X_tr) == origin_set(y_tr) == {(src.id, ((split_id, "train"),))}
    assert origin_set(X_te) == origin_set(y_te) == {(src.id, ((split_id, "test"),))}
    # each side hangs under the projection it splits
    assert one(a.plan, O.PROJECTION, "to ['x1', 'x2']").id in parent_ids(a.plan, X_tr.nodes[0])
    assert one(a.plan, O.PROJECTION, "to ['y']").id in parent_ids(a.plan, y_te.nodes[0])


def test_train_test_split_six_targets(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["x", "y", "g"])
X_tr, X_te, y_tr, y_te, g_tr, g_te = train_test_split(df[["x"]], df["y"], df["g"])
""")
    assert len(nodes_of(a.plan, O.TRAIN_TEST_SPLIT)) == 6
    g_tr, g_te = data(a, "g_tr"), data(a, "g_te")
    assert g_tr.name == "g" and g_tr.nodes[0].info.side.value == "train"
    assert g_te.nodes[0].info.side.value == "test"
    split_ids = {n.info.split_of for n in nodes_of(a.plan, O.TRAIN_TEST_SPLIT)}
    assert len(split_ids) == 1   # one split of three arrays, not three splits


def test_wrong_arity_unpacking_gives_unknown(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv")
a1, a2, a3 = train_test_split(df)
""")
    assert a.env["a1"] is TOP and a.env["a2"] is TOP and a.env["a3"] is TOP


def test_augmented_assignment_constants_and_lists(tmp_path):
    a = run(tmp_path, HEAD + """
n = 1
n += 2
COLS = ["a"]
COLS += ["b"]
df = pd.read_csv("d.csv", names=["a", "b", "c"])
X = df[COLS]
""")
    assert a.env["n"] == Const(3)
    assert isinstance(a.env["COLS"], Seq) and a.env["COLS"].constants() == ["a", "b"]
    assert one(a.plan, O.PROJECTION).description == "to ['a', 'b']"
    assert data(a, "X").schema.names == ("a", "b")


def test_augmented_assignment_on_a_column(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["a", "b"])
df["a"] += 1
""")
    modify = one(a.plan, O.PROJECTION_MODIFY)
    assert modify.description == "modifies ['a']"
    assert parent_ids(a.plan, modify) == [source_named(a.plan, "d.csv").id]
    assert node_ids(data(a, "df")) == [modify.id]
    assert data(a, "df").schema.names == ("a", "b")


def test_setitem_new_column_lineage_and_span(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["a", "b"])
df["c"] = df["a"] * 2 + df["b"]
""")
    modify = one(a.plan, O.PROJECTION_MODIFY)
    assert modify.description == "modifies ['c']"
    assert modify.info.modifies == ("c",)
    assert parent_ids(a.plan, modify) == [source_named(a.plan, "d.csv").id]
    df = data(a, "df")
    assert df.schema.names == ("a", "b", "c")
    assert df.schema.get("c").lineage == frozenset({"a", "b"})
    assert df.nodes[-1] is modify
    # the code reference of a column assignment is the whole statement
    assert modify.span.as_tuple() == (4, 0, 4, 31)


def test_loc_setitem_with_mask(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["age", "flag"])
df.loc[df["age"] > 60, "flag"] = 1
df.loc[df["age"] < 18, "minor"] = True
""")
    first, second = nodes_of(a.plan, O.PROJECTION_MODIFY)
    assert first.description == "modifies ['flag']" and first.info.reads == frozenset({"age"})
    assert second.description == "modifies ['minor']"
    assert parent_ids(a.plan, second) == [first.id]
    assert data(a, "df").schema.names == ("age", "flag", "minor")
    assert data(a, "df").nodes[-1] is second


def test_chained_assignment_binds_every_target(tmp_path):
    a = run(tmp_path, HEAD + """
df = raw = pd.read_csv("d.csv")
""")
    src = source_named(a.plan, "d.csv")
    assert node_ids(data(a, "df")) == node_ids(data(a, "raw")) == [src.id]


def test_starred_unpacking_of_a_literal(tmp_path):
    a = run(tmp_path, HEAD + """
first, *rest = ["p", "q", "r"]
""")
    assert a.env["first"] == Const("p")
    assert a.env["rest"].constants() == ["q", "r"]


def test_attribute_store_is_harmless(tmp_path):
    a = run(tmp_path, HEAD + """
class Holder:
    pass
h = Holder()
h.frame = pd.read_csv("d.csv")
df = pd.read_csv("e.csv")
df.note = "x"
out = df.dropna()
""")
    # the stored value is evaluated (its source node exists) but not bound anywhere
    assert {n.description for n in sources(a.plan)} == {"d.csv", "e.csv"}
    sel = one(a.plan, O.SELECTION, "dropna")
    assert parent_ids(a.plan, sel) == [source_named(a.plan, "e.csv").id]


# -- branches -----------------------------------------------------------------------------------

def test_if_else_join(tmp_path):
    a = run(tmp_path, HEAD + """
import sys
if len(sys.argv) > 1:
    df = pd.read_csv("a.csv")
else:
    df = pd.read_parquet("b.parquet")
clean = df.dropna()
""")
    a_src, b_src = source_named(a.plan, "a.csv"), source_named(a.plan, "b.parquet")
    sel = one(a.plan, O.SELECTION, "dropna")
    assert parent_ids(a.plan, sel) == [a_src.id, b_src.id]
    # dropna narrows the rows of both branches' sources
    assert origin_set(data(a, "clean")) == {(a_src.id, ((sel.id, "rows"),)), (b_src.id, ((sel.id, "rows"),))}
    assert origin_set(data(a, "df")) == {(a_src.id, ()), (b_src.id, ())}
    assert sorted(node_ids(data(a, "df"))) == [a_src.id, b_src.id]


def test_if_without_else_joins_with_state_before(tmp_path):
    a = run(tmp_path, HEAD + """
import sys
df = pd.read_csv("a.csv")
if sys.argv:
    df = df.dropna()
out = df.head()
""")
    src = source_named(a.plan, "a.csv")
    dropna = one(a.plan, O.SELECTION, "dropna")
    head = one(a.plan, O.SELECTION, "head")
    assert parent_ids(a.plan, head) == [src.id, dropna.id]


def test_statically_decided_if_runs_one_branch(tmp_path):
    a = run(tmp_path, HEAD + """
DEBUG = False
if DEBUG:
    df = pd.read_csv("debug.csv")
else:
    df = pd.read_csv("real.csv")
if __name__ == "__main__":
    out = df.dropna()
""")
    assert [n.description for n in sources(a.plan)] == ["real.csv"]
    assert parent_ids(a.plan, one(a.plan, O.SELECTION, "dropna")) == [source_named(a.plan, "real.csv").id]


def test_elif_chain_joins_three_branches(tmp_path):
    a = run(tmp_path, HEAD + """
import sys
mode = sys.argv[1]
if mode == "a":
    df = pd.read_csv("a.csv")
elif mode == "b":
    df = pd.read_csv("b.csv")
else:
    df = pd.read_csv("c.csv")
out = df.head()
""")
    head = one(a.plan, O.SELECTION, "head")
    assert sorted(p.description for p in a.plan.parents(head)) == ["a.csv", "b.csv", "c.csv"]


def test_match_join(tmp_path):
    a = run(tmp_path, HEAD + """
import sys
match sys.argv[1]:
    case "json":
        m = pd.read_json("c.json")
    case _:
        m = pd.read_excel("d.xlsx")
m2 = m.head()
""")
    head = one(a.plan, O.SELECTION, "head")
    assert sorted(p.description for p in a.plan.parents(head)) == ["c.json", "d.xlsx"]
    assert {n.info.function for n in sources(a.plan)} == {"read_json", "read_excel"}


def test_try_except_joins_body_and_handler(tmp_path):
    a = run(tmp_path, HEAD + """
try:
    t = pd.read_csv("t.csv")
except FileNotFoundError:
    t = pd.read_parquet("t.parquet")
finally:
    done = True
u = t.dropna()
""")
    sel = one(a.plan, O.SELECTION, "dropna")
    assert sorted(p.description for p in a.plan.parents(sel)) == ["t.csv", "t.parquet"]
    assert a.env["done"] == Const(True)


def test_with_block_body_runs(tmp_path):
    a = run(tmp_path, HEAD + """
with open("x.csv") as fh:
    w = pd.read_csv(fh)
    w2 = w.dropna()
""")
    src = one(a.plan, O.DATA_SOURCE)
    assert src.description is None and src.info.function == "read_csv"
    assert a.env["fh"] is TOP
    assert parent_ids(a.plan, one(a.plan, O.SELECTION, "dropna")) == [src.id]


# -- loops ----------------------------------------------------------------------------------------

def test_for_over_known_list_is_unrolled(tmp_path):
    a = run(tmp_path, HEAD + """
frames = []
for name in ["a.csv", "b.csv"]:
    frames.append(pd.read_csv(name))
df = pd.concat(frames)
""")
    srcs = sources(a.plan)
    assert [s.description for s in srcs] == ["a.csv", "b.csv"]   # one node per element, as it would run
    assert all(s.in_loop for s in srcs)
    concat = one(a.plan, O.CONCATENATION)
    assert parent_ids(a.plan, concat) == [s.id for s in srcs]
    assert a.env["name"] == Const("b.csv")


def test_for_over_known_columns_modifies_each(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["a", "b", "c"])
for col in ["a", "b"]:
    df[col] = df[col].fillna(0)
""")
    mods = nodes_of(a.plan, O.PROJECTION_MODIFY)
    assert [m.description for m in mods] == ["modifies ['a']", "modifies ['b']"]
    assert parent_ids(a.plan, mods[1]) == [mods[0].id]
    assert data(a, "df").nodes == (mods[1],)


def test_for_over_unknown_iterable_runs_once_in_loop(tmp_path):
    a = run(tmp_path, HEAD + """
import os
df = pd.read_csv("base.csv")
for f in os.listdir("."):
    extra = pd.read_csv(f)
    df = df.dropna()
after = df.head()
""")
    base = source_named(a.plan, "base.csv")
    extra = [s for s in sources(a.plan) if s is not base]
    assert len(extra) == 1 and extra[0].in_loop and extra[0].description is None
    dropna = one(a.plan, O.SELECTION, "dropna")
    assert dropna.in_loop
    assert not base.in_loop
    head = one(a.plan, O.SELECTION, "head")
    assert not head.in_loop
    # zero or more iterations: after the loop df is the base or the loop's result
    assert parent_ids(a.plan, head) == [base.id, dropna.id]
    assert a.env["f"] is TOP


def test_while_loop_runs_once_in_loop(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("base.csv")
i = 0
while i < 3:
    df = df.sample(frac=0.5)
    i += 1
""")
    sample = one(a.plan, O.SELECTION, "sample")
    assert sample.in_loop
    assert a.env["i"] is TOP      # 0 or 1 or ...: not a constant any more
    assert sorted(node_ids(data(a, "df"))) == [source_named(a.plan, "base.csv").id, sample.id]


def test_nested_loop_nodes_marked(tmp_path):
    a = run(tmp_path, HEAD + """
import os
for d in os.listdir("."):
    for f in ["x.csv"]:
        part = pd.read_csv(f)
""")
    src = source_named(a.plan, "x.csv")
    assert src.in_loop


# -- user functions ---------------------------------------------------------------------------

def test_user_function_analysed_at_each_call_site(tmp_path):
    a = run(tmp_path, HEAD + """
def load(path):
    df = pd.read_csv(path)
    return df.dropna()
x = load("x.csv")
y = load("sub/y.csv")
""")
    srcs = sources(a.plan)
    assert [s.description for s in srcs] == ["x.csv", "y.csv"]
    assert [s.info.path for s in srcs] == ["x.csv", "sub/y.csv"]
    sels = nodes_of(a.plan, O.SELECTION)
    assert [parent_ids(a.plan, s) for s in sels] == [[srcs[0].id], [srcs[1].id]]
    assert node_ids(data(a, "x")) == [sels[0].id]
    assert node_ids(data(a, "y")) == [sels[1].id]
    # the node sits inside the function body
    assert srcs[0].span.start_line == srcs[1].span.start_line == 4


def test_user_function_keyword_and_default_arguments(tmp_path):
    a = run(tmp_path, HEAD + """
def load(path="default.csv", *, n=5):
    return pd.read_csv(path).head(n)
a1 = load()
a2 = load(path="kw.csv")
""")
    assert [s.description for s in sources(a.plan)] == ["default.csv", "kw.csv"]


def test_user_function_with_branches_returns_join(tmp_path):
    a = run(tmp_path, HEAD + """
import sys
def load(flag):
    if flag:
        return pd.read_csv("a.csv")
    return pd.read_csv("b.csv")
df = load(sys.argv)
""")
    assert sorted(n.description for n in data(a, "df").nodes) == ["a.csv", "b.csv"]


def test_recursion_is_cut(tmp_path):
    a = run(tmp_path, HEAD + """
def rec(d):
    return rec(d.dropna())
df = pd.read_csv("d.csv")
z = rec(df)
""")
    assert a.env["z"] is TOP
    sels = nodes_of(a.plan, O.SELECTION)
    assert len(sels) == 1     # the first activation only
    assert parent_ids(a.plan, sels[0]) == [source_named(a.plan, "d.csv").id]


def test_mutual_recursion_is_cut(tmp_path):
    a = run(tmp_path, HEAD + """
def even(d):
    return odd(d.head())
def odd(d):
    return even(d.tail())
z = even(pd.read_csv("d.csv"))
""")
    assert a.env["z"] is TOP
    assert [n.description for n in nodes_of(a.plan, O.SELECTION)] == ["head", "tail"]


def _chain(depth: int) -> str:
    lines = [f"def f{i}(p):\n    return f{i + 1}(p)" for i in range(1, depth)]
    lines.append(f"def f{depth}(p):\n    return pd.read_csv(p)")
    return "\n".join(lines) + "\n"


def test_context_depth_bound(tmp_path):
    within = MAX_CALL_DEPTH
    a = run(tmp_path, HEAD + "\n" + _chain(within) + 'ok = f1("ok.csv")\n')
    assert [s.description for s in sources(a.plan)] == ["ok.csv"]
    assert node_ids(data(a, "ok")) == [sources(a.plan)[0].id]

    b = run(tmp_path, HEAD + "\n" + _chain(within + 1) + 'deep = f1("deep.csv")\n', name="deep.py")
    assert sources(b.plan) == []
    assert b.env["deep"] is TOP


def test_function_locals_do_not_leak(tmp_path):
    a = run(tmp_path, HEAD + """
def f():
    local_df = pd.read_csv("in.csv")
    return 1
r = f()
""")
    assert "local_df" not in a.env
    assert a.env["r"] == Const(1)
    assert [s.description for s in sources(a.plan)] == ["in.csv"]


def test_global_statement_writes_module_variable(tmp_path):
    a = run(tmp_path, HEAD + """
df = None
def load():
    global df
    df = pd.read_csv("g.csv")
load()
out = df.dropna()
""")
    sel = one(a.plan, O.SELECTION, "dropna")
    assert parent_ids(a.plan, sel) == [source_named(a.plan, "g.csv").id]


# -- lambdas, comprehensions, chains --------------------------------------------------------------

def test_list_comprehension_over_constants(tmp_path):
    a = run(tmp_path, HEAD + """
COLS = ["a", "b", "c"]
keep = [c for c in COLS if c != "b"]
upper = [c.upper() for c in COLS]
df = pd.read_csv("d.csv", names=COLS)
X = df[keep]
""")
    assert a.env["keep"].constants() == ["a", "c"]
    assert a.env["upper"].constants() == ["A", "B", "C"]
    assert one(a.plan, O.PROJECTION).description == "to ['a', 'c']"


def test_comprehension_over_unknown_is_top(tmp_path):
    a = run(tmp_path, HEAD + """
import os
names = [f for f in os.listdir(".")]
""")
    assert a.env["names"] is TOP


def test_method_chain(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv")
out = df.dropna().drop_duplicates().head(5)
""")
    src = source_named(a.plan, "d.csv")
    dropna, dedup, head = nodes_of(a.plan, O.SELECTION)
    assert [dropna.description, dedup.description, head.description] == ["dropna", "drop_duplicates", "head"]
    assert parent_ids(a.plan, dropna) == [src.id]
    assert parent_ids(a.plan, dedup) == [dropna.id]
    assert parent_ids(a.plan, head) == [dedup.id]
    assert node_ids(data(a, "out")) == [head.id]
    # spans grow along the chain and all start at `df`
    assert dropna.span.as_tuple() == (4, 6, 4, 17)
    assert head.span.as_tuple() == (4, 6, 4, 43)


def test_method_chain_with_read_in_one_expression(tmp_path):
    a = run(tmp_path, HEAD + """
out = (pd.read_csv("d.csv")
       .dropna(subset=["a"])
       .rename(columns={"a": "b"}))
""")
    src = source_named(a.plan, "d.csv")
    sel = one(a.plan, O.SELECTION, "dropna")
    ren = one(a.plan, O.PROJECTION_MODIFY, "rename")
    assert parent_ids(a.plan, sel) == [src.id] and parent_ids(a.plan, ren) == [sel.id]


def test_inplace_rebinds_receiver(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["a", "b"])
res = df.dropna(inplace=True)
df.drop(columns=["b"], inplace=True)
out = df.head()
""")
    assert a.env["res"] == Const(None)
    sel = one(a.plan, O.SELECTION, "dropna")
    drop = one(a.plan, O.PROJECTION, "drop ['b']")
    head = one(a.plan, O.SELECTION, "head")
    assert parent_ids(a.plan, drop) == [sel.id]
    assert parent_ids(a.plan, head) == [drop.id]
    assert data(a, "df").schema.names == ("a",)


def test_pipe_with_user_function(tmp_path):
    a = run(tmp_path, HEAD + """
def clean(d, n):
    return d.dropna().head(n)
df = pd.read_csv("d.csv")
out = df.pipe(clean, 3)
""")
    src = source_named(a.plan, "d.csv")
    dropna = one(a.plan, O.SELECTION, "dropna")
    head = one(a.plan, O.SELECTION, "head")
    assert parent_ids(a.plan, dropna) == [src.id]
    assert node_ids(data(a, "out")) == [head.id]


def test_assign_with_lambda_and_series(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["a", "b", "sex"])
out = df.assign(c=lambda d: d["a"] + 1, e=df["b"] * 2)
""")
    node = one(a.plan, O.PROJECTION_MODIFY)
    assert node.description == "assign ['c', 'e']"
    assert parent_ids(a.plan, node) == [source_named(a.plan, "d.csv").id]
    schema = data(a, "out").schema
    assert schema.names == ("a", "b", "sex", "c", "e")
    assert schema.get("e").lineage == frozenset({"b"})
    # the lambda is evaluated with the frame bound to its parameter
    assert schema.get("c").lineage == frozenset({"a"})


def test_pipe_with_lambda(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv")
out = df.pipe(lambda d: d.dropna())
""")
    sel = one(a.plan, O.SELECTION, "dropna")
    assert parent_ids(a.plan, sel) == [source_named(a.plan, "d.csv").id]
    assert node_ids(data(a, "out")) == [sel.id]
    assert nodes_of(a.plan, O.UNKNOWN) == []


def test_lambda_called_directly(tmp_path):
    a = run(tmp_path, HEAD + """
clean = lambda d, n=2: d.head(n)
df = pd.read_csv("d.csv")
out = clean(df)
""")
    head = one(a.plan, O.SELECTION, "head")
    assert parent_ids(a.plan, head) == [source_named(a.plan, "d.csv").id]
    assert node_ids(data(a, "out")) == [head.id]


def test_lambda_value_is_not_called_by_assignment(tmp_path):
    a = run(tmp_path, HEAD + """
f = lambda d: d.dropna()
df = pd.read_csv("d.csv")
""")
    assert nodes_of(a.plan, O.SELECTION) == []


# -- module-level constants -------------------------------------------------------------------

def test_module_constants_for_paths_columns_and_queries(tmp_path):
    a = run(tmp_path, HEAD + """
DATA_DIR = "data"
TRAIN = DATA_DIR + "/train.csv"
FEATURES = ["age", "income"]
TARGET = "label"
QUERY = "age > 18"
df = pd.read_csv(TRAIN, names=FEATURES + [TARGET])
adults = df.query(QUERY)
X = adults[FEATURES]
y = adults[TARGET]
""")
    src = one(a.plan, O.DATA_SOURCE)
    assert src.description == "train.csv" and src.info.path == "data/train.csv"
    assert src.columns == ["age", "income", "label"]
    q = one(a.plan, O.SELECTION)
    assert q.description == "query: age > 18"
    assert q.info.reads == frozenset({"age"})
    assert one(a.plan, O.PROJECTION, "to ['age', 'income']") is not None
    assert data(a, "y").kind is DataKind.SERIES and data(a, "y").name == "label"


def test_fstring_path_is_folded_from_constants_and_unknown_otherwise(tmp_path):
    a = run(tmp_path, HEAD + """
name = "x"
df = pd.read_csv(f"{name}.csv")
""")
    src = one(a.plan, O.DATA_SOURCE)
    assert src.description == "x.csv" and src.info.path == "x.csv"
    a = run(tmp_path, HEAD + """
name = input()
df = pd.read_csv(f"{name}.csv")
""")
    src = one(a.plan, O.DATA_SOURCE)
    assert src.description is None and src.info.path is None


def test_dict_constant_lookup(tmp_path):
    a = run(tmp_path, HEAD + """
PATHS = {"train": "tr.csv", "test": "te.csv"}
tr = pd.read_csv(PATHS["train"])
te = pd.read_csv(PATHS.get("test"))
""")
    assert [s.description for s in sources(a.plan)] == ["tr.csv", "te.csv"]


def test_comprehension_building_data_sources(tmp_path):
    a = run(tmp_path, HEAD + """
FILES = ["a.csv", "b.csv"]
frames = [pd.read_csv(f) for f in FILES]
both = pd.concat(frames)
""")
    srcs = sources(a.plan)
    assert [s.description for s in srcs] == ["a.csv", "b.csv"]
    concat = one(a.plan, O.CONCATENATION)
    assert parent_ids(a.plan, concat) == [s.id for s in srcs]
    assert origin_set(data(a, "both")) == {(srcs[0].id, ()), (srcs[1].id, ())}


def test_walrus_binds(tmp_path):
    a = run(tmp_path, HEAD + """
if (df := pd.read_csv("w.csv")) is not None:
    out = df.dropna()
""")
    sel = one(a.plan, O.SELECTION, "dropna")
    assert parent_ids(a.plan, sel) == [source_named(a.plan, "w.csv").id]


def test_del_column_updates_schema(tmp_path):
    a = run(tmp_path, HEAD + """
df = pd.read_csv("d.csv", names=["a", "b", "c"])
del df["b"]
""")
    assert data(a, "df").schema.names == ("a", "c")
