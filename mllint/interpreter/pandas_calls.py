"""Transfer functions for pandas and numpy operations.

Each method's meaning comes from ``knowledge.pandas_ops``; this module applies
it to the abstract value and emits plan nodes.  Operations that mlinspect
instruments get exactly its description templates (so ``--format mlinspect``
lines up with its runtime DAGs); the others are marked ``mlinspect=False`` and
only appear in our own views.
"""
from __future__ import annotations

import os
from dataclasses import replace
import re
from typing import TYPE_CHECKING, Any

import libcst as cst

from ..data_headers import read_header
from ..domains.provenance import Provenance
from ..domains.schema import Column, Schema, UNKNOWN_SCHEMA, concat_schemas, merge_schemas
from ..domains.values import (StatisticKind, SeqKind, DataKind, TOP, Accessor, Const, Data, DictV, FoldIndex, GroupBy, Lambda, Seq, Statistic,
                              UserFunction,
                              Value)
from ..knowledge.pandas_stubs import ResultKind, has_inplace, result_kinds
from ..knowledge.pandas_ops import (FRAME_METHODS, GROUPBY_AGGREGATIONS, NUMPY_FUNCTIONS, PANDAS_FUNCTIONS,
                                    SERIES_METHODS)
from ..plan import (ConcatInfo, EvaluationInfo, EvaluationKind, GroupByInfo, JoinInfo, ModifyInfo, Operator,
                    ProjectionInfo, RowFilter, SelectionInfo, SourceInfo, UnknownInfo)
from ..positions import code_of
from ..domains.data_ops import (arg, const_str, const_strings, is_true, lineage_of, parents_of, python_value,
                       series_of, stats_of)

if TYPE_CHECKING:  # pragma: no cover
    from .scope import Scope

_MASK_STR_METHODS = frozenset({"contains", "startswith", "endswith", "match", "fullmatch", "isdigit", "isalpha",
                               "isnumeric", "isalnum", "isspace", "islower", "isupper", "istitle", "isdecimal"})
_DATA_ATTRS_TOP = frozenset({"shape", "dtypes", "dtype", "index", "size", "ndim", "empty", "axes", "attrs",
                             "flags", "iat", "at", "name", "nbytes", "itemsize"})
_QUERY_KEYWORDS = frozenset({"and", "or", "not", "in", "is", "True", "False", "None", "index", "inf", "nan"})
_IDENTIFIER = re.compile(r"`([^`]+)`|([A-Za-z_][A-Za-z0-9_]*)")


class PandasCalls:
    """Mixin of :class:`CallEvaluator` for pandas / numpy values and functions."""

    # -- attributes ------------------------------------------------------------------
    def data_attribute(self, data: Data, attr: str, node: cst.Attribute) -> Value:
        if attr == "values":
            return Data(DataKind.ARRAY, data.nodes, data.schema, data.prov, data.name, lineage_of(data), data.is_mask,
                        data.stats)
        if attr in ("loc", "iloc", "str", "dt", "cat"):
            return Accessor(data, attr)
        if attr == "index":   # df.drop(df[df.age < 18].index): the rows a selection picked
            reads = frozenset().union(*(n.info.reads or frozenset() for n in data.nodes
                                        if isinstance(n.info, (SelectionInfo, ModifyInfo))))
            return Data(DataKind.ARRAY, data.nodes, UNKNOWN_SCHEMA, data.prov, None, reads, False, ())
        if attr == "T":
            return Data(data.kind, data.nodes, UNKNOWN_SCHEMA, None, None, lineage_of(data), False, data.stats)
        if data.kind is DataKind.FRAME:
            if attr == "columns":
                return Seq(tuple(Const(n) for n in data.schema.names)) if not data.schema.open else TOP
            if attr in data.schema.names or (data.schema.open and attr not in FRAME_METHODS
                                               and attr not in _DATA_ATTRS_TOP and not attr.startswith("_")):
                self.discover(data, [attr])
                return series_of(data, attr)   # df.col: mlinspect records no node
        if data.kind is DataKind.SERIES and attr == "name" and data.name is not None:
            return Const(data.name)
        return TOP

    def discover(self, data: Data, names: list[str]) -> None:
        """Reading ``df["c"]`` from a frame of unknown columns proves its source has a column ``c``.

        Recorded per data-source call when the rows come from one source only; ``analyze``
        runs a second pass in which those sources start with these columns (still open).
        """
        if not data.schema.open or data.prov is None:
            return
        missing = [n for n in names if data.schema.get(n) is None]
        sources = {o.source for o in data.prov.origins}
        if not missing or len(sources) != 1:
            return
        source = self.it.plan.node(next(iter(sources)))
        key = source.info.source_key if isinstance(source.info, SourceInfo) else None
        if key is not None:
            self.it.discovered.setdefault(key, set()).update(missing)

    # -- pandas functions --------------------------------------------------------------
    def call_pandas(self, name: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
                    scope: "Scope") -> Value:
        effect = PANDAS_FUNCTIONS.get(name)
        if effect == "source":
            return self.read_source(name, args, kwargs, node)
        if effect == "frame_ctor":
            return self.frame_constructor(args, kwargs, node)
        if effect == "series_ctor":
            first = arg(args, kwargs, 0, "data")
            series_name = const_str(arg(args, kwargs, 3, "name") or TOP)
            source = self.emit(Operator.DATA_SOURCE, None, [], node,
                               columns=list(series_name) if series_name else ["_1"])
            prov = first.prov if isinstance(first, Data) else Provenance.of_source(source.id)
            return Data(DataKind.SERIES, (source,), Schema.of_sources([series_name or "_1"]), prov, series_name,
                        lineage_of(first) if first is not None else frozenset(), False, stats_of(first or TOP))
        if effect == "concat":
            return self.concat(args, kwargs, node)
        if effect == "merge_fn" and len(args) >= 2 and isinstance(args[0], Data):
            return self.merge(args[0], args[1:], kwargs, node, mlinspect=False)
        if effect == "get_dummies":
            return self.get_dummies(args, kwargs, node)
        if effect in ("series_modify", "mask_fn", "statistic_transform"):
            first = args[0] if args else TOP
            if isinstance(first, Data):
                stats = first.stats
                if effect == "statistic_transform":   # qcut learns quantiles from the rows
                    stats = stats + (Statistic(name, first.prov, lineage_of(first), self.it.site(node)),)
                return Data(DataKind.SERIES, first.nodes, first.schema, first.prov, first.name, lineage_of(first),
                            effect == "mask_fn", stats)
            return TOP
        return self.unknown(f"pandas.{name}", args + list(kwargs.values()), node)

    def read_source(self, name: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call) -> Value:
        path = const_str(arg(args, kwargs, 0, "filepath_or_buffer") or arg(args, kwargs, 0, "io") or
                         arg(args, kwargs, 0, "path") or TOP)
        if name.startswith("read_sql"):
            path = None   # the first argument is a query, not a file
        description = path.replace("\\", "/").split("/")[-1] if path is not None else (
            None if name == "read_csv" else name)
        schema = self.source_schema(name, path, args, kwargs)
        source_key = None
        if schema.open:   # columns the code is known to use (second pass, or the editor's last run): they exist
            source_key = code_of(node)
            for column in sorted(self.it.known_columns.get(source_key, ())):
                if schema.get(column) is None:
                    schema = schema.with_column(column, frozenset((column,)))
        node_ = self.emit(Operator.DATA_SOURCE, description, [], node,
                          SourceInfo(function=name, path=path, source_key=source_key),
                          visible=(name == "read_csv"), schema=schema)
        node_.schema = schema
        return Data(DataKind.FRAME, (node_,), schema, Provenance.of_source(node_.id))

    def source_schema(self, name: str, path: str | None, args: list[Value], kwargs: dict[str, Value]) -> Schema:
        """Columns from read_csv's arguments, else (when allowed) the file's header line."""
        usecols = const_strings(kwargs.get("usecols", TOP))
        names = const_strings(kwargs.get("names", TOP))
        index_col = kwargs.get("index_col")
        if "columns" in kwargs and name in ("read_parquet", "read_feather", "read_orc"):
            cols = const_strings(kwargs["columns"])
            return Schema.of_sources(cols) if cols is not None else UNKNOWN_SCHEMA
        if names is not None:
            header = names
        elif name in ("read_csv", "read_table") and path is not None and "header" not in kwargs:
            sep = const_str(kwargs.get("sep", kwargs.get("delimiter", TOP)) or TOP)
            header = read_header(path, self.it.path, self.it.config,
                                 sep if sep is not None else ("\t" if name == "read_table" else ","),
                                 self.it.data_files)
            if header is None:
                return Schema.of_sources(usecols) if usecols is not None else UNKNOWN_SCHEMA
        elif usecols is not None:
            return Schema.of_sources(usecols)
        else:
            return UNKNOWN_SCHEMA
        if usecols is not None:
            header = [h for h in header if h in usecols]
        index_name = const_str(index_col) if index_col is not None else None
        if index_col is not None and isinstance(index_col, Const) and isinstance(index_col.value, int) \
                and 0 <= index_col.value < len(header):
            index_name = header[index_col.value]
        if index_name is not None:
            header = [h for h in header if h != index_name]
        return Schema.of_sources(header)

    def frame_constructor(self, args: list[Value], kwargs: dict[str, Value], node: cst.Call) -> Value:
        data = arg(args, kwargs, 0, "data")
        columns = const_strings(arg(args, kwargs, 2, "columns") or TOP)
        if columns is None and isinstance(data, DictV):
            keys = [k.value for k in data.keys if isinstance(k, Const) and isinstance(k.value, str)]
            columns = keys if len(keys) == len(data.keys) else None
        if columns is None and isinstance(data, Data) and data.kind is DataKind.FRAME:
            schema = data.schema
        elif columns is not None:
            lineage = lineage_of(data) if isinstance(data, Data) else frozenset()
            schema = Schema(tuple(Column(c, lineage or frozenset((c,))) for c in columns), False)
        else:
            schema = UNKNOWN_SCHEMA
        source = self.emit(Operator.DATA_SOURCE, None, [], node, columns=list(schema.names))
        source.schema = schema
        prov = data.prov if isinstance(data, Data) else Provenance.of_source(source.id)
        return Data(DataKind.FRAME, (source,), schema, prov, None, lineage_of(data) if data is not None else frozenset(),
                    False, stats_of(data) if data is not None else ())

    def concat(self, args: list[Value], kwargs: dict[str, Value], node: cst.Call) -> Value:
        parts = self.iterate(arg(args, kwargs, 0, "objs") or TOP)
        if not parts or not all(isinstance(p, Data) for p in parts):
            return self.unknown("pandas.concat", parts or args, node)
        axis = arg(args, kwargs, 1, "axis")
        by_columns = isinstance(axis, Const) and axis.value in (1, "columns")
        if by_columns:
            columns: list[Column] = []
            for part in parts:
                columns.extend(part.schema.columns if part.kind is DataKind.FRAME else
                               (Column(part.name or "0", part.reads),))
            schema = Schema(tuple(columns), any(p.schema.open for p in parts if p.kind is DataKind.FRAME))
        else:
            schema = concat_schemas([p.schema for p in parts])
        prov = parts[0].prov
        for part in parts[1:]:
            prov = prov.union(part.prov) if prov is not None else None
        # rows of the same source stacked twice (df with a subset of itself): duplication
        duplicates = not by_columns and any(
            a.prov is not None and b.prov is not None and a.prov.covers_any(b.prov)
            for i, a in enumerate(parts) for b in parts[i + 1:])
        node_ = self.emit(Operator.CONCATENATION, "concat (columns)" if by_columns else "concat", parents_of(*parts),
                          node, ConcatInfo(duplicates_rows=bool(duplicates), call=self.it.site(node)),
                          visible=False, schema=schema)
        return Data(DataKind.FRAME, (node_,), schema, prov, None, frozenset().union(*(lineage_of(p) for p in parts)),
                    False, stats_of(*parts))

    def get_dummies(self, args: list[Value], kwargs: dict[str, Value], node: cst.Call) -> Value:
        data = arg(args, kwargs, 0, "data")
        if not isinstance(data, Data):
            return TOP
        columns = const_strings(kwargs.get("columns", TOP))
        prefix = const_str(kwargs.get("prefix", TOP))
        schema = data.schema if data.kind is DataKind.FRAME else Schema((Column(data.name or "0", data.reads),), False)
        encoded = columns if columns is not None else (None if data.kind is DataKind.FRAME else list(schema.names))
        out: list[Column] = []
        open_ = schema.open
        for column in schema.columns:
            if encoded is None:
                # which columns are categorical is data we do not have: keep the names we know,
                # with their lineage, and leave room for the dummy columns
                out.append(column)
                open_ = True
            elif column.name in encoded:
                # the categories are data: we know the lineage, not the names
                out.append(Column(f"{prefix or column.name}_*", column.lineage))
                open_ = True
            else:
                out.append(column)
        result = Schema(tuple(out), open_)
        node_ = self.emit(Operator.PROJECTION_MODIFY, "get_dummies", parents_of(data), node,
                          ModifyInfo(get_dummies=True, encoded=tuple(encoded) if encoded is not None else None),
                          visible=False, schema=result)
        marker = Statistic("get_dummies", data.prov, lineage_of(data), node_, None, False, StatisticKind.ENCODING)
        return Data(DataKind.FRAME, (node_,), result, data.prov, None, lineage_of(data), False, data.stats + (marker,))

    # -- numpy ----------------------------------------------------------------------------
    def call_numpy(self, name: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call) -> Value:
        effect = NUMPY_FUNCTIONS.get(name)
        first = args[0] if args else None
        if effect == "elementwise":
            if isinstance(first, Data):
                return Data(DataKind.ARRAY if first.kind is DataKind.ARRAY else first.kind, first.nodes, first.schema, first.prov,
                            first.name, lineage_of(first), first.is_mask, stats_of(*args))
            if isinstance(first, Statistic):
                return first
            if isinstance(first, (Seq, Const)) and name in ("array", "asarray"):
                return first
            return TOP
        if effect == "statistic" and isinstance(first, Data):
            return self.statistic(first, name, node)
        if effect in ("concat", "hconcat"):
            parts = self.iterate(first) if first is not None else None
            if parts and all(isinstance(p, Data) for p in parts):
                prov = parts[0].prov
                if effect == "concat":
                    for part in parts[1:]:
                        prov = prov.union(part.prov) if prov is not None else None
                node_ = self.emit(Operator.CONCATENATION, f"numpy.{name}", parents_of(*parts), node, visible=False)
                return Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, prov, None,
                            frozenset().union(*(lineage_of(p) for p in parts)), False, stats_of(*parts))
            return self.unknown(f"numpy.{name}", parts or args, node)
        if effect == "where":
            datas = [a for a in args if isinstance(a, Data)]
            if datas:
                return Data(DataKind.ARRAY, tuple(parents_of(*datas)), UNKNOWN_SCHEMA, datas[0].prov, None,
                            frozenset().union(*(lineage_of(d) for d in datas)), False, stats_of(*args))
            return TOP
        if effect == "source":
            path = const_str(first or TOP)
            node_ = self.emit(Operator.DATA_SOURCE, path.replace("\\", "/").split("/")[-1] if path else name, [],
                              node, SourceInfo(function=name, path=path), visible=False)
            return Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, Provenance.of_source(node_.id))
        if effect == "random_array":   # random numbers: a mask made of them selects rows (a manual split)
            return Data(DataKind.ARRAY, (), UNKNOWN_SCHEMA, None)
        if effect == "np_random":
            node_ = self.emit(Operator.DATA_SOURCE, "random", [], node, columns=["array"])
            return Data(DataKind.ARRAY, (node_,), UNKNOWN_SCHEMA, Provenance.of_source(node_.id))
        return self.unknown(f"numpy.{name}", args + list(kwargs.values()), node)

    # -- methods on data ---------------------------------------------------------------------
    def data_method(self, data: Data, name: str, args: list[Value], kwargs: dict[str, Value], node: cst.Call,
                    scope: "Scope") -> Value:
        table = FRAME_METHODS if data.kind is DataKind.FRAME else SERIES_METHODS
        effect = table.get(name)
        if data.kind is DataKind.ARRAY:
            effect = _ARRAY_METHODS.get(name)
        if effect is None:
            return self._stub_typed_unknown(data, name, args, kwargs, node)
        if effect == "pipe":   # df.pipe(f, *args): f(df, *args), which needs the caller's scope
            return self.call(args[0], [data] + args[1:], kwargs, node, scope) if args else TOP
        handler = getattr(self, f"_pd_{effect}")
        result = handler(data, name, args, kwargs, node)
        if name in ("pop", "insert") and data.kind is DataKind.FRAME:   # they mutate the frame in place
            receiver = node.func.value if isinstance(node.func, cst.Attribute) else None
            column = const_str(arg(args, kwargs, 0 if name == "pop" else 1, "item" if name == "pop" else "column")
                               or TOP)
            if receiver is not None:
                if column is None:
                    changed = data.schema.widened()
                elif name == "pop":
                    changed = data.schema.without([column])
                else:
                    changed = data.schema.with_column(column, lineage_of(arg(args, kwargs, 2, "value") or TOP))
                self.it.rebind(receiver, self._derived(data, None, changed), scope)
        if is_true(kwargs.get("inplace")) and isinstance(result, Data):
            receiver = node.func.value if isinstance(node.func, cst.Attribute) else None
            if receiver is not None:
                self.it.rebind(receiver, result, scope)
            return Const(None)
        return result

    def _stub_typed_unknown(self, data: Data, name: str, args: list[Value], kwargs: dict[str, Value],
                            node: cst.Call) -> Value:
        """A method our table does not know: its result *type* comes from pandas-stubs, its meaning stays unknown.

        The UNKNOWN node keeps the data flow connected; the value keeps the
        kind the stubs promise but an open schema and unknown rows, so no rule
        can rest a finding on it.
        """
        owner = {DataKind.FRAME: "DataFrame", DataKind.SERIES: "Series"}.get(data.kind)
        kinds = result_kinds(owner, name) if owner is not None else None
        unknown_node = self.emit(Operator.UNKNOWN, f".{name}()", parents_of(data, *args, *kwargs.values()), node,
                                 UnknownInfo(method=name), visible=False, prov=None)
        if kinds is not None and len(kinds) == 1:
            (kind,) = kinds
            if kind is ResultKind.NONE or (is_true(kwargs.get("inplace")) and has_inplace(owner, name)):
                return Const(None)
            target = {ResultKind.DATAFRAME: DataKind.FRAME, ResultKind.SERIES: DataKind.SERIES,
                      ResultKind.NDARRAY: DataKind.ARRAY}.get(kind)
            if target is not None:
                return Data(target, (unknown_node,), UNKNOWN_SCHEMA, None, None, lineage_of(data), False, data.stats)
        return TOP

    def _narrowed(self, data: Data, node_, **changes: Any) -> Data:
        """Rows selected from ``data``: the provenance gains a row step for the selection node."""
        prov = data.prov.split(node_.id, "rows") if data.prov is not None else None
        node_.provenance = prov
        return self._derived(data, node_, prov=prov, **changes)

    def _derived(self, data: Data, node_, schema: Schema | None = None, **changes: Any) -> Data:
        values = dict(kind=data.kind, nodes=(node_,) if node_ is not None else data.nodes,
                      schema=data.schema if schema is None else schema, prov=data.prov, name=data.name,
                      reads=data.reads, is_mask=False, stats=data.stats)
        values.update(changes)
        return Data(**values)

    def _mlinspect_ok(self, kwargs: dict[str, Value]) -> bool:
        return not is_true(kwargs.get("inplace"))

    def _pd_filter_rows(self, data, name, args, kwargs, node) -> Value:
        reads: frozenset[str] = frozenset()
        if name in ("dropna", "drop_duplicates"):
            subset = const_strings(kwargs.get("subset", TOP))
            reads = data.schema.lineage_of(subset) if subset is not None else frozenset()
        elif name == "drop" and isinstance(arg(args, kwargs, 0, "labels") or kwargs.get("index"), Data):
            reads = (arg(args, kwargs, 0, "labels") or kwargs.get("index")).reads
        elif name in ("nlargest", "nsmallest"):
            ordered_by = const_strings(arg(args, kwargs, 1, "columns") or TOP)
            reads = data.schema.lineage_of(ordered_by) if ordered_by is not None else frozenset()
        dropped = arg(args, kwargs, 0, "labels") or kwargs.get("index") if name == "drop" else None
        node_ = self.emit(Operator.SELECTION, name, parents_of(data, dropped), node,
                          SelectionInfo(filter=RowFilter(name), reads=reads, replace=is_true(kwargs.get("replace"))),
                          visible=(name == "dropna" and data.kind is DataKind.FRAME and self._mlinspect_ok(kwargs)),
                          schema=data.schema)
        return self._narrowed(data, node_)

    def _pd_query(self, data, name, args, kwargs, node) -> Value:
        expression = const_str(arg(args, kwargs, 0, "expr") or TOP)
        reads: frozenset[str] = frozenset()
        if expression is not None:
            words = {m.group(1) or m.group(2) for m in _IDENTIFIER.finditer(_strip_literals(expression))}
            words -= _QUERY_KEYWORDS
            known = [w for w in words if w in data.schema.names or data.schema.open]
            reads = data.schema.lineage_of(w for w in known if w in data.schema.names or w in words)
            reads = frozenset(r for r in reads if r in data.schema.lineage or data.schema.open)
        node_ = self.emit(Operator.SELECTION, f"query: {expression}" if expression else "query", parents_of(data),
                          node, SelectionInfo(filter=RowFilter.QUERY, reads=reads), visible=False, schema=data.schema)
        return self._narrowed(data, node_)

    def _pd_replace(self, data, name, args, kwargs, node) -> Value:
        if len(args) >= 2 and not isinstance(args[0], DictV) and data.kind is DataKind.FRAME:
            description = f"Replace '{_plain(args[0])}' with '{_plain(args[1])}'"
            mlinspect = self._mlinspect_ok(kwargs)
        else:
            description, mlinspect = "replace", False
        node_ = self.emit(Operator.PROJECTION_MODIFY, description, parents_of(data), node, visible=mlinspect,
                          schema=data.schema)
        return self._derived(data, node_)

    def _pd_fillna(self, data, name, args, kwargs, node) -> Value:
        value = arg(args, kwargs, 0, "value") or TOP
        stats = data.stats + stats_of(value) if not isinstance(value, DictV) else \
            data.stats + stats_of(*value.values)
        if data.kind is DataKind.SERIES:
            return Data(DataKind.SERIES, data.nodes, data.schema, data.prov, data.name, data.reads, False, stats)
        node_ = self.emit(Operator.PROJECTION_MODIFY, "fillna", parents_of(data), node, visible=False,
                          schema=data.schema)
        return self._derived(data, node_, stats=stats)

    def _pd_modify_values(self, data, name, args, kwargs, node) -> Value:
        node_ = self.emit(Operator.PROJECTION_MODIFY, name, parents_of(data), node, visible=False,
                          schema=data.schema)
        return self._derived(data, node_, stats=data.stats + stats_of(*args, *kwargs.values()))

    def _pd_apply(self, data, name, args, kwargs, node) -> Value:
        axis = kwargs.get("axis")
        if isinstance(axis, Const) and axis.value in (1, "columns"):
            return Data(DataKind.SERIES, data.nodes, UNKNOWN_SCHEMA, data.prov, None, lineage_of(data), False, data.stats)
        return self._pd_modify_values(data, name, args, kwargs, node)

    def _pd_series_modify(self, data, name, args, kwargs, node) -> Value:
        return Data(data.kind, data.nodes, data.schema, data.prov, data.name, lineage_of(data), False,
                    data.stats + stats_of(*args, *kwargs.values()))

    def _pd_mask(self, data, name, args, kwargs, node) -> Value:
        return Data(DataKind.SERIES, data.nodes, data.schema, data.prov, data.name, lineage_of(data) | frozenset().union(
            *(lineage_of(a) for a in args)), True, data.stats)

    def _pd_elementwise_mask(self, data, name, args, kwargs, node) -> Value:
        return Data(data.kind, data.nodes, data.schema, data.prov, data.name, lineage_of(data), True, data.stats)

    def _pd_drop(self, data, name, args, kwargs, node) -> Value:
        axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
        by_columns = "columns" in kwargs or (isinstance(axis, Const) and axis.value in (1, "columns"))
        if not by_columns:
            return self._pd_filter_rows(data, "drop", args, kwargs, node)
        names = const_strings(kwargs.get("columns", arg(args, kwargs, 0, "labels") or TOP))
        schema = data.schema.without(names) if names is not None else data.schema.widened()
        node_ = self.emit(Operator.PROJECTION, f"drop {names}" if names is not None else "drop", parents_of(data),
                          node, ProjectionInfo(dropped=tuple(names) if names is not None else None), visible=False,
                          schema=schema)
        return self._derived(data, node_, schema)

    def _pd_rename(self, data, name, args, kwargs, node) -> Value:
        mapping = kwargs.get("columns", args[0] if args and data.kind is DataKind.FRAME else None)
        if isinstance(mapping, DictV):
            pairs = {python_value(k): python_value(v) for k, v in zip(mapping.keys, mapping.values)}
            if all(isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()):
                schema = data.schema.renamed(pairs)
            else:
                schema = data.schema.widened()
        elif data.kind is DataKind.FRAME and ("columns" in kwargs or args):
            schema = Schema((), True) if not isinstance(mapping, DictV) else data.schema
        else:
            return data
        node_ = self.emit(Operator.PROJECTION_MODIFY, "rename", parents_of(data), node, visible=False,
                          schema=schema)
        return self._derived(data, node_, schema)

    def _pd_assign(self, data, name, args, kwargs, node) -> Value:
        schema = data.schema
        stats = data.stats
        for column, value in kwargs.items():
            if isinstance(value, (Lambda, UserFunction)):   # assign(c=lambda d: ...) is called with the frame
                value = self.call(value, [data], {}, node, _NO_SCOPE)
            lineage = lineage_of(value)
            schema = schema.with_column(column, lineage)
            stats = stats + stats_of(value)
        node_ = self.emit(Operator.PROJECTION_MODIFY, f"assign {list(kwargs)}", parents_of(data), node,
                          ModifyInfo(modifies=tuple(kwargs)), visible=False, schema=schema)
        return self._derived(data, node_, schema, stats=stats)

    def _pd_pop(self, data, name, args, kwargs, node) -> Value:
        column = const_str(args[0]) if args else None
        return series_of(data, column) if column is not None else TOP

    def _pd_insert(self, data, name, args, kwargs, node) -> Value:
        return Const(None)

    def _pd_unknown_columns(self, data, name, args, kwargs, node) -> Value:
        return Data(data.kind, data.nodes, UNKNOWN_SCHEMA, data.prov, None, lineage_of(data), False, data.stats)

    def _pd_same_columns(self, data, name, args, kwargs, node) -> Value:
        return data

    def _pd_same(self, data, name, args, kwargs, node) -> Value:
        if name == "reset_index" and data.kind is DataKind.SERIES:
            return Data(DataKind.FRAME, data.nodes, data.schema.widened(), data.prov, None, data.reads, False, data.stats)
        return Data(data.kind, data.nodes, data.schema, data.prov, data.name, data.reads, data.is_mask, data.stats)

    def _pd_reindex(self, data, name, args, kwargs, node) -> Value:
        """``reindex(columns=...)`` aligns the columns: separately made dummies now line up."""
        columns = kwargs.get("columns")
        if columns is None:
            return self._pd_same(data, name, args, kwargs, node)
        names = const_strings(columns)
        other = columns if isinstance(columns, Data) else None
        schema = data.schema.project(names) if names is not None else (
            other.schema if other is not None and other.kind is DataKind.FRAME else UNKNOWN_SCHEMA)
        stats = tuple(s for s in data.stats if s.kind is not StatisticKind.ENCODING)
        if other is not None:
            stats += tuple(s for s in other.stats if s.kind is StatisticKind.ENCODING)
        return self._derived(data, None, schema, stats=stats)

    def _pd_set_index(self, data, name, args, kwargs, node) -> Value:
        keys = const_strings(arg(args, kwargs, 0, "keys") or TOP)
        drop = kwargs.get("drop")
        if keys is None:
            return self._pd_unknown_columns(data, name, args, kwargs, node)
        if isinstance(drop, Const) and drop.value is False:
            return self._pd_same(data, name, args, kwargs, node)
        return self._derived(data, None, data.schema.without(keys))

    def _pd_statistic(self, data, name, args, kwargs, node) -> Value:
        return self.statistic(data, name, node)

    def statistic(self, data: Data, name: str, node: cst.Call) -> Value:
        return Statistic(name, data.prov, lineage_of(data), self.it.site(node))

    def _pd_to_array(self, data, name, args, kwargs, node) -> Value:
        return Data(DataKind.ARRAY, data.nodes, data.schema, data.prov, data.name, lineage_of(data), data.is_mask,
                    data.stats)

    def _pd_to_frame(self, data, name, args, kwargs, node) -> Value:
        return Data(DataKind.FRAME, data.nodes, data.schema, data.prov, None, data.reads, False, data.stats)

    def _pd_sink(self, data, name, args, kwargs, node) -> Value:
        return TOP

    def _pd_merge(self, data, name, args, kwargs, node) -> Value:
        return self.merge(data, args, kwargs, node, mlinspect=True)

    def _pd_join(self, data, name, args, kwargs, node) -> Value:
        right = arg(args, kwargs, 0, "other")
        if not isinstance(right, Data):
            return self.unknown(".join()", [data, right or TOP], node)
        suffixes = (const_str(kwargs.get("lsuffix", TOP)) or "", const_str(kwargs.get("rsuffix", TOP)) or "")
        schema = merge_schemas(data.schema, right.schema, [], [], suffixes)
        node_ = self.emit(Operator.JOIN, "join", parents_of(data, right), node,
                          JoinInfo(how=const_str(kwargs.get("how", TOP)) or "left"), visible=False, schema=schema)
        return Data(DataKind.FRAME, (node_,), schema, data.prov.union(right.prov) if data.prov else None, None,
                    lineage_of(data) | lineage_of(right), False, data.stats + right.stats)

    def merge(self, left: Data, args: list[Value], kwargs: dict[str, Value], node: cst.Call, *,
              mlinspect: bool) -> Value:
        right = arg(args, kwargs, 0, "right")
        if not isinstance(right, Data):
            return self.unknown(".merge()", [left, right or TOP], node)
        on = kwargs.get("on", args[2] if len(args) > 2 else None)
        left_on, right_on = kwargs.get("left_on"), kwargs.get("right_on")
        on_names = const_strings(on) if on is not None else None
        left_keys = on_names or const_strings(left_on or TOP) or []
        right_keys = on_names or const_strings(right_on or TOP) or []
        if on is None and left_on is None and not kwargs.get("left_index") and not kwargs.get("right_index"):
            shared = [n for n in left.schema.names if n in right.schema.names]
            left_keys = right_keys = shared
        suffix_value = python_value(kwargs.get("suffixes", TOP))
        suffixes = tuple(suffix_value) if isinstance(suffix_value, (list, tuple)) and len(suffix_value) == 2 \
            and all(isinstance(s, str) for s in suffix_value) else ("_x", "_y")
        schema = merge_schemas(left.schema, right.schema, left_keys, right_keys, suffixes)
        how = const_str(kwargs.get("how", TOP))
        description = _merge_description(kwargs)
        node_ = self.emit(Operator.JOIN, description, parents_of(left, right), node,
                          JoinInfo(how=how or "inner", keys=(left_keys, right_keys)),
                          visible=mlinspect and description is not None, schema=schema)
        prov = left.prov.union(right.prov) if left.prov is not None else None
        return Data(DataKind.FRAME, (node_,), schema, prov, None, lineage_of(left) | lineage_of(right), False,
                    _lookup_stats(left.stats, right.prov) + _lookup_stats(right.stats, left.prov))

    def _pd_groupby(self, data, name, args, kwargs, node) -> Value:
        keys = const_strings(arg(args, kwargs, 0, "by") or TOP)
        as_index = kwargs.get("as_index")
        return GroupBy(data, tuple(keys) if keys is not None else (), None) if not (
            isinstance(as_index, Const) and as_index.value is False) else GroupBy(data, tuple(keys or ()) + ("",))

    # -- group-by ---------------------------------------------------------------------------
    def groupby_method(self, group: GroupBy, name: str, args: list[Value], kwargs: dict[str, Value],
                       node: cst.Call) -> Value:
        data = group.data
        keys = tuple(k for k in group.keys if k)
        if name == "transform" or (name in GROUPBY_AGGREGATIONS and group.selected is not None
                                   and len(group.selected) == 1 and name != "agg"):
            # per-row group statistic (e.g. groupby('g')['x'].transform('mean')): a row statistic
            selected = group.selected or ()
            stat = Statistic(f"group {name}", data.prov, data.schema.lineage_of(selected + keys), self.it.site(node))
            if name == "transform":
                return Data(DataKind.SERIES if len(selected) == 1 else DataKind.FRAME, data.nodes,
                            data.schema.project(selected) if selected else data.schema, data.prov,
                            selected[0] if len(selected) == 1 else None, data.schema.lineage_of(selected + keys),
                            False, data.stats + (stat,))
        if name not in GROUPBY_AGGREGATIONS:
            return self.unknown(f"groupby().{name}()", [data], node)
        out_lineage: dict[str, frozenset[str]] = {}
        if name in ("agg", "aggregate") and kwargs and not args:
            out_names = list(kwargs)
            description_args = "{" + ", ".join(f"{k!r}: {python_value(v)!r}" for k, v in kwargs.items()) + "}"
            for out_name, spec in kwargs.items():   # named aggregation: ("column", "func")
                if isinstance(spec, Seq) and spec.items and const_str(spec.items[0]) is not None:
                    out_lineage[out_name] = data.schema.lineage_of([const_str(spec.items[0])])
        else:
            spec = args[0] if args else None
            if isinstance(spec, DictV):
                out_names = [python_value(k) for k in spec.keys]
            elif group.selected is not None:
                out_names = list(group.selected)
            else:
                out_names = [n for n in data.schema.names if n not in keys]
            description_args = repr(tuple(python_value(a) for a in args)) if name in ("agg", "aggregate") else name
        index_name = keys[0] if len(keys) == 1 and "" not in group.keys else None
        description = f"Groupby '{index_name}', Aggregate: '{description_args}'"
        columns = [str(index_name)] + [str(n) for n in out_names]
        lineage = data.schema.lineage_of(keys + tuple(n for n in (group.selected or data.schema.names)))
        schema = Schema(tuple([Column(k, data.schema.lineage_of([k])) for k in keys] +
                              [Column(str(n), out_lineage.get(str(n), lineage)) for n in out_names]),
                        data.schema.open or not all(isinstance(n, str) for n in out_names))
        mlinspect = name == "agg" and group.selected is None
        node_ = self.emit(Operator.GROUP_BY_AGG, description, parents_of(data), node, GroupByInfo(keys=tuple(keys)),
                          visible=mlinspect, columns=columns, schema=schema)
        stat = Statistic(f"group {name}", data.prov, lineage, self.it.site(node))
        # aggregated rows summarise all input rows: downstream values carry that statistic
        return Data(DataKind.FRAME, (node_,), schema, data.prov, None, lineage, False, data.stats + (stat,))

    # -- accessors ----------------------------------------------------------------------------
    def accessor_method(self, accessor: Accessor, name: str, args: list[Value], kwargs: dict[str, Value],
                        node: cst.Call) -> Value:
        data = accessor.data
        if accessor.kind in ("str", "dt", "cat"):
            return Data(DataKind.SERIES, data.nodes, data.schema, data.prov, data.name, lineage_of(data),
                        name in _MASK_STR_METHODS, data.stats)
        return self.unknown(f".{accessor.kind}.{name}()", [data], node)

    def accessor_getitem(self, accessor: Accessor, keys: list[Value], node: cst.Subscript) -> Value:
        data = accessor.data
        if accessor.kind in ("str", "dt", "cat"):
            return Data(DataKind.SERIES, data.nodes, data.schema, data.prov, data.name, lineage_of(data), False, data.stats)
        if accessor.kind not in ("loc", "iloc"):
            return TOP
        rows = keys[0] if keys else TOP
        cols = keys[1] if len(keys) > 1 else None
        result = data
        if not _is_full_slice(rows):
            result = self._select_rows(result, rows, node, f"{accessor.kind}[...]", mlinspect=False)
        if cols is not None and not _is_full_slice(cols) and result.kind is DataKind.FRAME:
            names = const_strings(cols) if accessor.kind == "loc" else None
            if names is not None:
                single = isinstance(cols, Const)
                node_ = self.emit(Operator.PROJECTION, f"to {names}", parents_of(result), node, visible=False,
                                  columns=names)
                if single:
                    return series_of(result, names[0], (node_,))
                return self._derived(result, node_, result.schema.project(names))
            return Data(DataKind.FRAME, result.nodes, UNKNOWN_SCHEMA, result.prov, None, lineage_of(result), False,
                        result.stats)
        return result

    def accessor_setitem(self, accessor: Accessor, keys: list[Value], value: Value,
                         target: cst.Subscript) -> Value | None:
        data = accessor.data
        if data.kind is not DataKind.FRAME:
            return None
        cols = const_strings(keys[1]) if len(keys) > 1 and accessor.kind == "loc" else None
        if cols is None:
            return Data(DataKind.FRAME, data.nodes, data.schema, data.prov, None, data.reads, False,
                        data.stats + stats_of(value))
        schema = data.schema
        for column in cols:
            schema = schema.with_column(column, lineage_of(value) | (
                data.schema.get(column).lineage if data.schema.get(column) else frozenset()))
        reads = lineage_of(keys[0]) if keys and isinstance(keys[0], Data) else frozenset()
        node_ = self.emit(Operator.PROJECTION_MODIFY, f"modifies {cols}", parents_of(data), None,
                          ModifyInfo(modifies=tuple(cols), reads=reads), visible=False,
                          site=self.it.site(self.it.stmt), schema=schema)
        return self._derived(data, node_, schema, stats=data.stats + stats_of(value))

    # -- subscripts on data ----------------------------------------------------------------------
    def data_getitem(self, data: Data, keys: list[Value], node: cst.Subscript) -> Value:
        key = keys[0] if len(keys) == 1 else Seq(tuple(keys), SeqKind.TUPLE)
        if data.kind is DataKind.FRAME:
            names = const_strings(key)
            if names is not None and not (isinstance(key, Seq) and key.kind is SeqKind.TUPLE):
                self.discover(data, names)
                node_ = self.emit(Operator.PROJECTION, f"to {names}", parents_of(data), node, columns=names)
                if isinstance(key, Const):
                    return series_of(data, names[0], (node_,))
                schema = data.schema.project(names)
                node_.schema = schema
                return self._derived(data, node_, schema)
            if isinstance(key, (Data, FoldIndex)):
                return self._select_rows(data, key, node, None, mlinspect=isinstance(key, Data) and key.kind is DataKind.SERIES)
            if isinstance(key, Seq) and key.kind is SeqKind.SLICE:
                return self._select_rows(data, key, node, None, mlinspect=False)
            return Data(DataKind.FRAME, data.nodes, UNKNOWN_SCHEMA, data.prov, None, lineage_of(data), False, data.stats)
        if data.kind is DataKind.SERIES:
            if isinstance(key, (Data, FoldIndex)) or (isinstance(key, Seq) and key.kind is SeqKind.SLICE):
                return self._select_rows(data, key, node, None, mlinspect=False)
            return Statistic("element", data.prov, data.reads, self.it.site(node)) if isinstance(key, Const) else TOP
        # ndarray indexing: rows and/or columns of the same rows
        if isinstance(key, Seq) and key.kind is SeqKind.SLICE:
            return self._select_rows(data, key, node, None, mlinspect=False)
        if isinstance(key, (Data, FoldIndex)):
            return self._select_rows(data, key, node, None, mlinspect=False)
        if isinstance(key, Seq) and key.kind is SeqKind.TUPLE and key.items and not _is_full_slice(key.items[0]):
            return self._select_rows(data, key.items[0], node, None, mlinspect=False)
        return Data(DataKind.ARRAY, data.nodes, UNKNOWN_SCHEMA, data.prov, None, lineage_of(data), False, data.stats)

    def _select_rows(self, data: Data, key: Value, node: cst.CSTNode, description: str | None, *,
                     mlinspect: bool) -> Data:
        if isinstance(key, FoldIndex):   # X[train_idx] inside `for train_idx, test_idx in kf.split(X)`
            prov = data.prov.split(key.split_id, key.side) if data.prov is not None else None
            return self._derived(data, None, prov=prov)
        if isinstance(key, Seq) and key.kind is SeqKind.SLICE:
            bounds = tuple(python_value(b) for b in key.items)
            node_ = self.emit(Operator.SELECTION, description or f"slice {_slice_text(bounds)}", parents_of(data),
                              node, SelectionInfo(filter=RowFilter.SLICE, bounds=bounds), visible=False,
                              schema=data.schema)
            return self._narrowed(data, node_)
        reads = lineage_of(key) if isinstance(key, Data) else frozenset()
        text = code_of(node) if isinstance(node, cst.Subscript) else None
        node_ = self.emit(Operator.SELECTION, description or f"Select by Series: {text}", parents_of(data), node,
                          SelectionInfo(filter=RowFilter.MASK, reads=reads), visible=mlinspect, schema=data.schema)
        return self._narrowed(data, node_, stats=data.stats + stats_of(key))

    def data_setitem(self, data: Data, keys: list[Value], value: Value, target: cst.Subscript) -> Value | None:
        if data.kind is not DataKind.FRAME or len(keys) != 1:
            return Data(data.kind, data.nodes, data.schema, data.prov, data.name, data.reads | lineage_of(value),
                        False, data.stats + stats_of(value))
        key = keys[0]
        names = const_strings(key)
        if names is None:
            if isinstance(key, Data):   # df[mask] = value: values change, columns stay
                return self._derived(data, None, stats=data.stats + stats_of(value))
            return Data(DataKind.FRAME, data.nodes, data.schema.widened(), data.prov, None, data.reads, False,
                        data.stats + stats_of(value))
        schema = data.schema
        lineage = lineage_of(value) if not isinstance(value, (Lambda,)) else frozenset()
        for name in names:
            schema = schema.with_column(name, lineage)
        site = self.it.site(self.it.stmt)   # mlinspect: the code reference is the whole assignment
        node_ = self.emit(Operator.PROJECTION_MODIFY, f"modifies {names}", parents_of(data), None,
                          ModifyInfo(modifies=tuple(names)), visible=isinstance(key, Const), site=site, schema=schema)
        node_.schema = schema
        return self._derived(data, node_, schema, stats=data.stats + stats_of(value))

    # -- arithmetic ---------------------------------------------------------------------------
    def data_arithmetic(self, left: Value, op: str, right: Value) -> Value:
        datas = [v for v in (left, right) if isinstance(v, Data)]
        first = datas[0]
        kind = DataKind.FRAME if any(d.kind is DataKind.FRAME for d in datas) else (DataKind.SERIES if any(
            d.kind is DataKind.SERIES for d in datas) else DataKind.ARRAY)
        prov = first.prov
        for other in datas[1:]:
            if other.prov != prov:
                prov = prov.union(other.prov) if prov is not None else None
        schema = first.schema if kind == first.kind else next(d.schema for d in datas if d.kind == kind)
        is_mask = op in ("BitAnd", "BitOr", "BitXor") and all(d.is_mask for d in datas)
        return Data(kind, tuple(parents_of(*datas)), schema, prov,
                    first.name if len(datas) == 1 else None, lineage_of(left) | lineage_of(right), is_mask,
                    stats_of(left, right))

    def data_compare(self, left: Value, right: Value, node: cst.CSTNode | None = None) -> Value:
        datas = [v for v in (left, right) if isinstance(v, Data)]
        first = datas[0]
        predictions = [d for d in datas if any(n.operator is Operator.PREDICT for n in d.nodes)]
        if len(datas) == 2 and len(predictions) == 1 and node is not None:
            # `model.predict(X_test) == y_test`: a hand-written accuracy is an evaluation too
            truth = datas[0] if predictions[0] is datas[1] else datas[1]
            self.emit(Operator.SCORE, "comparison with predictions", parents_of(predictions[0], truth), node,
                      EvaluationInfo(kind=EvaluationKind.METRIC, truth=truth.prov), visible=False)
        return Data(DataKind.SERIES if first.kind is not DataKind.ARRAY else DataKind.ARRAY, tuple(parents_of(*datas)), first.schema,
                    first.prov, first.name, lineage_of(left) | lineage_of(right), True, stats_of(left, right))


_NO_SCOPE = None   # calls of lambdas / functions do not need the caller's scope

_ARRAY_METHODS = {
    "mean": "statistic", "std": "statistic", "var": "statistic", "min": "statistic", "max": "statistic",
    "sum": "statistic", "median": "statistic", "reshape": "same", "astype": "same", "ravel": "same",
    "flatten": "same", "copy": "same", "squeeze": "same", "tolist": "sink", "round": "same", "clip": "same",
    "argmax": "statistic", "argmin": "statistic", "any": "sink", "all": "sink", "item": "sink",
}


def _lookup_stats(stats: tuple[Statistic, ...], other: Provenance | None) -> tuple[Statistic, ...]:
    """Statistics joined in from another table are lookups, not statistics over the other side's rows.

    ``customers.merge(orders.groupby("customer_id").agg(...), on="customer_id")`` gives each
    customer a summary of *its own* orders: it mixes no customer rows.  A statistic over the
    same rows it is joined back into (``df.merge(df.groupby("city").agg(...))``) stays one.
    """
    if other is None:
        return stats
    out = []
    for stat in stats:
        same_rows = stat.prov is not None and any(
            mine.source == theirs.source for mine in stat.prov.origins for theirs in other.origins)
        out.append(stat if same_rows or not stat.learned or stat.estimator is not None else
                   replace(stat, learned=False))
    return tuple(out)


def _is_full_slice(value: Value) -> bool:
    return isinstance(value, Seq) and value.kind is SeqKind.SLICE and all(
        isinstance(v, Const) and v.value is None for v in value.items)


def _slice_text(bounds: tuple) -> str:
    lower, upper, step = (("" if b is None else repr(b)) for b in bounds)
    return f"[{lower}:{upper}{':' + step if step else ''}]"


def _plain(value: Value) -> str:
    return str(python_value(value))


def _strip_literals(expression: str) -> str:
    return re.sub(r"'[^']*'|\"[^\"]*\"|@[A-Za-z_][A-Za-z0-9_]*", " ", expression)


def _merge_description(kwargs: dict[str, Value]) -> str | None:
    """mlinspect's merge description; None where mlinspect's own code would fail."""
    if "on" in kwargs:
        description: str | None = f"on '{_plain(kwargs['on'])}'"
    elif ("left_on" in kwargs or is_true(kwargs.get("left_index"))) and \
            ("right_on" in kwargs or is_true(kwargs.get("right_index"))):
        left = f"'{_plain(kwargs['left_on'])}'" if "left_on" in kwargs else "left_index"
        right = f"'{_plain(kwargs['right_on'])}'" if "right_on" in kwargs else "right_index"
        description = f"on {left} == {right}"
    else:
        return None
    if "how" in kwargs:
        description += f" ({_plain(kwargs['how'])})"
    return description


__all__ = ["PandasCalls", "os"]
