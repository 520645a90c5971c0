"""The registry is complete and has no dead entries: every effect every knowledge table names has
exactly one handler in ``mllint.library`` (or is listed as deliberately unknown), and every handler
serves an effect some table names."""
from __future__ import annotations

import pytest

from mllint.knowledge import builtins_ops, estimator_methods, pandas_ops
from mllint.knowledge.sklearn_api import FUNCTION_KINDS
from mllint.library.registration import Family, HandlerTable
from mllint.library.registry import DELIBERATELY_UNKNOWN, registered


def _effects(table: dict) -> set[str]:
    values = set()
    for value in table.values():
        values |= set(value.values()) if isinstance(value, dict) else {value}
    return values


#: Family -> the effects its knowledge tables name.
NAMED: dict[Family, set[str]] = {
    Family.PANDAS: _effects(pandas_ops.PANDAS_FUNCTIONS),
    Family.NUMPY: _effects(pandas_ops.NUMPY_FUNCTIONS),
    Family.FRAME: _effects(pandas_ops.FRAME_METHODS),
    Family.SERIES: _effects(pandas_ops.SERIES_METHODS),
    Family.ARRAY: _effects(pandas_ops.ARRAY_METHODS),
    Family.GROUPBY: _effects(pandas_ops.GROUPBY_METHODS),
    Family.ACCESSOR: _effects(pandas_ops.ACCESSOR_METHODS),
    Family.BUILTIN: _effects(builtins_ops.BUILTIN_FUNCTIONS),
    Family.LIST: _effects(builtins_ops.SEQUENCE_METHODS),
    Family.DICT: _effects(builtins_ops.DICT_METHODS),
    Family.STR: _effects(builtins_ops.STR_METHODS),
    Family.FILE: _effects(builtins_ops.FILE_FUNCTIONS) | _effects(builtins_ops.PATH_METHODS),
    Family.ESTIMATOR: _effects(estimator_methods.PROTOCOL_METHODS) | set(estimator_methods.CONSTRUCTORS.values())
    | {"construct"},
    Family.SKLEARN: set(FUNCTION_KINDS),
}


def test_every_family_has_its_tables():
    assert set(NAMED) == set(Family)


@pytest.mark.parametrize("family", list(Family), ids=lambda f: f.name)
def test_every_named_effect_has_a_handler_or_is_deliberately_unknown(family: Family) -> None:
    handled = {effect for fam, effect in registered() if fam is family}
    unknown = {effect for fam, effect in DELIBERATELY_UNKNOWN if fam is family}
    assert not handled & unknown, "an effect is both modelled and listed as unknown"
    assert NAMED[family] - unknown == handled, (
        f"no handler: {sorted(NAMED[family] - unknown - handled)}; dead handlers: {sorted(handled - NAMED[family])}")


def test_a_second_handler_for_an_effect_is_refused():
    table = HandlerTable()
    table.register(Family.FRAME, "filter_rows")(lambda *a: None)
    with pytest.raises(ValueError, match="two handlers"):
        table.register(Family.FRAME, "filter_rows")(lambda *a: None)
