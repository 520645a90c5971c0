"""Import binding: aliases resolve to the library names the knowledge base knows; nothing is imported."""
from __future__ import annotations

import sys

import pytest

from mllint.domains.values import TOP, Ref

from helpers import O, data, estimator, nodes_of, one, run, sources


@pytest.mark.parametrize("imports, call", [
    ("import pandas as pd", "pd.read_csv"),
    ("import pandas", "pandas.read_csv"),
    ("import pandas as pandas_lib", "pandas_lib.read_csv"),
    ("from pandas import read_csv", "read_csv"),
    ("from pandas import read_csv as rc", "rc"),
])
def test_pandas_aliases(tmp_path, imports, call):
    a = run(tmp_path, f"""
{imports}
df = {call}("data.csv")
out = df.dropna()
""")
    src = one(a.plan, O.DATA_SOURCE)
    assert src.description == "data.csv" and src.info.function == "read_csv"
    assert a.plan.parents(one(a.plan, O.SELECTION, "dropna")) == [src]


@pytest.mark.parametrize("imports, construct, qualname", [
    ("from sklearn.preprocessing import StandardScaler as SS", "SS()", "sklearn.preprocessing.StandardScaler"),
    ("from sklearn.preprocessing import StandardScaler", "StandardScaler()", "sklearn.preprocessing.StandardScaler"),
    ("import sklearn.preprocessing as pre", "pre.StandardScaler()", "sklearn.preprocessing.StandardScaler"),
    ("from sklearn import preprocessing", "preprocessing.StandardScaler()", "sklearn.preprocessing.StandardScaler"),
    ("import sklearn", "sklearn.preprocessing.StandardScaler()", "sklearn.preprocessing.StandardScaler"),
    ("import sklearn.preprocessing", "sklearn.preprocessing.StandardScaler()",
     "sklearn.preprocessing.StandardScaler"),
    ("from sklearn.preprocessing._data import StandardScaler", "StandardScaler()",
     "sklearn.preprocessing._data.StandardScaler"),
])
def test_sklearn_transformer_aliases(tmp_path, imports, construct, qualname):
    a = run(tmp_path, f"""
import pandas as pd
{imports}
df = pd.read_csv("data.csv")
scaler = {construct}
Z = scaler.fit_transform(df)
""")
    est = estimator(a, "scaler")
    assert est.qualname == qualname
    assert est.class_name == "StandardScaler"
    assert "transformer" in est.kinds
    node = one(a.plan, O.TRANSFORMER)
    assert node.description == "Standard Scaler: fit_transform"
    assert [p.description for p in a.plan.parents(node)] == ["data.csv"]


def test_module_alias_for_a_classifier(tmp_path):
    a = run(tmp_path, """
import pandas as pd
import sklearn.svm as svm
df = pd.read_csv("data.csv")
model = svm.SVC()
model.fit(df, df["y"])
""")
    est = estimator(a, "model")
    assert est.qualname == "sklearn.svm.SVC" and "classifier" in est.kinds
    fit = one(a.plan, O.ESTIMATOR)
    assert fit.description == "SVC"
    assert est.estimator_node is fit


def test_import_bindings_are_refs(tmp_path):
    a = run(tmp_path, """
import pandas as pd
from sklearn.preprocessing import StandardScaler as SS
import sklearn.svm as svm
from sklearn import preprocessing
import sklearn.preprocessing as pre
import numpy as np
import os.path
""")
    assert a.env["pd"] == Ref("pandas")
    assert a.env["SS"] == Ref("sklearn.preprocessing.StandardScaler")
    assert a.env["svm"] == Ref("sklearn.svm")
    assert a.env["preprocessing"] == Ref("sklearn.preprocessing")
    assert a.env["pre"] == Ref("sklearn.preprocessing")
    assert a.env["np"] == Ref("numpy")
    assert a.env["os"] == Ref("os")   # `import os.path` binds the top package


def test_imblearn_import(tmp_path):
    a = run(tmp_path, """
from imblearn.over_sampling import SMOTE as Smote
sm = Smote()
""")
    est = estimator(a, "sm")
    assert est.qualname == "imblearn.over_sampling.SMOTE" and "resampler" in est.kinds


def test_alias_of_another_library_is_not_pandas(tmp_path):
    """`numpy as pd` makes pd.read_csv unknown: no guessed data source."""
    a = run(tmp_path, """
import numpy as pd
df = pd.read_csv("data.csv")
""")
    assert sources(a.plan) == []
    assert not any(n.description == "data.csv" for n in a.plan.nodes())


def test_rebinding_an_alias_shadows_the_import(tmp_path):
    a = run(tmp_path, """
import pandas as pd
import mylib as pd
df = pd.read_csv("data.csv")
""")
    assert sources(a.plan) == []


def test_function_local_import_stays_local(tmp_path):
    a = run(tmp_path, """
import numpy
def load():
    import pandas as pd
    return pd.read_csv("inner.csv")
df = load()
""")
    assert "pd" not in a.env
    assert [s.description for s in sources(a.plan)] == ["inner.csv"]
    assert data(a, "df").nodes == (sources(a.plan)[0],)


def test_star_import_binds_nothing(tmp_path):
    a = run(tmp_path, """
import pandas as pd
from sklearn.tree import *
model = DecisionTreeClassifier()
""")
    assert "DecisionTreeClassifier" not in a.env
    assert a.env["model"] is TOP          # not guessed to be sklearn's class
    assert nodes_of(a.plan, O.ESTIMATOR) == []


def test_relative_import_is_unknown(tmp_path):
    a = run(tmp_path, """
import pandas as pd
from .utils import read_csv
df = read_csv("data.csv")
""")
    assert sources(a.plan) == []


def test_analysis_never_imports_the_libraries(tmp_path):
    before = set(sys.modules)
    run(tmp_path, """
import pandas as pd
import sklearn.svm as svm
from imblearn.over_sampling import SMOTE
df = pd.read_csv("data.csv")
svm.SVC().fit(df, df["y"])
""")
    new = set(sys.modules) - before
    assert not any(m.split(".")[0] in ("pandas", "sklearn", "imblearn") for m in new)
    assert "pandas" not in sys.modules and "sklearn" not in sys.modules
