"""Evaluation of calls, attributes, subscripts and operators against the API knowledge.

The :class:`CallEvaluator` dispatches on the receiver's abstract value: a
resolved import name (pandas / numpy / scikit-learn / builtins), a data value, a
group-by, an accessor, an estimator, a literal.  Each branch is thin: the
API name gives an effect in a ``mllint.knowledge`` table, the effect a handler in
``mllint.library`` (through ``dispatch``), which runs with a ``CallContext``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataclasses import replace
from pathlib import PurePath

import libcst as cst

from ..domains.values import (StatisticKind, SeqKind, DataKind, TOP, Accessor, Const, Data, DictV, Estimator, FoldIndex, Folds, GroupBy, Lambda, Ref,
                              Seq, Statistic, UserFunction, Value, join, seq_or_top)
from ..domains.bounds import MAX_ITEMS
from ..domains.schema import UNKNOWN_SCHEMA, Column, Schema
from ..plan import Operator, PlanNode
from ..domains.data_ops import const_strings, lineage_of, stats_of
from ..domains.folding import fold_binary, fold_compare, fold_path_attribute, fold_unary
from ..knowledge.builtins_ops import (BUILTIN_FUNCTIONS, DICT_METHODS, FILE_FUNCTIONS, PATH_METHODS, SEQUENCE_METHODS,
                                      STR_METHODS)
from ..knowledge.estimator_methods import ESTIMATOR_PACKAGES, constructor_effect, method_effect
from ..knowledge.sklearn_api import lookup_class, lookup_function
from ..library import sklearn_estimators
from ..library.registration import Family
from ..knowledge.pandas_ops import (ACCESSOR_METHODS, ARRAY_METHODS, FRAME_METHODS, GROUPBY_METHODS,
                                    NUMPY_FUNCTIONS, PANDAS_FUNCTIONS, SERIES_METHODS)
from ..library import data_operators, indexing
from ..library.frame_methods import stub_typed_unknown
from .dispatch import Host, context, invoke, lookup

if TYPE_CHECKING:  # pragma: no cover
    from .core import Interpreter
    from .scope import Scope

class CallEvaluator:
    def __init__(self, interpreter: "Interpreter") -> None:
        self.it = interpreter
        self.host = Host(interpreter)

    # -- plan helpers ------------------------------------------------------------
    def unknown(self, description: str, inputs: list[Value], node: cst.CSTNode) -> Value:
        """An operation we do not model on data: keep the edges, widen the value.

        A function of the code handed to it (``fmin(fn=objective)``, ``study.optimize(objective)``)
        is most often called by it, there and then: it runs now, with unknown arguments, and sees the
        variables as they are at this call (not as the end of the module leaves them)."""
        for value in inputs:
            if isinstance(value, UserFunction) and value not in self.it.called:
                self.it.call_user_function(value, [], {})
        return self.host.unknown_operation(description, inputs, self.it.site(node) if node is not None else None)

    def run(self, family: Family, effect: str | None, name: str, receiver: Any, args: list[Value],
            kwargs: dict[str, Value], node: cst.Call, scope: "Scope", unknown: str | None = None,
            inputs: list[Value] | None = None) -> Value:
        """The handler of ``effect``, run on this call.  Without one: an UNKNOWN node named ``unknown``
        over the data ``inputs`` (default: the arguments), or, when ``unknown`` is None (literals,
        estimator methods: no data flows), just the unknown value."""
        handler = lookup(family, effect)
        if handler is not None:
            return invoke(self.host, handler, name, receiver, args, kwargs, node, scope)
        if unknown is None:
            return TOP
        return self.unknown(unknown, inputs if inputs is not None else args + list(kwargs.values()), node)

    # -- attributes ----------------------------------------------------------------
    def attribute(self, value: Value, attr: str, node: cst.Attribute) -> Value:
        if isinstance(value, Ref):
            return Ref(f"{value.qualname}.{attr}")
        if isinstance(value, Data):
            return indexing.data_attribute(context(self.host, attr, node), value, attr)
        if isinstance(value, Estimator):
            return sklearn_estimators.attribute(context(self.host, attr, node), value, attr)
        if isinstance(value, GroupBy):
            return GroupBy(value.data, value.keys, (attr,))
        if isinstance(value, Accessor) and value.kind in ("dt", "str", "cat"):
            # s.dt.year, s.str.len: a value of each row
            return replace(value.data, kind=DataKind.SERIES, reads=lineage_of(value.data), is_mask=False)
        if isinstance(value, Statistic) and attr in ("values", "iloc", "loc"):
            return value
        if isinstance(value, Const) and isinstance(value.value, PurePath):
            return fold_path_attribute(value.value, attr)
        return TOP

    def set_column_attribute(self, base: Value, attr: str, value: Value, node: cst.Attribute,
                             read: bool) -> Value | None:
        """``df.c = v`` (or ``df.c`` changed in place) sets column ``c``.  pandas only does so when
        ``c`` already is a column (otherwise it sets a plain attribute), so a store needs the
        column in the known schema; a value read through ``df.c`` before (``read``) was a column."""
        if not (isinstance(base, Data) and base.kind is DataKind.FRAME):
            return None
        ctx = context(self.host, attr, node)
        if read:
            if not isinstance(indexing.data_attribute(ctx, base, attr), Data):
                return None
        elif base.schema.get(attr) is None:
            return None
        return indexing.data_setitem(ctx, base, [Const(attr)], value)

    def setattr(self, base: Value, attr: str, value: Value, node: cst.Attribute | None = None) -> Value | None:
        """``df.columns = [...]`` renames; ``df.c = v`` sets a known column; other attribute stores
        leave our values alone."""
        if isinstance(base, Data) and base.kind is DataKind.FRAME and attr != "columns" and node is not None:
            return self.set_column_attribute(base, attr, value, node, read=False)
        if isinstance(base, Data) and base.kind is DataKind.FRAME and attr == "columns":
            names = const_strings(value)
            if names is None:   # renamed to names we cannot read: which column is which is unknown
                return Data(DataKind.FRAME, base.nodes, UNKNOWN_SCHEMA, base.prov, None, frozenset(), False, base.stats)
            old = base.schema.columns
            if len(old) == len(names) and not base.schema.open:
                schema = Schema(tuple(Column(n, c.lineage) for n, c in zip(names, old)), False)
            else:
                schema = Schema(tuple(Column(n, base.schema.lineage) for n in names), False)
            return Data(DataKind.FRAME, base.nodes, schema, base.prov, None, base.reads, False, base.stats)
        return None

    # -- calls -----------------------------------------------------------------------
    def call(self, func: Value, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
             scope: "Scope") -> Value:
        if isinstance(func, Ref):
            return self.call_ref(func.qualname, args, kwargs, node, scope)
        if isinstance(func, UserFunction):
            return self.it.call_user_function(func, args, kwargs, scope)
        if isinstance(func, Lambda):
            return self.it.call_lambda(func, args, kwargs)
        return self.unknown("call of an unknown callable", args + list(kwargs.values()), node)

    def call_ref(self, qualname: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
                 scope: "Scope") -> Value:
        root = qualname.split(".", 1)[0]
        if root == "builtins":
            return self.call_builtin(qualname[9:], args, kwargs, node, scope)
        if root == "pandas":
            return self.call_pandas(qualname.rsplit(".", 1)[-1], args, kwargs, node, scope)
        if root == "numpy":
            return self.call_numpy(qualname[6:], args, kwargs, node, scope)
        if qualname in FILE_FUNCTIONS:
            return self.run(Family.FILE, FILE_FUNCTIONS[qualname], qualname, None, args, kwargs, node, scope,
                            f"call of {qualname}")
        if root in ESTIMATOR_PACKAGES:
            return self.call_estimator_api(qualname, args, kwargs, node, scope)
        return self.unknown(f"call of {qualname}", args + list(kwargs.values()), node)

    def call_method(self, receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value],
                    node: cst.Call, scope: "Scope") -> Value:
        if isinstance(receiver, Ref):
            return self.call_ref(f"{receiver.qualname}.{name}", args, kwargs, node, scope)
        if isinstance(receiver, Data):
            return self.data_method(receiver, name, args, kwargs, node, scope)
        if isinstance(receiver, GroupBy):
            return self.groupby_method(receiver, name, args, kwargs, node, scope)
        if isinstance(receiver, Accessor):
            return self.accessor_method(receiver, name, args, kwargs, node, scope)
        if isinstance(receiver, Estimator):
            protocol = receiver.info.protocol if receiver.info is not None else "sklearn"
            return self.run(Family.ESTIMATOR, method_effect(protocol, name), name, receiver, args, kwargs, node,
                            scope)
        if isinstance(receiver, Seq):
            return self.run(Family.LIST, SEQUENCE_METHODS.get(name), name, receiver, args, kwargs, node, scope)
        if isinstance(receiver, DictV):
            return self.run(Family.DICT, DICT_METHODS.get(name), name, receiver, args, kwargs, node, scope)
        if isinstance(receiver, Const) and isinstance(receiver.value, str):
            return self.run(Family.STR, STR_METHODS.get(name), name, receiver.value, args, kwargs, node, scope)
        if isinstance(receiver, Const) and isinstance(receiver.value, PurePath):
            return self.run(Family.FILE, PATH_METHODS.get(name), name, receiver.value, args, kwargs, node, scope)
        if isinstance(receiver, Statistic):
            return receiver
        return self.unknown(f".{name}() on an unknown object", args + list(kwargs.values()), node)

    # -- registry dispatch -------------------------------------------------------------
    def call_builtin(self, name: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
                     scope: "Scope") -> Value:
        return self.run(Family.BUILTIN, BUILTIN_FUNCTIONS.get(name), name, None, args, kwargs, node, scope,
                        f"call of {name}")

    def call_estimator_api(self, qualname: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
                           scope: "Scope") -> Value:
        """A class of the estimator table is constructed; a function is handled by its kind."""
        info = lookup_class(qualname)
        if info is not None:
            handler, receiver = lookup(Family.ESTIMATOR, constructor_effect(info.name, qualname)), info
        else:
            function = lookup_function(qualname)
            handler, receiver = lookup(Family.SKLEARN, function.kind if function is not None else None), function
        if handler is None:
            return self.unknown(f"call of {qualname}", args + list(kwargs.values()), node)
        return invoke(self.host, handler, qualname, receiver, args, kwargs, node, scope)

    def call_pandas(self, name: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
                    scope: "Scope") -> Value:
        return self.run(Family.PANDAS, PANDAS_FUNCTIONS.get(name), name, None, args, kwargs, node, scope,
                        f"pandas.{name}")

    def call_numpy(self, name: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
                   scope: "Scope") -> Value:
        return self.run(Family.NUMPY, NUMPY_FUNCTIONS.get(name), name, None, args, kwargs, node, scope,
                        f"numpy.{name}")

    def data_method(self, data: Data, name: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
                    scope: "Scope") -> Value:
        """A method not in the receiver's table is typed by pandas-stubs (``stub_typed_unknown``)."""
        family, table = _DATA_METHODS[data.kind]
        handler = lookup(family, table.get(name)) or stub_typed_unknown
        return invoke(self.host, handler, name, data, args, kwargs, node, scope)

    def groupby_method(self, group: GroupBy, name: str, args: list[Value], kwargs: dict[str, Value],
                       node: cst.Call, scope: "Scope") -> Value:
        return self.run(Family.GROUPBY, GROUPBY_METHODS.get(name), name, group, args, kwargs, node, scope,
                        f"groupby().{name}()", [group.data])

    def accessor_method(self, accessor: Accessor, name: str, args: list[Value], kwargs: dict[str, Value],
                        node: cst.Call, scope: "Scope") -> Value:
        return self.run(Family.ACCESSOR, ACCESSOR_METHODS.get(accessor.kind), name, accessor, args, kwargs, node,
                        scope, f".{accessor.kind}.{name}()", [accessor.data])

    # -- subscripts ------------------------------------------------------------------
    def getitem(self, base: Value, keys: list[Value], node: cst.Subscript) -> Value:
        key = keys[0] if len(keys) == 1 else Seq(tuple(keys), SeqKind.TUPLE)
        if isinstance(base, Data):
            return indexing.data_getitem(context(self.host, "[]", node), base, keys)
        if isinstance(base, Accessor):
            return indexing.accessor_getitem(context(self.host, "[]", node), base, keys)
        if isinstance(base, GroupBy):
            names = const_strings(key)
            return GroupBy(base.data, base.keys, tuple(names) if names is not None else None)
        if isinstance(base, Estimator):
            return sklearn_estimators.getitem(context(self.host, "__getitem__", node), base, key)
        if isinstance(base, Statistic):   # df["x"].mode()[0], stats["mean"]: still that statistic
            return base
        if isinstance(key, Statistic) and key.kind is StatisticKind.SELECTION and not isinstance(base, DictV):
            return key   # X.columns[selector.get_support()]: names chosen by the selector's fit
        if isinstance(base, (Seq, Const)) and isinstance(key, Const) and isinstance(key.value, int):
            if isinstance(base, Seq):
                try:
                    return base.items[key.value]
                except IndexError:
                    return TOP
            try:
                return Const(base.value[key.value])
            except Exception:
                return TOP
        if isinstance(base, Seq) and isinstance(key, Seq) and key.kind is SeqKind.SLICE:
            bounds = [k.value if isinstance(k, Const) else _UNSET for k in key.items]
            if _UNSET in bounds:
                return TOP
            try:
                return Seq(base.items[slice(*bounds)], base.kind)
            except Exception:
                return TOP
        if isinstance(base, DictV) and isinstance(key, Const):
            found = base.get(key.value)
            return found if found is not None else TOP
        return TOP

    def setitem(self, base: Value, target: cst.Subscript, value: Value, scope: "Scope") -> Value | None:
        keys = [self.it.slice_value(e.slice, scope) for e in target.slice]
        if isinstance(base, Data):
            return indexing.data_setitem(context(self.host, "[]=", target), base, keys, value)
        if isinstance(base, Accessor) and base.kind in ("loc", "iloc", "at", "iat"):
            return indexing.accessor_setitem(context(self.host, "[]=", target), base, keys, value)
        if isinstance(base, DictV) and len(keys) == 1 and isinstance(keys[0], Const):
            pairs = [(k, v) for k, v in zip(base.keys, base.values) if not (isinstance(k, Const) and k == keys[0])]
            pairs.append((keys[0], value))
            return DictV(tuple(k for k, _ in pairs), tuple(v for _, v in pairs))
        if isinstance(base, Seq):
            return TOP
        return None

    def delitem(self, base: Value, target: cst.Subscript, scope: "Scope") -> Value | None:
        keys = [self.it.slice_value(e.slice, scope) for e in target.slice]
        if isinstance(base, Data) and base.kind is DataKind.FRAME and len(keys) == 1:
            names = const_strings(keys[0])
            if names is not None:
                return Data(DataKind.FRAME, base.nodes, base.schema.without(names), base.prov, None, base.reads,
                            False, base.stats)
        return None

    # -- operators ---------------------------------------------------------------------
    def binary(self, left: Value, op: str, right: Value, node: cst.CSTNode) -> Value:
        if isinstance(left, Data) or isinstance(right, Data):
            return data_operators.data_arithmetic(context(self.host, op, None), left, op, right)
        if isinstance(left, Statistic) or isinstance(right, Statistic):
            stats = stats_of(left, right)
            base = stats[0]
            return replace(base, reads=lineage_of(left) | lineage_of(right), estimator=None, learned=True)
        if isinstance(left, Const) and isinstance(right, Const):
            return fold_binary(op, left.value, right.value)
        if isinstance(left, Const) and isinstance(left.value, str) and isinstance(right, Seq) and op == "Modulo":
            values = right.constants()   # '%s_%d' % ('a', 1)
            return fold_binary(op, left.value, tuple(values)) if values is not None else TOP
        if isinstance(left, Seq) and isinstance(right, Seq) and op == "Add":
            return seq_or_top(left.items + right.items, left.kind) if left.size + right.size <= MAX_ITEMS else TOP
        if isinstance(right, Seq) and isinstance(left, Const) and op == "Multiply":
            left, right = right, left
        if isinstance(left, Seq) and isinstance(right, Const) and op == "Multiply" and isinstance(right.value, int):
            if 0 <= right.value and left.size * right.value <= MAX_ITEMS:   # checked before building it
                return seq_or_top(left.items * right.value, left.kind)
        return TOP

    def unary(self, op: str, value: Value) -> Value:
        if isinstance(value, Const):
            return fold_unary(op, value.value)
        if isinstance(value, Data):
            return value if op != "Not" else TOP
        if isinstance(value, Statistic):
            return value
        return TOP

    def compared_scores(self, values: list[Value], node: cst.CSTNode) -> None:
        self.compared_scores_at(values, self.it.site(node))

    def compared_scores_at(self, values: list[Value], site) -> None:
        """Scores compared with each other (``max(scores)``, ``s1 > s2``): candidates are being chosen."""
        scores: list[Statistic] = []
        for value in values:
            items = value.items if isinstance(value, Seq) else (
                value.values if isinstance(value, DictV) else (value,))
            scores.extend(v for v in items if isinstance(v, Statistic) and isinstance(v.origin, PlanNode)
                          and v.origin.operator is Operator.SCORE)
        if len(scores) < 2 and not (scores and self.it.loop_depth):
            return
        for score in scores:
            if score.origin.compared_at is None:
                score.origin.compared_at = site

    def compare(self, left: Value, op: str, right: Value, node: cst.CSTNode | None = None) -> Value:
        if isinstance(left, Statistic) and isinstance(right, Statistic) and node is not None:
            self.compared_scores([left, right], node)
        if isinstance(left, Data) or isinstance(right, Data):
            return data_operators.data_compare(context(self.host, op, node), left, right,
                                               equality=node is not None and op in ("Equal", "NotEqual"))
        if isinstance(left, Const) and isinstance(right, Const):
            return fold_compare(op, left.value, right.value)
        if op in ("In", "NotIn") and isinstance(left, Const) and isinstance(right, Seq):
            constants = right.constants()
            if constants is not None:
                found = left.value in constants
                return Const(found if op == "In" else not found)
        return TOP

    # -- iteration -------------------------------------------------------------------------
    def element(self, value: Value) -> Value:
        """A representative element of an iterable of unknown length (the loop runs once on it)."""
        if isinstance(value, Folds):
            fold = Seq((FoldIndex(value.split_id, "train"), FoldIndex(value.split_id, "test")), SeqKind.TUPLE)
            return Seq((TOP, fold), SeqKind.TUPLE) if value.enumerated else fold
        if isinstance(value, Seq) and value.items and value.kind is not SeqKind.SLICE:
            result = value.items[0]
            for item in value.items[1:]:
                result = join(result, item)
            return result
        return TOP

    def iterate(self, value: Value) -> list[Value] | None:
        """The elements a ``for`` loop / unpacking would see, when known."""
        if isinstance(value, Seq) and value.kind is not SeqKind.SLICE:
            return list(value.items)
        if isinstance(value, DictV):
            return list(value.keys)
        if isinstance(value, Data) and value.kind is DataKind.FRAME and not value.schema.open:
            return [Const(n) for n in value.schema.names]
        return None





#: The method table and handler family of each kind of data value.
_DATA_METHODS = {DataKind.FRAME: (Family.FRAME, FRAME_METHODS), DataKind.SERIES: (Family.SERIES, SERIES_METHODS),
                 DataKind.ARRAY: (Family.ARRAY, ARRAY_METHODS)}


class _Unset:
    pass


_UNSET = _Unset()


__all__ = ["CallEvaluator", "join", "Lambda"]
