"""What pandas operations *mean* for the plan: our own table, one place.

pandas-stubs tells what type a call returns; this table tells what it does to
rows and columns (filter rows, project, modify values, join, aggregate, compute
a statistic over rows...).  The interpreter looks a method up here and applies
the transfer function named by its effect; an unlisted method is unknown.
"""
from __future__ import annotations

#: Effects of DataFrame methods.
FRAME_METHODS: dict[str, str] = {
    # row filters: fewer rows, same columns
    "dropna": "filter_rows", "drop_duplicates": "filter_rows", "head": "filter_rows", "tail": "filter_rows",
    "sample": "filter_rows", "nlargest": "filter_rows", "nsmallest": "filter_rows", "query": "query",
    # value changes, same columns
    "replace": "replace", "fillna": "fillna", "astype": "modify_values", "apply": "apply",
    "applymap": "modify_values", "map": "modify_values", "round": "modify_values", "clip": "modify_values",
    "abs": "modify_values", "interpolate": "modify_values", "ffill": "modify_values", "bfill": "modify_values",
    "where": "modify_values", "mask": "modify_values", "transform": "modify_values",
    # column changes
    "drop": "drop", "rename": "rename", "assign": "assign", "update": "update", "append": "append_rows", "pop": "pop", "insert": "insert",
    "add_prefix": "unknown_columns", "add_suffix": "unknown_columns", "select_dtypes": "unknown_columns",
    "filter": "unknown_columns", "melt": "unknown_columns", "pivot": "unknown_columns",
    "pivot_table": "unknown_columns", "stack": "unknown_columns", "unstack": "unknown_columns",
    "transpose": "unknown_columns", "explode": "same_columns", "set_axis": "unknown_columns",
    # combination
    "merge": "merge", "join": "join",
    "groupby": "groupby",
    "pipe": "pipe",
    # neither rows nor columns change
    "copy": "same", "reset_index": "same", "set_index": "set_index", "sort_values": "same", "sort_index": "same",
    "reindex": "reindex", "align": "same", "infer_objects": "same", "convert_dtypes": "same", "rename_axis": "same",
    # statistics over rows
    "mean": "statistic", "median": "statistic", "std": "statistic", "var": "statistic", "min": "statistic",
    "max": "statistic", "sum": "statistic", "quantile": "statistic", "mode": "statistic", "count": "statistic",
    "nunique": "statistic", "describe": "statistic", "corr": "statistic", "cov": "statistic", "skew": "statistic",
    "kurt": "statistic", "prod": "statistic", "sem": "statistic", "idxmax": "statistic", "idxmin": "statistic",
    "value_counts": "category_statistic",
    # conversions
    "to_numpy": "to_array", "isna": "elementwise_mask", "isnull": "elementwise_mask",
    "notna": "elementwise_mask", "notnull": "elementwise_mask", "duplicated": "elementwise_mask",
    # output / inspection: nothing flows on
    "to_csv": "sink", "to_parquet": "sink", "to_excel": "sink", "to_json": "sink", "to_sql": "sink",
    "to_pickle": "sink", "info": "sink", "plot": "sink", "hist": "sink", "boxplot": "sink", "to_dict": "sink",
    "to_string": "sink", "to_markdown": "sink", "memory_usage": "sink", "equals": "sink", "any": "sink",
    "all": "sink", "items": "sink", "iterrows": "sink", "itertuples": "sink", "keys": "sink",
}

#: Effects of Series methods (on a single column).
SERIES_METHODS: dict[str, str] = {
    **{k: v for k, v in FRAME_METHODS.items() if v in ("filter_rows", "same", "sink", "to_array", "statistic")},
    "replace": "series_modify", "fillna": "fillna", "astype": "series_modify", "apply": "series_modify",
    "map": "series_modify", "round": "series_modify", "clip": "series_modify", "abs": "series_modify",
    "interpolate": "series_modify", "ffill": "series_modify", "bfill": "series_modify", "where": "series_modify",
    "mask": "series_modify", "transform": "series_modify", "rank": "series_modify", "diff": "series_modify",
    "shift": "shift", "pct_change": "series_modify", "cumsum": "series_modify", "log": "series_modify",
    "rolling": "series_modify", "str": "series_modify", "dt": "series_modify", "cat": "series_modify",
    "isin": "mask", "between": "mask", "eq": "mask", "ne": "mask", "lt": "mask", "le": "mask", "gt": "mask",
    "ge": "mask", "isna": "mask", "isnull": "mask", "notna": "mask", "notnull": "mask", "duplicated": "mask",
    "to_numpy": "to_array", "unique": "sink", "tolist": "to_array", "to_list": "to_array", "to_frame": "to_frame",
    "dropna": "filter_rows", "drop_duplicates": "filter_rows", "head": "filter_rows", "tail": "filter_rows",
    "sample": "filter_rows", "value_counts": "category_statistic", "pipe": "pipe", "rename": "same", "drop": "filter_rows",
}

#: Row statistics computed over a DataFrameGroupBy / SeriesGroupBy.
GROUPBY_AGGREGATIONS = frozenset({
    "agg", "aggregate", "mean", "median", "sum", "min", "max", "std", "var", "count", "size", "nunique", "first",
    "last", "prod", "sem", "quantile",
})

#: Per-row functions of the ``.str`` / ``.dt`` accessors all keep the row count.
ACCESSOR_KINDS = frozenset({"str", "dt", "cat", "sparse"})

#: pandas top-level functions.
PANDAS_FUNCTIONS: dict[str, str] = {
    "read_csv": "source", "read_table": "source", "read_parquet": "source", "read_json": "source",
    "read_excel": "source", "read_sql": "source", "read_sql_query": "source", "read_sql_table": "source",
    "read_feather": "source", "read_pickle": "source", "read_hdf": "source", "read_fwf": "source",
    "read_orc": "source", "read_stata": "source", "read_sas": "source", "read_spss": "source",
    "DataFrame": "frame_ctor", "Series": "series_ctor",
    "concat": "concat", "merge": "merge_fn", "get_dummies": "get_dummies", "to_numeric": "series_modify",
    "to_datetime": "series_modify", "cut": "series_modify", "qcut": "statistic_transform",
    "isna": "mask_fn", "isnull": "mask_fn", "notna": "mask_fn", "notnull": "mask_fn",
    # reshapes of one frame's rows (no aggregation): the same rows, columns unknown
    "melt": "reshape_fn", "wide_to_long": "reshape_fn", "pivot": "reshape_fn",
}

#: numpy functions.
NUMPY_FUNCTIONS: dict[str, str] = {
    **{name: "elementwise" for name in (
        "log", "log1p", "log2", "log10", "exp", "expm1", "sqrt", "abs", "absolute", "square", "sign", "round",
        "clip", "floor", "ceil", "nan_to_num", "asarray", "array", "ravel", "squeeze", "reshape", "float32",
        "float64", "int32", "int64", "isnan", "isfinite", "power", "sin", "cos", "tanh", "transpose",
        "atleast_2d", "asanyarray", "copy", "flip")},
    **{name: "statistic" for name in (
        "mean", "median", "std", "var", "min", "max", "sum", "percentile", "quantile", "nanmean", "nanmedian",
        "nanstd", "nanvar", "nanmin", "nanmax", "nanpercentile", "nanquantile", "amin", "amax", "ptp", "average",
        "unique", "bincount", "histogram", "argmax", "argmin", "cov", "corrcoef", "count_nonzero")},
    "concatenate": "concat", "hstack": "hconcat", "column_stack": "hconcat", "c_": "hconcat", "vstack": "concat",
    "r_": "concat", "append": "concat", "where": "where", "select": "elementwise",
    "loadtxt": "source", "genfromtxt": "source", "load": "source", "fromfile": "source",
    "random.random": "np_random",
    **{f"random.{name}": "random_array" for name in (
        "rand", "randn", "uniform", "normal", "randint", "choice", "permutation", "random_sample", "binomial")},
}

#: Effects of ndarray methods (``X.values.mean()``).
ARRAY_METHODS: dict[str, str] = {
    "mean": "statistic", "std": "statistic", "var": "statistic", "min": "statistic", "max": "statistic",
    "sum": "statistic", "median": "statistic", "reshape": "same", "astype": "same", "ravel": "same",
    "flatten": "same", "copy": "same", "squeeze": "same", "tolist": "same", "round": "same", "clip": "same",
    "argmax": "statistic", "argmin": "statistic", "any": "sink", "all": "sink", "item": "sink",
    # scipy.sparse matrices (CountVectorizer / OneHotEncoder outputs) converted or re-formatted: same rows
    "toarray": "same", "todense": "same", "tocsr": "same", "tocsc": "same", "tocoo": "same",
}

#: Effects of group-by methods: ``transform`` broadcasts a group statistic back to the rows; the
#: aggregations make one row per group.  Any other method is unknown.
GROUPBY_METHODS: dict[str, str] = {
    "transform": "transform", **{name: "aggregate" for name in GROUPBY_AGGREGATIONS},
}

#: Attributes of data values that are accessors (``df.loc``, ``s.str``).
ACCESSOR_ATTRIBUTES = frozenset({"loc", "iloc", "str", "dt", "cat"})

#: Effects of methods called on an accessor, by the accessor's kind: ``.str`` / ``.dt`` / ``.cat``
#: methods work row by row (``s.str.lower()``); methods on ``.loc`` / ``.iloc`` are unknown.
ACCESSOR_METHODS: dict[str, str] = {"str": "per_row", "dt": "per_row", "cat": "per_row"}

#: ``.str`` methods whose result is a boolean mask over the rows (``s.str.contains("x")``).
MASK_STR_METHODS = frozenset({"contains", "startswith", "endswith", "match", "fullmatch", "isdigit", "isalpha",
                              "isnumeric", "isalnum", "isspace", "islower", "isupper", "istitle", "isdecimal"})

#: Attributes of a frame that are never columns (``df.shape``): ``df.x`` on an open schema reads column ``x``
#: unless it is one of these, a method or private.
DATA_ATTRIBUTES_NOT_COLUMNS = frozenset({"shape", "dtypes", "dtype", "index", "size", "ndim", "empty", "axes",
                                         "attrs", "flags", "iat", "at", "name", "nbytes", "itemsize"})
