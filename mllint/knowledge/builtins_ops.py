"""What Python's builtins and the methods of literal containers do, for the interpreter.

Like ``pandas_ops``: one row per name, naming the *effect* whose handler
(``mllint.library.builtins`` / ``mllint.library.literals``) models it.  A name
not listed is an unknown call: its data arguments keep their edges, its value is unknown.
"""
from __future__ import annotations

#: Builtin functions.
BUILTIN_FUNCTIONS: dict[str, str] = {
    "list": "container", "tuple": "container", "set": "container", "sorted": "sorted", "dict": "dict",
    "range": "range", "enumerate": "enumerate", "zip": "zip",
    "min": "min_max", "max": "min_max",
    "str": "fold", "int": "fold", "float": "fold", "bool": "fold", "len": "fold", "abs": "fold", "round": "fold",
    "print": "none",
    **{name: "opaque" for name in (
        "isinstance", "hasattr", "type", "id", "repr", "open", "input", "iter", "next", "map", "filter", "getattr",
        "vars", "globals", "locals", "super", "format", "hash", "callable", "eval", "exec", "compile", "__import__",
        "setattr", "delattr")},
}

#: Methods of list / tuple / set literals.
SEQUENCE_METHODS: dict[str, str] = {
    "append": "append", "add": "append", "extend": "extend", "remove": "remove",
    "copy": "same", "tolist": "same", "to_list": "same",
    "drop": "without", "difference": "without",
    **{name: "mutate_unknown" for name in ("insert", "pop", "clear", "sort", "reverse", "discard", "update")},
}

#: Methods of dict literals.
DICT_METHODS: dict[str, str] = {
    "items": "items", "keys": "keys", "values": "values", "get": "get", "copy": "same",
    **{name: "mutate_unknown" for name in ("update", "pop", "setdefault", "clear", "popitem")},
}

#: Methods of str constants folded at analysis time (bounded by ``domains.folding``).
STR_METHODS: dict[str, str] = {
    **{name: "fold_no_args" for name in ("lower", "upper", "strip", "lstrip", "rstrip", "title", "capitalize")},
    **{name: "fold_with_args" for name in ("startswith", "endswith", "replace", "split", "format", "join")},
}

#: Functions of the standard library (and joblib) on files, by dotted name.  Paths built from
#: constants are folded, so that ``pd.read_csv(os.path.join(DATA, "train.csv"))`` names its file like
#: a literal path does; loaders of pickled objects make data of unknown schema from one source.
FILE_FUNCTIONS: dict[str, str] = {
    **{name: "join_text" for name in ("os.path.join", "posixpath.join")},
    **{f"pathlib.{name}": "path" for name in ("Path", "PurePath", "PosixPath", "PurePosixPath")},
    **{name: "load" for name in ("pickle.load", "pickle.loads", "joblib.load", "sklearn.externals.joblib.load",
                                 "dill.load", "cloudpickle.load", "_pickle.load", "cPickle.load")},
}

#: Methods of a folded path (``Path(DATA).joinpath("train.csv")``); its attributes ``name``,
#: ``stem``, ``suffix`` and ``parent`` are folded too (``domains.folding.PATH_ATTRIBUTES``).
PATH_METHODS: dict[str, str] = {name: "path_method" for name in ("joinpath", "with_suffix", "with_name", "as_posix")}
