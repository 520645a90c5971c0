"""pandas operations: sources, schemas, selections, projections, joins, aggregations, encodings."""
from __future__ import annotations

import os

import pytest

from mllint import Config
from mllint.domains.values import DataKind, TOP, Data, Statistic

from helpers import (O, data, names_with_lineage, nodes_of, one, origin_set, parent_ids, run,
                     source_named, sources)

PD = "import pandas as pd\n"


def _frame(a, name: str) -> Data:
    value = data(a, name)
    assert value.kind is DataKind.FRAME, value.kind
    return value


# -- sources ------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, function, description", [
    ('pd.read_csv("data/train.csv")', "read_csv", "train.csv"),
    ('pd.read_parquet("events.parquet")', "read_parquet", "events.parquet"),
    ('pd.read_json("records.json", lines=True)', "read_json", "records.json"),
    ('pd.read_excel("book.xlsx", sheet_name=0)', "read_excel", "book.xlsx"),
    ('pd.read_table("t.tsv")', "read_table", "t.tsv"),
    ('pd.read_feather("f.feather")', "read_feather", "f.feather"),
])
def test_file_sources(tmp_path, call, function, description):
    a = run(tmp_path, PD + f"df = {call}\n")
    src = one(a.plan, O.DATA_SOURCE)
    assert src.description == description
    assert src.info.function == function
    assert a.plan.parents(src) == []
    df = _frame(a, "df")
    assert df.nodes == (src,)
    assert origin_set(df) == {(src.id, ())}
    assert src.span.as_tuple()[:2] == (2, 5)


def test_read_sql_is_a_source(tmp_path):
    a = run(tmp_path, PD + """
import sqlite3
con = sqlite3.connect("db.sqlite")
df = pd.read_sql("SELECT * FROM people", con)
""")
    src = one(a.plan, O.DATA_SOURCE)
    assert src.info.function == "read_sql"
    assert _frame(a, "df").nodes == (src,)
    assert _frame(a, "df").schema.open


def test_dataframe_literal_source(tmp_path):
    a = run(tmp_path, PD + """
df = pd.DataFrame({"u": [1, 2], "v": [3, 4]})
df2 = pd.DataFrame([[1, 2]], columns=["m", "n"])
""")
    first, second = sources(a.plan)
    assert first.columns == ["u", "v"] and second.columns == ["m", "n"]
    assert _frame(a, "df").schema.names == ("u", "v") and not _frame(a, "df").schema.open
    assert origin_set(_frame(a, "df2")) == {(second.id, ())}


def test_two_sources_have_distinct_provenance(tmp_path):
    a = run(tmp_path, PD + """
a = pd.read_csv("a.csv")
b = pd.read_csv("b.csv")
""")
    sa, sb = source_named(a.plan, "a.csv"), source_named(a.plan, "b.csv")
    assert origin_set(data(a, "a")) == {(sa.id, ())}
    assert origin_set(data(a, "b")) == {(sb.id, ())}


# -- schemas of sources -------------------------------------------------------------------------

def test_schema_from_names(tmp_path):
    a = run(tmp_path, PD + 'df = pd.read_csv("nofile.csv", names=["a", "b", "sex"])\n')
    schema = _frame(a, "df").schema
    assert schema.names == ("a", "b", "sex") and not schema.open
    assert schema.get("sex").lineage == frozenset({"sex"})


def test_schema_from_header_line_next_to_script(tmp_path):
    (tmp_path / "data.csv").write_text("id,age,sex,income,label\n1,30,F,10,0\n")
    a = run(tmp_path, PD + 'df = pd.read_csv("data.csv")\n')
    src = one(a.plan, O.DATA_SOURCE)
    assert src.columns == ["id", "age", "sex", "income", "label"]
    assert not _frame(a, "df").schema.open


def test_schema_from_header_in_subfolder_and_with_bom_and_sep(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "semi.csv").write_bytes("\ufeffa;b;c\n1;2;3\n".encode("utf-8"))
    a = run(tmp_path, PD + 'df = pd.read_csv("data/semi.csv", sep=";")\n')
    assert _frame(a, "df").schema.names == ("a", "b", "c")


def test_header_with_usecols_and_index_col(tmp_path):
    (tmp_path / "data.csv").write_text("id,age,sex,income,label\n")
    a = run(tmp_path, PD + """
d1 = pd.read_csv("data.csv", usecols=["age", "label"])
d2 = pd.read_csv("data.csv", index_col="id")
d3 = pd.read_csv("data.csv", index_col=0)
d4 = pd.read_csv("data.csv", names=["p", "q"], header=0)
d5 = pd.read_csv("data.csv", header=None)
""")
    assert _frame(a, "d1").schema.names == ("age", "label")
    assert _frame(a, "d2").schema.names == ("age", "sex", "income", "label")
    assert _frame(a, "d3").schema.names == ("age", "sex", "income", "label")
    assert _frame(a, "d4").schema.names == ("p", "q")
    # header=None: the first line is data, its values are not column names
    assert "id" not in _frame(a, "d5").schema.names and _frame(a, "d5").schema.open


def test_missing_file_leaves_schema_open(tmp_path):
    a = run(tmp_path, PD + 'df = pd.read_csv("missing.csv")\n')
    schema = _frame(a, "df").schema
    assert schema.open and schema.names == ()


def _project_with_outside_csv(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (project / "inside.csv").write_text("x,y\n")
    (tmp_path / "outside.csv").write_text("secret_a,secret_b\n")
    return project


def test_header_not_read_outside_project_root(tmp_path):
    project = _project_with_outside_csv(tmp_path)
    outside = tmp_path / "outside.csv"
    a = run(project, PD + f"""
inside = pd.read_csv("inside.csv")
rel = pd.read_csv("../outside.csv")
absolute = pd.read_csv({str(outside)!r})
""")
    assert _frame(a, "inside").schema.names == ("x", "y")
    for name in ("rel", "absolute"):
        schema = _frame(a, name).schema
        assert schema.open and schema.names == ()
    assert not any("secret_a" in (n.columns or []) for n in a.plan.nodes())


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_header_not_read_through_symlink_pointing_outside(tmp_path):
    project = _project_with_outside_csv(tmp_path)
    try:
        (project / "link.csv").symlink_to(tmp_path / "outside.csv")
    except OSError:
        pytest.skip("cannot create symlinks here")
    a = run(project, PD + 'df = pd.read_csv("link.csv")\n')
    schema = _frame(a, "df").schema
    assert schema.open and schema.names == ()


def test_header_read_through_symlink_inside_project(tmp_path):
    project = _project_with_outside_csv(tmp_path)
    try:
        (project / "alias.csv").symlink_to(project / "inside.csv")
    except OSError:
        pytest.skip("cannot create symlinks here")
    a = run(project, PD + 'df = pd.read_csv("alias.csv")\n')
    assert _frame(a, "df").schema.names == ("x", "y")


def test_header_not_read_when_disabled(tmp_path):
    (tmp_path / "data.csv").write_text("id,age\n")
    a = run(tmp_path, PD + 'df = pd.read_csv("data.csv")\n', config=Config(data_headers=False))
    schema = _frame(a, "df").schema
    assert schema.open and schema.names == ()


# -- selections -----------------------------------------------------------------------------------

SCHEMA = PD + 'df = pd.read_csv("x.csv", names=["id", "age", "sex", "race", "name", "label"])\n'


def _selection(tmp_path, expr: str):
    a = run(tmp_path, SCHEMA + f"out = {expr}\n")
    sel = one(a.plan, O.SELECTION)
    src = source_named(a.plan, "x.csv")
    assert parent_ids(a.plan, sel) == [src.id]
    out = data(a, "out")
    assert out.nodes == (sel,)
    assert out.schema.names == ("id", "age", "sex", "race", "name", "label")   # rows change, columns stay
    # a row selection narrows the provenance with a row step for the selection node
    assert origin_set(out) == {(src.id, ((sel.id, "rows"),))}
    assert origin_set(sel.provenance) == {(src.id, ((sel.id, "rows"),))}
    return a, sel


@pytest.mark.parametrize("expr, description, reads", [
    ('df[df["sex"] == "F"]', 'Select by Series: df[df["sex"] == "F"]', {"sex"}),
    ('df[df.age > 30]', "Select by Series: df[df.age > 30]", {"age"}),
    ('df[df["race"].isin(["a", "b"])]', 'Select by Series: df[df["race"].isin(["a", "b"])]', {"race"}),
    ('df[df["age"].between(20, 30)]', 'Select by Series: df[df["age"].between(20, 30)]', {"age"}),
    ('df[df["name"].str.contains("x")]', 'Select by Series: df[df["name"].str.contains("x")]', {"name"}),
    ('df[(df["sex"] == "F") & (df["age"] > 3)]', 'Select by Series: df[(df["sex"] == "F") & (df["age"] > 3)]',
     {"sex", "age"}),
    ('df[~(df["race"] == "x")]', 'Select by Series: df[~(df["race"] == "x")]', {"race"}),
    ('df[df["age"] > df["age"].mean()]', 'Select by Series: df[df["age"] > df["age"].mean()]', {"age"}),
    ('df[df["sex"].notna()]', 'Select by Series: df[df["sex"].notna()]', {"sex"}),
])
def test_mask_selections_record_reads(tmp_path, expr, description, reads):
    a, sel = _selection(tmp_path, expr)
    assert sel.description == description
    assert sel.info.filter.value == "mask"
    assert sel.info.reads == frozenset(reads)


def test_mask_held_in_a_variable(tmp_path):
    a = run(tmp_path, SCHEMA + """
is_woman = df["sex"] == "F"
adult = df["age"] >= 18
out = df[is_woman & adult]
""")
    sel = one(a.plan, O.SELECTION)
    assert sel.info.reads == frozenset({"sex", "age"})
    assert parent_ids(a.plan, sel) == [source_named(a.plan, "x.csv").id]


@pytest.mark.parametrize("expr, description, reads", [
    ('df.query("age > 30")', "query: age > 30", {"age"}),
    ("df.query(\"sex == 'F' and age > 3\")", "query: sex == 'F' and age > 3", {"sex", "age"}),
    ('df.query("`race` == @value")', "query: `race` == @value", {"race"}),
])
def test_query_reads_columns_not_literals(tmp_path, expr, description, reads):
    a, sel = _selection(tmp_path, expr)
    assert sel.description == description and sel.info.filter.value == "query"
    assert sel.info.reads == frozenset(reads)


def test_loc_with_mask(tmp_path):
    a, sel = _selection(tmp_path, 'df.loc[df["age"] > 30]')
    assert sel.info.reads == frozenset({"age"})


def test_loc_with_mask_and_columns(tmp_path):
    a = run(tmp_path, SCHEMA + 'out = df.loc[df["sex"] == "M", ["age", "label"]]\n')
    sel = one(a.plan, O.SELECTION)
    proj = one(a.plan, O.PROJECTION, "to ['age', 'label']")
    assert sel.info.reads == frozenset({"sex"})
    assert parent_ids(a.plan, proj) == [sel.id]
    assert data(a, "out").schema.names == ("age", "label")
    assert data(a, "out").nodes == (proj,)


def test_iloc_slice(tmp_path):
    a, sel = _selection(tmp_path, "df.iloc[:100]")
    assert sel.info.filter.value == "slice"
    assert sel.info.bounds == (None, 100, None)


@pytest.mark.parametrize("expr, description, reads", [
    ("df.dropna()", "dropna", set()),   # drops rows, but its condition reads no particular column
    ('df.dropna(subset=["race"])', "dropna", {"race"}),
    ("df.drop_duplicates()", "drop_duplicates", set()),
    ('df.drop_duplicates(subset=["name"])', "drop_duplicates", {"name"}),
    ("df.head(10)", "head", set()),
    ("df.tail()", "tail", set()),
    ("df.sample(frac=0.5)", "sample", set()),
])
def test_row_filter_methods(tmp_path, expr, description, reads):
    a, sel = _selection(tmp_path, expr)
    assert sel.description == description and sel.info.filter.value == description
    assert sel.info.reads == frozenset(reads)


def test_sample_with_replacement_is_recorded(tmp_path):
    a, sel = _selection(tmp_path, "df.sample(frac=2.0, replace=True)")
    assert sel.info.replace is True


# -- projections ----------------------------------------------------------------------------------

def test_projection_to_list_and_single_column(tmp_path):
    a = run(tmp_path, SCHEMA + """
X = df[["age", "sex"]]
y = df["label"]
z = df.loc[:, ["age"]]
""")
    src = source_named(a.plan, "x.csv")
    px = one(a.plan, O.PROJECTION, "to ['age', 'sex']")
    py = one(a.plan, O.PROJECTION, "to ['label']")
    assert parent_ids(a.plan, px) == parent_ids(a.plan, py) == [src.id]
    X, y, z = data(a, "X"), data(a, "y"), data(a, "z")
    assert X.kind is DataKind.FRAME and X.schema.names == ("age", "sex") and not X.schema.open
    assert y.kind is DataKind.SERIES and y.name == "label"
    assert z.kind is DataKind.FRAME and z.schema.names == ("age",)
    assert origin_set(X) == origin_set(y) == {(src.id, ())}


def test_projection_of_unknown_column_on_open_schema(tmp_path):
    a = run(tmp_path, PD + 'df = pd.read_csv("nofile.csv")\nX = df[["a", "b"]]\n')
    assert data(a, "X").schema.names == ("a", "b")
    assert one(a.plan, O.PROJECTION).columns == ["a", "b"]


def test_drop_and_rename(tmp_path):
    a = run(tmp_path, SCHEMA + """
d1 = df.drop(columns=["name"])
d2 = df.drop("name", axis=1)
d3 = df.drop(["name", "id"], axis="columns")
r = df.rename(columns={"sex": "gender", "race": "ethnicity"})
""")
    expected = ("id", "age", "sex", "race", "label")
    assert data(a, "d1").schema.names == expected and data(a, "d2").schema.names == expected
    assert data(a, "d3").schema.names == ("age", "sex", "race", "label")
    drops = nodes_of(a.plan, O.PROJECTION)
    assert [d.description for d in drops] == ["drop ['name']", "drop ['name']", "drop ['name', 'id']"]
    r = data(a, "r")
    assert r.schema.names == ("id", "age", "gender", "ethnicity", "name", "label")
    assert r.schema.get("gender").lineage == frozenset({"sex"})
    assert one(a.plan, O.PROJECTION_MODIFY, "rename").columns == list(r.schema.names)


def test_drop_rows_by_label_is_a_selection(tmp_path):
    a = run(tmp_path, SCHEMA + "out = df.drop([0, 1])\n")
    assert one(a.plan, O.SELECTION).description == "drop"
    assert nodes_of(a.plan, O.PROJECTION) == []


def test_values_and_to_numpy(tmp_path):
    a = run(tmp_path, SCHEMA + """
v = df[["age"]].values
n = df.to_numpy()
s = df["age"].to_numpy()
""")
    v, n, s = data(a, "v"), data(a, "n"), data(a, "s")
    assert v.kind == n.kind == s.kind is DataKind.ARRAY
    src = source_named(a.plan, "x.csv")
    assert n.nodes == (src,)          # no plan node: same rows, same values
    p_v, p_s = nodes_of(a.plan, O.PROJECTION)
    assert v.nodes == (p_v,) and s.nodes == (p_s,)
    assert origin_set(n) == {(src.id, ())}
    assert names_with_lineage(v.schema, "age") == ["age"]


# -- joins, concatenation, aggregation ----------------------------------------------------------

TWO = PD + """
a = pd.read_csv("a.csv", names=["id", "sex", "x"])
b = pd.read_csv("b.csv", names=["id", "sex", "y"])
"""


def test_merge_suffixes_and_lineage(tmp_path):
    a = run(tmp_path, TWO + 'j = a.merge(b, on="id", how="left")\n')
    join = one(a.plan, O.JOIN)
    sa, sb = source_named(a.plan, "a.csv"), source_named(a.plan, "b.csv")
    assert join.description == "on 'id' (left)"
    assert join.info.how == "left"
    assert parent_ids(a.plan, join) == [sa.id, sb.id]
    j = data(a, "j")
    assert j.schema.names == ("id", "sex_x", "x", "sex_y", "y")
    assert j.schema.get("sex_x").lineage == j.schema.get("sex_y").lineage == frozenset({"sex"})
    assert origin_set(j) == {(sa.id, ())}   # a left join keeps the left rows; b adds columns


def test_merge_custom_suffixes_and_multiple_keys(tmp_path):
    a = run(tmp_path, TWO + """
j1 = pd.merge(a, b, left_on="id", right_on="id", suffixes=("_l", "_r"))
j2 = a.merge(b, on=["id", "sex"])
j3 = a.merge(b)
""")
    assert data(a, "j1").schema.names == ("id", "sex_l", "x", "sex_r", "y")
    assert data(a, "j2").schema.names == ("id", "sex", "x", "y")
    assert data(a, "j3").schema.names == ("id", "sex", "x", "y")   # on the shared columns
    assert len(nodes_of(a.plan, O.JOIN)) == 3


def test_join_with_suffixes(tmp_path):
    a = run(tmp_path, TWO + 'j = a.join(b, lsuffix="_l", rsuffix="_r")\n')
    assert one(a.plan, O.JOIN).info.how == "left"
    assert data(a, "j").schema.names == ("id_l", "sex_l", "x", "id_r", "sex_r", "y")


def test_concat_rows_and_columns(tmp_path):
    a = run(tmp_path, TWO + """
rows = pd.concat([a, b], ignore_index=True)
cols = pd.concat([a[["x"]], b[["y"]]], axis=1)
""")
    sa, sb = source_named(a.plan, "a.csv"), source_named(a.plan, "b.csv")
    crow = one(a.plan, O.CONCATENATION, "concat")
    ccol = one(a.plan, O.CONCATENATION, "concat (columns)")
    assert parent_ids(a.plan, crow) == [sa.id, sb.id]
    assert data(a, "rows").schema.names == ("id", "sex", "x", "y")
    assert origin_set(data(a, "rows")) == {(sa.id, ()), (sb.id, ())}
    assert [p.description for p in a.plan.parents(ccol)] == ["to ['x']", "to ['y']"]
    assert data(a, "cols").schema.names == ("x", "y")


def test_groupby_agg(tmp_path):
    a = run(tmp_path, TWO + """
g1 = a.groupby("sex").agg({"x": "mean"})
g2 = a.groupby("sex").agg(mean_x=("x", "mean"))
""")
    n1, n2 = nodes_of(a.plan, O.GROUP_BY_AGG)
    sa = source_named(a.plan, "a.csv")
    assert n1.description == "Groupby 'sex', Aggregate: '({'x': 'mean'},)'"
    assert n1.columns == ["sex", "x"] and n1.info.keys == ("sex",)
    assert parent_ids(a.plan, n1) == parent_ids(a.plan, n2) == [sa.id]
    assert data(a, "g1").schema.names == ("sex", "x")
    assert data(a, "g2").schema.names == ("sex", "mean_x")
    assert "x" in data(a, "g2").schema.get("mean_x").lineage
    # an aggregate summarises all rows: it carries a row statistic over them
    stats = data(a, "g1").stats
    assert stats and origin_set(stats[-1].prov) == {(sa.id, ())}


def test_groupby_column_statistic(tmp_path):
    a = run(tmp_path, TWO + 'g = a.groupby("sex")["x"].mean()\n')
    node = one(a.plan, O.GROUP_BY_AGG)
    assert node.info.keys == ("sex",) and node.columns == ["sex", "x"]


def test_groupby_transform_is_a_row_statistic_without_node(tmp_path):
    a = run(tmp_path, TWO + 'a["x_mean"] = a.groupby("sex")["x"].transform("mean")\n')
    assert nodes_of(a.plan, O.GROUP_BY_AGG) == []
    mod = one(a.plan, O.PROJECTION_MODIFY)
    assert mod.description == "modifies ['x_mean']"
    assert any(s.what == "group transform" for s in data(a, "a").stats)


def test_get_dummies_lineage(tmp_path):
    a = run(tmp_path, SCHEMA + """
enc = pd.get_dummies(df, columns=["sex", "race"])
only = pd.get_dummies(df["sex"], prefix="s")
""")
    enc = data(a, "enc").schema
    assert names_with_lineage(enc, "sex") and all(n != "sex" for n in names_with_lineage(enc, "sex"))
    assert all(n.startswith("sex_") for n in names_with_lineage(enc, "sex"))
    assert all(n.startswith("race_") for n in names_with_lineage(enc, "race"))
    assert "age" in enc.names and "label" in enc.names
    assert enc.open   # the categories are data: more columns may exist
    node = one(a.plan, O.PROJECTION_MODIFY, "get_dummies", encoded=("sex", "race"))
    assert parent_ids(a.plan, node) == [source_named(a.plan, "x.csv").id]
    only = data(a, "only").schema
    assert names_with_lineage(only, "sex") and all(n.startswith("s_") for n in names_with_lineage(only, "sex"))


def test_get_dummies_lineage_survives_projection_of_all(tmp_path):
    a = run(tmp_path, SCHEMA + """
enc = pd.get_dummies(df, columns=["sex"])
X = enc.drop(columns=["label"])
""")
    X = data(a, "X").schema
    assert "label" not in X.names
    assert names_with_lineage(X, "sex")


# -- series operations, statistics ------------------------------------------------------------

def test_series_comparison_is_a_mask_without_node(tmp_path):
    a = run(tmp_path, SCHEMA + 'm = df["age"] > 30\n')
    m = data(a, "m")
    assert m.kind is DataKind.SERIES and m.is_mask and m.reads == frozenset({"age"})
    assert nodes_of(a.plan, O.SELECTION) == []


def test_statistic_remembers_rows(tmp_path):
    a = run(tmp_path, SCHEMA + 'mu = df["age"].mean()\n')
    mu = a.env["mu"]
    assert isinstance(mu, Statistic) and mu.what == "mean"
    assert mu.reads == frozenset({"age"})
    assert origin_set(mu.prov) == {(source_named(a.plan, "x.csv").id, ())}


def test_fillna_with_statistic_is_modify(tmp_path):
    a = run(tmp_path, SCHEMA + 'df["age"] = df["age"].fillna(df["age"].median())\n')
    mod = one(a.plan, O.PROJECTION_MODIFY)
    assert mod.description == "modifies ['age']"
    assert any(s.what == "median" for s in data(a, "df").stats)


def test_unknown_method_on_frame_widens(tmp_path):
    a = run(tmp_path, SCHEMA + "out = df.frobnicate()\nnext_ = out.dropna()\n")
    unknown = one(a.plan, O.UNKNOWN)
    assert parent_ids(a.plan, unknown) == [source_named(a.plan, "x.csv").id]
    assert a.env["out"] is TOP
    assert nodes_of(a.plan, O.SELECTION) == []
