"""Every effect the pandas / numpy knowledge tables name has a handler in ``mllint.library``."""
from __future__ import annotations

import pytest

from mllint.knowledge import pandas_ops
from mllint.library.registration import Family
from mllint.library.registry import registered

TABLES = {
    Family.PANDAS: pandas_ops.PANDAS_FUNCTIONS,
    Family.NUMPY: pandas_ops.NUMPY_FUNCTIONS,
    Family.FRAME: pandas_ops.FRAME_METHODS,
    Family.SERIES: pandas_ops.SERIES_METHODS,
    Family.ARRAY: pandas_ops.ARRAY_METHODS,
    Family.GROUPBY: pandas_ops.GROUPBY_METHODS,
    Family.ACCESSOR: pandas_ops.ACCESSOR_METHODS,
}


@pytest.mark.parametrize("family", list(TABLES), ids=lambda f: f.name)
def test_every_effect_has_a_handler(family: Family) -> None:
    handled = {effect for fam, effect in registered() if fam is family}
    assert set(TABLES[family].values()) == handled
