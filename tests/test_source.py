"""Tests for mllint.engine.source: encodings, line endings, notebooks and IPython syntax."""
from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import libcst
import pytest

from mllint.engine.source import SourceError, SourceText, decode_python_bytes, load_source, notebook_to_source


def load_file(tmp_path: Path, name: str, data: bytes) -> SourceText:
    path = tmp_path / name
    path.write_bytes(data)
    return load_source(path.read_bytes(), str(path))


def code(source: str | list[str]) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def markdown(source: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


PYTHON_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "file_extension": ".py"},
}


def write_notebook(tmp_path: Path, cells: list[dict[str, Any]], metadata: dict[str, Any] | None = None) -> Path:
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": PYTHON_METADATA if metadata is None else metadata, "cells": cells}
    path = tmp_path / "analysis.ipynb"
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return path


def load_notebook(tmp_path: Path, cells: list[dict[str, Any]], metadata: dict[str, Any] | None = None) -> SourceText:
    path = write_notebook(tmp_path, cells, metadata)
    return load_source(path.read_bytes(), str(path))


def lines_of(source: SourceText) -> list[str]:
    assert source.text.endswith("\n")
    return source.text[:-1].split("\n")


# --------------------------------------------------------------------------- encodings


def test_cp1252_cookie(tmp_path: Path) -> None:
    original = '# -*- coding: cp1252 -*-\nprice = "5 €"\n'
    data = original.encode("cp1252")
    assert b"\x80" in data  # the euro sign is not UTF-8 here
    source = load_file(tmp_path, "prices.py", data)
    assert source.kind == "python"
    assert source.path == str(tmp_path / "prices.py")
    assert source.text == original


def test_latin1_cookie_on_line_2(tmp_path: Path) -> None:
    original = '#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\nname = "café"\n'
    source = load_file(tmp_path, "names.py", original.encode("latin-1"))
    assert source.text == original


def test_cookie_line_may_itself_hold_non_utf8_bytes(tmp_path: Path) -> None:
    # tokenize.detect_encoding rejects this; CPython runs it.
    original = '# -*- coding: latin-1 -*-  (auteur: Zoé)\nx = "é"\n'
    assert load_file(tmp_path, "zoe.py", original.encode("latin-1")).text == original


def test_cookie_after_a_code_line_is_ignored(tmp_path: Path) -> None:
    data = 'x = 1\n# coding: latin-1\ny = "é"\n'.encode("latin-1")
    with pytest.raises(SourceError, match=r"cannot decode as utf-8 \(byte 0xe9 at offset 29, line 3\)"):
        load_file(tmp_path, "late_cookie.py", data)


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    source = load_file(tmp_path, "bom.py", b"\xef\xbb\xbf" + 'x = "é"\ny = 2\n'.encode("utf-8"))
    assert source.text == 'x = "é"\ny = 2\n'


def test_utf8_bom_with_utf8_cookie_is_accepted(tmp_path: Path) -> None:
    source = load_file(tmp_path, "bom_cookie.py", b"\xef\xbb\xbf# coding: utf8\nx = 1\n")
    assert source.text == "# coding: utf8\nx = 1\n"


def test_utf8_bom_with_conflicting_cookie_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"BOM conflicts with coding cookie 'latin-1'"):
        load_file(tmp_path, "conflict.py", b"\xef\xbb\xbf# coding: latin-1\nx = 1\n")


@pytest.mark.parametrize(
    "data",
    [
        b"import pandas as pd\r\ndf = pd.DataFrame()\r\n\r\nx = df\r\n",
        b"import pandas as pd\rdf = pd.DataFrame()\r\rx = df\r",
        b"import pandas as pd\r\ndf = pd.DataFrame()\r\rx = df\n",
    ],
    ids=["crlf", "cr", "mixed"],
)
def test_line_endings_are_normalised_without_moving_lines(tmp_path: Path, data: bytes) -> None:
    source = load_file(tmp_path, "endings.py", data)
    assert source.text == "import pandas as pd\ndf = pd.DataFrame()\n\nx = df\n"
    module = libcst.metadata.MetadataWrapper(libcst.parse_module(source.text))
    positions = module.resolve(libcst.metadata.PositionProvider)
    assign_lines = [positions[node].start.line for node in positions if isinstance(node, libcst.Assign)]
    assert assign_lines == [2, 4]


def test_str_input_is_only_newline_normalised() -> None:
    source = load_source("a = 1\r\nb = '\u2028'\rc = 3\x0c\n", "text.py")
    assert source.text == "a = 1\nb = '\u2028'\nc = 3\x0c\n"
    assert source.kind == "python"


def test_nul_bytes_mean_binary(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"^binary file \(NUL byte at offset 5\)$"):
        load_file(tmp_path, "model.py", b"x = 1\x00\x00\x01\x02")


def test_invalid_utf8_is_reported_with_its_offset(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        load_file(tmp_path, "broken.py", b"x = 1\ny = '\xff'\n")
    assert str(info.value) == "cannot decode as utf-8 (byte 0xff at offset 11, line 2)"
    assert isinstance(info.value, ValueError)


def test_offset_counts_the_bom(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"byte 0xc3 at offset 7, line 1"):
        load_file(tmp_path, "bom_broken.py", b"\xef\xbb\xbfx = \xc3(\n")


def test_byte_undefined_in_the_cookie_encoding(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"cannot decode as cp1252 \(byte 0x81 at offset 22, line 2\)"):
        load_file(tmp_path, "cp.py", b"# coding: cp1252\nx = '\x81'\n")


@pytest.mark.parametrize(
    ("cookie", "message"),
    [
        (b"klingon", r"unknown encoding in coding cookie: 'klingon'"),
        (b"utf-16", r"unusable for Python source: 'utf-16'"),
        (b"rot13", r"unusable for Python source: 'rot13'"),
    ],
)
def test_bad_coding_cookies(tmp_path: Path, cookie: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        load_file(tmp_path, "cookie.py", b"# -*- coding: " + cookie + b" -*-\nx = 1\n")


def test_decode_python_bytes_defaults_to_utf8() -> None:
    assert decode_python_bytes("s = 'naïve — ok'\n".encode("utf-8")) == "s = 'naïve — ok'\n"


# --------------------------------------------------------------------------- notebooks


def test_markdown_cells_are_skipped_and_code_cells_joined(tmp_path: Path) -> None:
    source = load_notebook(
        tmp_path,
        [
            markdown("# Loading"),
            code(["import pandas as pd\n", "df = pd.read_csv('train.csv')"]),
            markdown("## Model"),
            code(["from sklearn.linear_model import LogisticRegression\n", "model = LogisticRegression()\n"]),
        ],
    )
    assert source.kind == "notebook"
    assert source.text == (
        "import pandas as pd\n"
        "df = pd.read_csv('train.csv')\n"
        "\n"  # separator
        "from sklearn.linear_model import LogisticRegression\n"
        "model = LogisticRegression()\n"
        "\n"  # the cell's own trailing newline is a (blank) line of the cell
    )
    libcst.parse_module(source.text)


def test_mapping_back_to_cells(tmp_path: Path) -> None:
    source = load_notebook(
        tmp_path,
        [
            markdown("intro"),
            code("a = 1\nb = 2"),
            markdown("more"),
            markdown("even more"),
            code("c = 3"),
            code("d = 4\ne = 5\n"),
        ],
    )
    lines = lines_of(source)
    assert lines == ["a = 1", "b = 2", "", "c = 3", "", "d = 4", "e = 5", ""]
    positions = {text: source.to_notebook_position(number) for number, text in enumerate(lines, 1) if text}
    assert positions == {"a = 1": (1, 1), "b = 2": (1, 2), "c = 3": (4, 1), "d = 4": (5, 1), "e = 5": (5, 2)}
    labels = {text: source.cell_label(number) for number, text in enumerate(lines, 1) if text}
    assert labels == {"a = 1": "cell 1", "b = 2": "cell 1", "c = 3": "cell 2", "d = 4": "cell 3", "e = 5": "cell 3"}
    assert source.to_notebook_position(3) is None  # separator after cell 1
    assert source.cell_label(3) is None
    assert source.to_notebook_position(8) == (5, 3)  # trailing empty line of the last cell
    assert source.to_notebook_position(9) is None
    assert source.to_notebook_position(0) is None
    assert [(c.cell, c.code_cell, c.first_line, c.line_count) for c in source.cells] == [
        (1, 1, 1, 2),
        (4, 2, 4, 1),
        (5, 3, 6, 3),
    ]


def test_python_file_has_no_cell_positions() -> None:
    source = load_source(b"x = 1\n", "plain.py")
    assert source.cells == ()
    assert source.to_notebook_position(1) is None
    assert source.cell_label(1) is None


def test_magics_are_blanked_without_moving_lines(tmp_path: Path) -> None:
    cells = [
        code(["%matplotlib inline\n", "!pip install scikit-learn\n", "import pandas as pd"]),
        code(["%%bash\n", "echo 'unbalanced\n", "ls -la | wc -l"]),
        code(["%%time\n", "df = pd.read_csv('data.csv')\n", "df?"]),
        code(["x = !ls\n", "files: list = !ls *.csv\n", "t = %time len(df)\n", "print(x)"]),
        code(["?df\n", "df.head??\n", "!!ls\n", "%%timeit\n", "y = 1"]),
    ]
    source = load_notebook(tmp_path, cells)
    lines = lines_of(source)
    assert lines == [
        "", "", "import pandas as pd",
        "",
        "", "", "",  # %%bash blanks the whole cell
        "",
        "", "df = pd.read_csv('data.csv')", "",  # %%time keeps its Python body
        "",
        "", "", "", "print(x)",
        "",
        "", "", "", "", "y = 1",  # a %% line that does not start the cell is a line magic
    ]
    assert [c.line_count for c in source.cells] == [3, 3, 3, 4, 5]
    assert source.to_notebook_position(lines.index("print(x)") + 1) == (3, 4)
    libcst.parse_module(source.text)


def test_magic_inside_an_indented_block_still_parses(tmp_path: Path) -> None:
    cell = code(
        [
            "for name in ['a.csv', 'b.csv']:\n",
            "    %time frame = pd.read_csv(name)\n",
            "if frame.empty:\n",
            "\t!rm -rf cache\n",
            "else:\n",
            "    result = !ls\n",
            "while False:\n",
            "    frame?\n",
        ]
    )
    source = load_notebook(tmp_path, [cell])
    assert lines_of(source)[:8] == [
        "for name in ['a.csv', 'b.csv']:",
        "    pass",
        "if frame.empty:",
        "\tpass",
        "else:",
        "    pass",
        "while False:",
        "    pass",
    ]
    libcst.parse_module(source.text)
    ast.parse(source.text)  # the interpreter aligns stdlib-ast statements with the CST


def test_python_that_looks_like_ipython_syntax_is_kept(tmp_path: Path) -> None:
    body = [
        'query = """\n',
        "%d rows?\n",
        "!important\n",
        '"""\n',
        "total = (a\n",
        "         % b)\n",
        "ratio = [x\n",
        "         / 2 for x in xs]\n",
        "z = 1  # why?\n",
        "s = 'a = %d' % 3\n",
        "flag = a != b\n",
    ]
    source = load_notebook(tmp_path, [code(body)])
    assert lines_of(source) == [line.rstrip("\n") for line in body] + [""]
    libcst.parse_module(source.text)


def test_autocall_escapes_are_blanked(tmp_path: Path) -> None:
    source = load_notebook(tmp_path, [code(["/print a b\n", ",print a b\n", ";print a b\n", "x = 1"])])
    assert lines_of(source) == ["", "", "", "x = 1"]


def test_shell_line_continued_with_backslashes(tmp_path: Path) -> None:
    source = load_notebook(tmp_path, [code(["!pip install \\\n", "    pandas \\\n", "    scikit-learn\n", "import pandas"])])
    assert lines_of(source) == ["", "", "", "import pandas"]


def test_nested_python_cell_magics_and_non_python_cell_magic(tmp_path: Path) -> None:
    source = load_notebook(
        tmp_path,
        [
            code(["\n", "%%capture captured\n", "%%time\n", "model.fit(X, y)"]),
            code(["%%writefile train.py\n", "import sys\n", "print(sys.argv)"]),
            code(["%%sql\n", "SELECT * FROM t WHERE a = 'b"]),
            code(["\n", "  %%bash\n", "echo 'unbalanced"]),  # IPython skips leading blank lines and indent
        ],
    )
    assert lines_of(source) == ["", "", "", "model.fit(X, y)", "", "", "", "", "", "", "", "", "", "", ""]
    libcst.parse_module(source.text)


def test_cell_ending_in_backslash_does_not_swallow_the_next_cell(tmp_path: Path) -> None:
    source = load_notebook(tmp_path, [code("x = 1 + \\"), code("y")])
    with pytest.raises(libcst.ParserSyntaxError):
        libcst.parse_module(source.text)


def test_source_as_a_single_string_and_crlf_inside_cells(tmp_path: Path) -> None:
    source = load_notebook(tmp_path, [code("import numpy as np\r\n%load_ext autoreload\r\nx = np.zeros(3)")])
    assert lines_of(source) == ["import numpy as np", "", "x = np.zeros(3)"]
    assert source.to_notebook_position(3) == (0, 3)


def test_nbformat_3_worksheets(tmp_path: Path) -> None:
    notebook = {
        "metadata": {"name": "old"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [
            {
                "cells": [
                    {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Old notebook"]},
                    {"cell_type": "code", "collapsed": False, "input": ["%pylab inline\n", "import pandas as pd"],
                     "language": "python", "metadata": {}, "outputs": []},
                    {"cell_type": "markdown", "metadata": {}, "source": "text"},
                    {"cell_type": "code", "collapsed": False, "input": "df = pd.DataFrame()",
                     "language": "python", "metadata": {}, "outputs": []},
                ],
                "metadata": {},
            }
        ],
    }
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    source = load_source(path.read_bytes(), str(path))
    assert source.text == "\nimport pandas as pd\n\ndf = pd.DataFrame()\n"
    assert source.to_notebook_position(4) == (3, 1)
    assert source.cell_label(4) == "cell 2"


def test_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [{"cell_type": "code", "source": "x = 1"}\n', encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_source(path.read_bytes(), str(path))
    message = str(info.value)
    assert message.startswith("invalid notebook JSON: ")
    assert "line 2 column 1" in message
    assert "\n" not in message


def test_notebook_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.ipynb"
    path.write_bytes(b'{"cells": [], "metadata": {"title": "caf\xe9"}}')
    with pytest.raises(SourceError, match=r"^invalid notebook JSON: .*0xe9"):
        load_source(path.read_bytes(), str(path))


def test_missing_cells_key(tmp_path: Path) -> None:
    path = tmp_path / "empty.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}}), encoding="utf-8")
    with pytest.raises(SourceError, match=r"^invalid notebook JSON: missing 'cells'$"):
        load_source(path.read_bytes(), str(path))


@pytest.mark.parametrize(
    ("notebook", "message"),
    [
        ([], "top level is not an object"),
        ({"cells": {}}, "'cells' is not a list"),
        ({"cells": [{"source": "x"}]}, "cell 0 has no 'cell_type'"),
        ({"cells": [markdown("m"), {"cell_type": "code"}]}, "code cell 1 has no 'source'"),
        ({"cells": [code([1, 2])]}, "cell 0 'source' is not a string or a list of strings"),
    ],
)
def test_malformed_notebook_structure(notebook: Any, message: str) -> None:
    with pytest.raises(SourceError, match=r"^invalid notebook JSON: " + message.replace("(", r"\(") + "$"):
        notebook_to_source(json.dumps(notebook), "bad.ipynb")


def test_r_kernel_notebook_is_rejected(tmp_path: Path) -> None:
    metadata = {
        "kernelspec": {"display_name": "R", "language": "R", "name": "ir"},
        "language_info": {"name": "R", "file_extension": ".r", "mimetype": "text/x-r-source"},
    }
    with pytest.raises(SourceError, match=r"^not a Python notebook \(kernel language 'R'\)$"):
        load_notebook(tmp_path, [code("library(ggplot2)\ndf <- read.csv('a.csv')")], metadata)


def test_notebook_without_language_metadata_is_python(tmp_path: Path) -> None:
    source = load_notebook(tmp_path, [code("x = 1")], metadata={})
    assert source.text == "x = 1\n"


def test_notebook_loaded_from_str_and_without_code_cells() -> None:
    text = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": PYTHON_METADATA, "cells": [markdown("only")]})
    source = load_source("\ufeff" + text, "notes.ipynb")
    assert source.kind == "notebook"
    assert source.text == ""
    assert source.cells == ()
