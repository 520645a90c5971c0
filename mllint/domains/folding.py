"""Constant folding with the size of every result checked before it is computed.

``a = a * a`` forty times, ``'x' * 10**9``, ``1 << 10**9`` or
``'{:>1000000000}'.format(1)`` are each one C-level step that no budget can
interrupt once started, so the size of the result is estimated first (ints by
``bit_length``, strings and sequences by length, format widths by the numbers in
the format spec) and past a bound the value is unknown.  Every place the
interpreter computes a Python value from constants goes through this module.
"""
from __future__ import annotations

import operator
import posixpath
import re
import string
from pathlib import PurePath, PurePosixPath
from typing import Any, Callable

from .bounds import MAX_CHARS, MAX_INT_BITS, MAX_ITEMS
from .values import TOP, Const, Value

_SIZED = (str, bytes, tuple, list)

BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "Add": operator.add, "Subtract": operator.sub, "Multiply": operator.mul, "Divide": operator.truediv,
    "FloorDivide": operator.floordiv, "Modulo": operator.mod, "Power": operator.pow,
    "BitAnd": operator.and_, "BitOr": operator.or_, "BitXor": operator.xor,
    "LeftShift": operator.lshift, "RightShift": operator.rshift,
}
COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "Equal": operator.eq, "NotEqual": operator.ne, "LessThan": operator.lt, "LessThanEqual": operator.le,
    "GreaterThan": operator.gt, "GreaterThanEqual": operator.ge, "Is": operator.is_, "IsNot": operator.is_not,
    "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
}
UNARY: dict[str, Callable[[Any], Any]] = {"Minus": operator.neg, "Plus": operator.pos, "Not": operator.not_,
                                          "BitInvert": operator.invert}


def _bits(value: Any) -> int:
    """Bits of an int (bools are ints); 0 for anything else."""
    return value.bit_length() if isinstance(value, int) else 0


def _limit(value: Any) -> int:
    return MAX_CHARS if isinstance(value, (str, bytes)) else MAX_ITEMS


def _binary_fits(op: str, a: Any, b: Any) -> bool:
    """Whether ``a <op> b`` has a result within bounds, estimated without computing it."""
    if op == "Multiply":
        if isinstance(a, int) and isinstance(b, _SIZED):
            a, b = b, a
        if isinstance(a, _SIZED) and isinstance(b, int):
            return len(a) * max(b, 0) <= _limit(a)
        return _bits(a) + _bits(b) <= MAX_INT_BITS
    if op == "Add" and isinstance(a, _SIZED) and isinstance(b, _SIZED):
        return len(a) + len(b) <= _limit(a)
    if op == "Power":
        if isinstance(a, int) and isinstance(b, int):
            return b <= 0 or a in (0, 1, -1) or _bits(a) * b <= MAX_INT_BITS
        return True   # floats overflow (an exception), complex powers square repeatedly: both quick
    if op == "LeftShift":
        return isinstance(b, int) and b <= MAX_INT_BITS and _bits(a) + b <= MAX_INT_BITS
    if op == "Modulo" and isinstance(a, (str, bytes)):
        return _percent_fits(a, b)
    if op == "Divide" and (isinstance(a, PurePath) or isinstance(b, PurePath)):
        return isinstance(a, (str, PurePath)) and isinstance(b, (str, PurePath)) and \
            len(str(a)) + len(str(b)) < MAX_CHARS
    return True   # + - & | ^ >> // / % on numbers: at most one bit more than the operands


def fold_binary(op: str, a: Any, b: Any) -> Value:
    function = BINARY.get(op)
    if function is None or not _binary_fits(op, a, b):
        return TOP
    return _checked(function, a, b)


def fold_unary(op: str, a: Any) -> Value:
    function = UNARY.get(op)
    return TOP if function is None else _checked(function, a)


def fold_compare(op: str, a: Any, b: Any) -> Value:
    function = COMPARE.get(op)
    return TOP if function is None else _checked(function, a, b)


def fold_call(function: Callable[..., Any], *operands: Any) -> Value:
    """A builtin (``str``, ``int``, ``round``...) of bounded constants; its result is checked too."""
    if function is round and len(operands) == 2 and isinstance(operands[1], int) and abs(operands[1]) > MAX_INT_BITS:
        return TOP
    return _checked(function, *operands)


def _checked(function: Callable[..., Any], *operands: Any) -> Value:
    try:
        result = function(*operands)
    except Exception:   # ZeroDivisionError, OverflowError, TypeError, ValueError (int digits limit)...
        return TOP
    return const_or_top(result)


def const_or_top(result: Any) -> Value:
    """``Const(result)`` when the result is within bounds (a final check after computing)."""
    if isinstance(result, (str, bytes)) and len(result) > MAX_CHARS:
        return TOP
    if isinstance(result, PurePath) and len(str(result)) > MAX_CHARS:
        return TOP
    if isinstance(result, int) and _bits(result) > MAX_INT_BITS:
        return TOP
    return Const(result)


# -- string methods -------------------------------------------------------------------
_WIDTH = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?([-#0 +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]")


def _widths_fit(spec: str) -> bool:
    return all(len(number) <= 5 and int(number) <= MAX_CHARS for number in _WIDTH.findall(spec))


def _rendered(value: Any) -> int:
    """An upper bound of ``len(str(value))`` for a folded constant, without rendering it."""
    if isinstance(value, (str, bytes)):
        return len(value) * 4 + 3          # repr may escape every character
    if isinstance(value, bool) or value is None:
        return 5
    if isinstance(value, int):
        return _bits(value) // 3 + 2
    if isinstance(value, (list, tuple, set, frozenset)):
        return sum(_rendered(v) + 2 for v in value) + 2
    if isinstance(value, dict):
        return sum(_rendered(k) + _rendered(v) + 4 for k, v in value.items()) + 2
    return 64                                # floats, complex numbers


def _substitution_fits(template: str | bytes, fields: int, widths: int, args: Any) -> bool:
    """The formatted text: the template plus, per field, the widest argument or its width."""
    values = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, (list, tuple)) \
        else [args]
    widest = max((_rendered(v) for v in values), default=0)
    return len(template) + widths + fields * widest <= MAX_CHARS


def _format_fits(template: str, args: list[Any]) -> bool:
    """``str.format``: every width and precision in the replacement fields is within bounds."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return False
    count = widths = 0
    for _, field_name, spec, _ in fields:
        if field_name is None:
            continue
        count += 1
        if spec:
            if "{" in spec or not _widths_fit(spec):   # nested fields: width known only at run time
                return False
            widths += sum(int(n) for n in _WIDTH.findall(spec))
    return _substitution_fits(template, count, widths, args)


def _percent_fits(template: str | bytes, args: Any) -> bool:
    """``template % args``: no ``*`` widths and every width / precision within bounds."""
    text = template.decode("latin-1") if isinstance(template, bytes) else template
    count = widths = 0
    for match in _PERCENT_SPEC.finditer(text):
        count += 1
        for number in (match.group(2), match.group(3)):
            if number == "*" or (number is not None and not _widths_fit(number)):
                return False
            widths += int(number) if number else 0
    return _substitution_fits(template, count, widths, args)


def fold_str_method(text: str, name: str, args: list[Any]) -> Any:
    """``text.<name>(*args)`` for the few methods we fold, or None when unknown or too large."""
    if name == "format":
        if not _format_fits(text, args):
            return None
    elif name == "join":
        if len(args) != 1 or not isinstance(args[0], (list, tuple)):
            return None
        parts = args[0]
        if not all(isinstance(p, str) for p in parts) or \
                sum(map(len, parts)) + len(text) * max(len(parts) - 1, 0) > MAX_CHARS:
            return None
    elif name == "replace":
        if len(args) < 2 or not all(isinstance(a, str) for a in args[:2]):
            return None
        old, new = args[0], args[1]
        count = text.count(old) if len(args) < 3 or not isinstance(args[2], int) else min(text.count(old), args[2])
        if len(text) + count * (len(new) - len(old)) > MAX_CHARS:
            return None
    try:
        result = getattr(text, name)(*args)
    except Exception:
        return None
    if isinstance(result, str) and len(result) > MAX_CHARS:
        return None
    if isinstance(result, list) and len(result) > MAX_ITEMS:
        return None
    return result


# -- file paths -----------------------------------------------------------------------
# Paths are folded as ``PurePosixPath`` (notebooks run on Linux kernels; nothing touches the file
# system: no ``resolve``, ``absolute`` or ``expanduser``, whose results depend on the machine).
PATH_ATTRIBUTES = frozenset({"name", "stem", "suffix", "parent"})


def as_path_text(value: Any) -> str | None:
    """The text of a folded ``str`` or path constant (what ``open`` / ``read_csv`` receive)."""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, PurePath) else None


def _path_parts(parts: list[Any]) -> list[str] | None:
    texts = [as_path_text(part) for part in parts]
    if any(text is None for text in texts) or sum(len(t) + 1 for t in texts) > MAX_CHARS:   # type: ignore[arg-type]
        return None
    return texts   # type: ignore[return-value]


def fold_path(parts: list[Any]) -> Value:
    """``pathlib.Path(*parts)`` of constants."""
    texts = _path_parts(parts)
    return TOP if texts is None else _checked(PurePosixPath, *texts)


def fold_path_join(parts: list[Any]) -> Value:
    """``os.path.join(*parts)`` of constants: a ``str``."""
    texts = _path_parts(parts)
    return TOP if texts is None or not texts else _checked(posixpath.join, *texts)


def fold_path_method(path: PurePath, name: str, args: list[Any]) -> Value:
    """``path.joinpath(...)``, ``with_suffix``, ``with_name``, ``as_posix`` of a folded path."""
    if name == "joinpath":
        texts = _path_parts([path, *args])
        return TOP if texts is None else _checked(PurePosixPath, *texts)
    if name in ("with_suffix", "with_name") and len(args) == 1 and isinstance(args[0], str) \
            and len(args[0]) + len(str(path)) <= MAX_CHARS:
        return _checked(getattr(path, name), args[0])
    if name == "as_posix" and not args:
        return _checked(path.as_posix)
    return TOP


def fold_path_attribute(path: PurePath, name: str) -> Value:
    return _checked(getattr, path, name) if name in PATH_ATTRIBUTES else TOP


__all__ = ["BINARY", "COMPARE", "UNARY", "fold_binary", "fold_unary", "fold_compare", "fold_call",
           "fold_str_method", "const_or_top", "as_path_text", "fold_path", "fold_path_join", "fold_path_method",
           "fold_path_attribute", "PATH_ATTRIBUTES"]
