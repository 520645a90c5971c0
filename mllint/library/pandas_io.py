"""Models of pandas' top-level functions that make data: readers, constructors, ``get_dummies``, ``to_numeric``.

A reader is a data source: its schema comes from the call's arguments
(``usecols``, ``names``) or, where the project fence allows, from the file's
header line, plus the columns the code was seen to read from it in an earlier
pass (``ctx.known_columns``), so later column reads resolve.  ``get_dummies``
leaves a marker statistic: its columns depend on the categories in the rows.
"""
from __future__ import annotations

from dataclasses import replace

from ..domains.folding import as_path_text
from ..domains.data_ops import arg, const_str, const_strings, lineage_of, parents_of, stats_of
from ..domains.provenance import Provenance
from ..domains.schema import UNKNOWN_SCHEMA, Column, Schema
from ..domains.values import TOP, Const, Data, DataKind, DictV, Statistic, StatisticKind, Value
from ..plan import ModifyInfo, Operator, SourceInfo
from .context import CallContext
from .registration import Family, HandlerTable

handlers = HandlerTable()


@handlers.register(Family.PANDAS, "source")
def read_source(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    name = ctx.name
    path = _path_text(arg(args, kwargs, 0, "filepath_or_buffer") or arg(args, kwargs, 0, "io") or
                      arg(args, kwargs, 0, "path") or TOP)
    if name.startswith("read_sql"):
        path = None   # the first argument is a query, not a file
    description = path.replace("\\", "/").split("/")[-1] if path is not None else (
        None if name == "read_csv" else name)
    schema = source_schema(ctx, name, path, args, kwargs)
    source_key = None
    if schema.open:   # columns the code is known to use (second pass, or the editor's last run): they exist
        source_key = ctx.code
        for column in sorted(ctx.known_columns(source_key)):
            if schema.get(column) is None:
                schema = schema.with_column(column, frozenset((column,)))
    node = ctx.emit(Operator.DATA_SOURCE, description, [], SourceInfo(function=name, path=path, source_key=source_key),
                    visible=(name == "read_csv"), schema=schema)
    node.schema = schema
    return Data(kind=DataKind.FRAME, nodes=(node,), schema=schema, prov=Provenance.of_source(node.id))


def _path_text(value: Value) -> str | None:
    """A constant path: a literal, or one folded from constants (``os.path.join``, ``Path / "x.csv"``)."""
    return as_path_text(value.value) if isinstance(value, Const) else None


def source_schema(ctx: CallContext, name: str, path: str | None, args: list[Value],
                  kwargs: dict[str, Value]) -> Schema:
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
        header = ctx.read_header(path, sep if sep is not None else ("\t" if name == "read_table" else ","))
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


@handlers.register(Family.PANDAS, "frame_ctor")
def frame_constructor(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    data = arg(args, kwargs, 0, "data")
    columns = const_strings(arg(args, kwargs, 2, "columns") or TOP)
    if columns is None and isinstance(data, DictV):
        keys = [k.value for k in data.keys if isinstance(k, Const) and isinstance(k.value, str)]
        columns = keys if len(keys) == len(data.keys) else None
    if columns is None and isinstance(data, Data) and data.kind is DataKind.FRAME:
        schema = data.schema
    elif columns is not None:
        lineage = lineage_of(data) if isinstance(data, Data) else frozenset()
        known = isinstance(data, Data) and not data.schema.open and len(data.schema.columns) == len(columns)
        # pd.DataFrame(scaler.transform(X), columns=X.columns): column i from X's column i; when which
        # input column each one is cannot be told, a column stands for its own name (every column
        # "from all of X" would make a label dropped later come back in each of them)
        mixed = isinstance(data, Data) and data.kind is DataKind.ARRAY and len(columns) > 1
        schema = Schema(tuple(Column(c, data.schema.columns[i].lineage if known else (
            frozenset((c,)) if mixed else (lineage or frozenset((c,))))) for i, c in enumerate(columns)), False)
    else:
        schema = UNKNOWN_SCHEMA
    index = arg(args, kwargs, 1, "index")
    indexed = not isinstance(data, Data) and isinstance(index, Data) and index.prov is not None
    # pd.DataFrame(np.zeros(...), index=df.index): one row per row of df
    source = ctx.emit(Operator.DATA_SOURCE, None, [], columns=list(schema.names),
                      **({"rows": index.prov} if indexed else {}))
    source.schema = schema
    if isinstance(data, Data):
        prov = data.prov
    elif indexed:
        prov = index.prov
    else:
        prov = Provenance.of_source(source.id)
    return Data(kind=DataKind.FRAME, nodes=(source,), schema=schema, prov=prov, name=None,
                reads=(data.reads if data.kind is DataKind.FRAME else lineage_of(data)) if isinstance(data, Data)
                else frozenset(), is_mask=False, stats=stats_of(data) if data is not None else ())


@handlers.register(Family.PANDAS, "series_ctor")
def series_constructor(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    first = arg(args, kwargs, 0, "data")
    series_name = const_str(arg(args, kwargs, 3, "name") or TOP)
    source = ctx.emit(Operator.DATA_SOURCE, None, [], columns=list(series_name) if series_name else ["_1"])
    prov = first.prov if isinstance(first, Data) else Provenance.of_source(source.id)
    return Data(kind=DataKind.SERIES, nodes=(source,), schema=Schema.of_sources([series_name or "_1"]), prov=prov,
                name=series_name, reads=lineage_of(first) if first is not None else frozenset(), is_mask=False,
                stats=stats_of(first or TOP))


def _series_over(ctx: CallContext, args: list[Value], *, mask: bool, learns: bool) -> Value:
    """``pd.to_numeric(s)``, ``pd.isna(s)``, ``pd.qcut(s, 4)``: a series over the same rows."""
    first = args[0] if args else TOP
    if not isinstance(first, Data):
        return TOP
    stats = first.stats
    if learns:   # qcut learns quantiles from the rows
        stats = stats + (Statistic(ctx.name, first.prov, lineage_of(first), ctx.site),)
    return replace(first, kind=DataKind.SERIES, reads=lineage_of(first), is_mask=mask, stats=stats)


@handlers.register(Family.PANDAS, "series_modify")
def series_modify(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return _series_over(ctx, args, mask=False, learns=False)


@handlers.register(Family.PANDAS, "mask_fn")
def mask_function(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return _series_over(ctx, args, mask=True, learns=False)


@handlers.register(Family.PANDAS, "statistic_transform")
def statistic_transform(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return _series_over(ctx, args, mask=False, learns=True)


@handlers.register(Family.PANDAS, "get_dummies")
def get_dummies(ctx: CallContext, _receiver: None, args: list[Value], kwargs: dict[str, Value]) -> Value:
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
    node = ctx.emit(Operator.PROJECTION_MODIFY, "get_dummies", parents_of(data),
                    ModifyInfo(get_dummies=True, encoded=tuple(encoded) if encoded is not None else None),
                    visible=False, schema=result)
    marker = Statistic("get_dummies", data.prov, lineage_of(data), node, None, False, StatisticKind.ENCODING)
    return Data(kind=DataKind.FRAME, nodes=(node,), schema=result, prov=data.prov, name=None,
                reads=data.reads if data.kind is DataKind.FRAME else lineage_of(data), is_mask=False,
                stats=data.stats + (marker,))
