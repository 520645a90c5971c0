"""Data paths built from constants name their source and give its CSV header like a literal path.

``os.path.join``, ``pathlib.Path`` (``/``, ``joinpath``, ``name``/``parent``), f-strings,
``+`` and ``str.format`` of constants are folded (``domains.folding``); anything else is unknown,
and the header is still read only inside the project (``engine.data_headers``).
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from mllint.domains.bounds import MAX_CHARS
from mllint.domains.folding import fold_binary, fold_path, fold_path_join, fold_path_method
from mllint.domains.values import TOP, Const

from helpers import run, sources

HEAD = "import os\nimport pandas as pd\nfrom pathlib import Path\nDATA = 'data'\n"


def _project(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train.csv").write_text("id,age,y\n1,2,0\n")


@pytest.mark.parametrize("expression", [
    'os.path.join(DATA, "train.csv")',
    'Path(DATA) / "train.csv"',
    'Path(DATA).joinpath("train.csv")',
    'f"{DATA}/train.csv"',
    "f'{DATA!s:>4}/{\"train\"}.csv'",
    'DATA + "/train.csv"',
    '"{}/train.csv".format(DATA)',
    'str(Path(DATA) / "train.csv")',
    'Path(DATA).parent / DATA / Path("x/train.csv").name',
    'os.path.join(Path(DATA), "train.csv")',
])
def test_path_of_constants_names_the_file_and_reads_its_header(tmp_path: Path, expression: str) -> None:
    _project(tmp_path)
    analysis = run(tmp_path, HEAD + f"df = pd.read_csv({expression})\nprint(df.x)\n")
    (source,) = sources(analysis.plan)
    assert source.description == "train.csv"
    assert list(source.schema.names) == ["id", "age", "y"]


@pytest.mark.parametrize("expression", [
    'os.path.join(os.getcwd(), "train.csv")',
    'f"{os.getcwd()}/train.csv"',
    'f"{DATA:{width}}/train.csv"',
    'Path(DATA).resolve() / "train.csv"',
])
def test_paths_with_unknown_parts_stay_unknown(tmp_path: Path, expression: str) -> None:
    _project(tmp_path)
    analysis = run(tmp_path, HEAD + "width = input()\n" + f"df = pd.read_csv({expression})\nprint(df.x)\n")
    (source,) = sources(analysis.plan)
    assert source.description is None and source.schema.open


def test_paths_outside_the_project_give_the_name_but_no_header(tmp_path: Path) -> None:
    _project(tmp_path)
    project = tmp_path / "sub"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'q'\n")
    analysis = run(project, HEAD + "df = pd.read_csv(os.path.join('..', DATA, 'train.csv'))\nprint(df.x)\n")
    (source,) = sources(analysis.plan)
    assert source.description == "train.csv" and source.schema.open


def test_folded_paths_are_bounded() -> None:
    long = "a" * (MAX_CHARS // 2 + 1)
    assert fold_path([long, long]) is TOP
    assert fold_path_join([long, long]) is TOP
    assert fold_binary("Divide", PurePosixPath(long), long) is TOP
    assert fold_path_method(PurePosixPath(long), "joinpath", [long]) is TOP
    assert fold_binary("Divide", PurePosixPath("a"), "b") == Const(PurePosixPath("a/b"))
    assert fold_binary("Divide", 1, PurePosixPath("a")) is TOP
    assert fold_path_join([]) is TOP and fold_path([1]) is TOP


def test_f_string_of_constants_is_folded_everywhere(tmp_path: Path) -> None:
    analysis = run(tmp_path, "import pandas as pd\nn = 3\ncol = f'x_{n:02d}_{{raw}}'\n")
    assert analysis.env["col"] == Const("x_03_{raw}")
