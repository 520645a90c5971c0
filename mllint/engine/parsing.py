"""Code text in, a LibCST module plus the stdlib ``ast`` tree out: the one place that parses.

CPython decides what is valid Python; LibCST 1.9's native parser rejects some of it.  Every
form found so far (on the Kaggle corpus and by trying lists of near-forms) is handled here,
without moving a line, so that line numbers stay those of the file:

* a keyword glued to a parenthesised conditional expression or lambda
  (``else(1 if a else 0)``, ``if(lambda: 1)``, ``not(...)``, ``in(...)``, ``return(...)``):
  LibCST's node validation insists on a space there (``CSTValidationError``) or fails with a
  ``TypeError``.  A space is inserted between the keyword and its neighbouring token
  (:func:`space_keywords`).  Columns after an inserted space move right by one on that line
  only (documented shift, not mapped back): nothing is inserted before a line's first token,
  so statements starting a line, where findings are reported, never move; only the body of a
  one-line compound statement after the space (``if(x): y = 1``) or a span's end column can.
* thousands of implicitly concatenated string literals: LibCST nests them and its parser
  gives up (and the interpreter would recurse as deep).  Long runs of plain literals are
  replaced by one literal of the same value, in parentheses spanning the run's lines, so
  every statement keeps its first and last line (:func:`join_string_runs`).
* tab/space mixes CPython accepts: retried with ``expandtabs(8)``.
* anything else: each top-level statement LibCST still rejects is replaced by ``pass`` plus
  empty lines (same line count) and the rest is analysed, with a note naming the lines
  (:func:`_without_rejected_statements`).

The normalisations run only after LibCST has failed, so valid files pay nothing; the
string-run check (a quote count, then a regex count) runs before, because LibCST's failure on
a long run is slow and the interpreter would recurse through a long one it accepts.
"""
from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize
import warnings
from dataclasses import dataclass

import libcst as cst

__all__ = ["LIBCST_REJECTS", "Parsed", "join_string_runs", "parse_code", "space_keywords"]

#: What LibCST raises on valid Python: syntax errors, node validation, and internal errors
#: of its tree builder (``TypeError`` on ``if(lambda: 1)``).  RecursionError and MemoryError
#: are caught separately: they say the input is too big, not that LibCST dislikes a form.
LIBCST_REJECTS = (cst.ParserSyntaxError, cst.CSTValidationError, TypeError, ValueError)


@dataclass(frozen=True, slots=True)
class Parsed:
    """What :func:`parse_code` made of a text.

    ``code`` is the text the trees were built from: the input, or a normalised copy with the
    same line count (positions are looked up in it).  ``error`` is one line when nothing could
    be parsed; ``notes`` say what was normalised or left out.
    """

    code: str
    module: cst.Module | None = None
    tree: ast.Module | None = None
    error: str | None = None
    notes: tuple[str, ...] = ()


def parse_code(code: str) -> Parsed:
    """Parse ``code`` with CPython first (cheap, the messages people know), then with LibCST."""
    tree, problem = _parse_ast(code)
    if problem is None:
        problem = _too_long_chain(code, tree)
    if problem is not None:
        return Parsed(code, error=problem)
    notes: list[str] = []
    joined = join_string_runs(code)
    if joined is not None:
        code, tree = joined, _parse_ast(joined)[0] or tree
        notes.append("long runs of adjacent string literals were joined into one literal each")
    costly = _costly_statements(code, tree)
    if costly:
        code = _blanked(code, costly)
        tree = _parse_ast(code)[0] or tree
        notes.append(_left_out_note(costly, "would take LibCST longer to parse than the budget allows"))
    try:
        return Parsed(code, cst.parse_module(code), tree, notes=tuple(notes))
    except LIBCST_REJECTS as exc:
        first = exc
    except (RecursionError, MemoryError) as exc:
        return Parsed(code, error=f"cannot parse: {type(exc).__name__}")
    for fix in (space_keywords, _expand_tabs):
        fixed = fix(code)
        if fixed is None or fixed == code:
            continue
        module = _try_libcst(fixed)
        if module is not None:
            return Parsed(fixed, module, _parse_ast(fixed)[0] or tree, notes=tuple(notes))
    return _without_rejected_statements(code, tree, first, notes)


def _try_libcst(code: str) -> cst.Module | None:
    try:
        return cst.parse_module(code)
    except (*LIBCST_REJECTS, RecursionError, MemoryError):
        return None


def _expand_tabs(code: str) -> str | None:
    """LibCST rejects some tab/space mixes that CPython accepts ("no matching outer block")."""
    return code.expandtabs(8) if "\t" in code else None


# --------------------------------------------------------------------------- CPython's view

def _parse_ast(code: str) -> tuple[ast.Module | None, str | None]:
    """The stdlib tree (for positions), or the one-line reason CPython rejects the code."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(code), None
    except SyntaxError as error:
        return None, f"syntax error at line {error.lineno}, column {error.offset or 1}: {error.msg}"
    except (RecursionError, MemoryError):
        return None, "too deeply nested to analyse"
    except ValueError as error:   # e.g. NUL bytes in str input
        return None, f"cannot parse: {error}"


_BOOLEAN_WORD = re.compile(r"\b(?:and|or)\b")
MAX_BOOLEAN_CHAIN = 2000


def _too_long_chain(code: str, tree: ast.Module | None) -> str | None:
    """CPython keeps ``a and b and ...`` flat, LibCST nests it: thousands of terms overflow its stack."""
    if tree is None or len(_BOOLEAN_WORD.findall(code)) < MAX_BOOLEAN_CHAIN:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.BoolOp) and len(node.values) > MAX_BOOLEAN_CHAIN:
            return f"boolean expression of {len(node.values)} terms at line {node.lineno}: too long to analyse"
    return None


def _syntax_message(exc: Exception) -> str:
    if isinstance(exc, cst.ParserSyntaxError):
        message = str(exc.message).splitlines()[0] if exc.message else "invalid syntax"
        return f"syntax error at line {exc.raw_line}, column {exc.raw_column + 1}: {message}"
    return f"cannot parse: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")


# --------------------------------------------------------------------------- token edits

def _tokens(code: str) -> list[tokenize.TokenInfo] | None:
    try:
        return list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _line_starts(code: str) -> list[int]:
    starts = [0]
    index = code.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = code.find("\n", index + 1)
    return starts


def _edit(code: str, edits: list[tuple[tuple[int, int], tuple[int, int], str]]) -> str:
    """Apply ``(start, end, replacement)`` edits given in tokenize (row, column) positions."""
    starts = _line_starts(code)
    out, last = [], 0
    for (srow, scol), (erow, ecol), text in sorted(edits):
        begin, end = starts[srow - 1] + scol, starts[erow - 1] + ecol
        out.append(code[last:begin])
        out.append(text)
        last = end
    out.append(code[last:])
    return "".join(out)


#: Tokens a keyword can touch without a space in CPython: names, numbers and strings on either
#: side (``1if``, ``else'b'``), an opening bracket after it (``else(``) and a closing one
#: before it (``)if``).
_WORDS = {tokenize.NAME, tokenize.NUMBER, tokenize.STRING}
_KEYWORDS = frozenset(keyword.kwlist) - {"True", "False", "None"}
_OPENING, _CLOSING = frozenset("([{"), frozenset(")]}")


def _is_keyword(token: tokenize.TokenInfo) -> bool:
    return token.type == tokenize.NAME and token.string in _KEYWORDS


def space_keywords(code: str) -> str | None:
    """Insert a space wherever a keyword touches the token before or after it on the same line.

    Whitespace between two tokens never changes their meaning, and nothing is inserted before
    the first token of a line, so lines and statement starts keep their positions; a column
    further right on such a line moves by the number of spaces inserted before it.  None when
    the code does not tokenize or nothing touches.
    """
    tokens = _tokens(code)
    if tokens is None:
        return None
    points: set[tuple[int, int]] = set()
    for before, after in zip(tokens, tokens[1:]):
        if before.end != after.start:
            continue
        if (_is_keyword(before) and (after.type in _WORDS or after.string in _OPENING)) or \
                (_is_keyword(after) and (before.type in _WORDS or before.string in _CLOSING)):
            points.add(before.end)
    if not points:
        return None
    return _edit(code, [(point, point, " ") for point in points])


#: Runs of adjacent string literals longer than this are joined: LibCST nests a
#: ConcatenatedString per literal (its parser fails somewhere past 3,000), and so would every
#: recursive walk over the tree.
MAX_STRING_RUN = 100
_ADJACENT_STRINGS = re.compile(r"""['"][ \t]*(?:\\?\n[ \t]*)?(?:#[^\n]*\n[ \t]*)*[rRbBuU]{0,2}['"]""")
_PLAIN_PREFIX = re.compile(r"[rRbBuU]{0,2}['\"]")


def join_string_runs(code: str) -> str | None:
    """Replace each run of more than :data:`MAX_STRING_RUN` adjacent plain string literals by one.

    The literal has the run's value (f-strings end a run: their value is not known) and stands
    in parentheses spanning the run's lines, so every statement keeps its first and last line.
    None when no run is that long (checked first with cheap counts).
    """
    # the regex costs ~1% of a LibCST parse; most files stop at the quote count
    if code.count("'") + code.count('"') < 2 * MAX_STRING_RUN or \
            len(_ADJACENT_STRINGS.findall(code)) < MAX_STRING_RUN:
        return None
    tokens = _tokens(code)
    if tokens is None:
        return None
    edits = []
    runs: list[list[int]] = [[]]   # indexes into tokens of each run of plain literals
    for index, token in enumerate(tokens):
        if token.type == tokenize.STRING and _PLAIN_PREFIX.match(token.string):
            runs[-1].append(index)
        elif token.type not in (tokenize.NL, tokenize.COMMENT) and runs[-1]:
            runs.append([])
    for run in runs:
        if len(run) > MAX_STRING_RUN:
            edit = _joined(tokens, run)
            if edit is not None:
                edits.append(edit)
    return _edit(code, edits) if edits else None


def _neighbour(tokens: list[tokenize.TokenInfo], index: int, step: int) -> tokenize.TokenInfo | None:
    index += step
    while 0 <= index < len(tokens) and tokens[index].type in (tokenize.NL, tokenize.COMMENT):
        index += step
    return tokens[index] if 0 <= index < len(tokens) else None


def _joined(tokens: list[tokenize.TokenInfo], run: list[int]) -> tuple[tuple[int, int], tuple[int, int], str] | None:
    try:
        parts = [ast.literal_eval(tokens[index].string) for index in run]
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if len({type(part) for part in parts}) != 1:
        return None
    value = b"".join(parts) if isinstance(parts[0], bytes) else "".join(parts)
    start, end = tokens[run[0]].start, tokens[run[-1]].end
    breaks = end[0] - start[0]
    literal = repr(value)
    # The statement must keep its first and last line wherever the run stands (a statement
    # start, inside brackets, after a backslash).  In parentheses, the literal keeps the run's
    # first line and the closing bracket its last one.  Next to an f-string (still to be
    # concatenated with it) the literal goes on the side of the f-string, and backslashes
    # continue the lines in between.
    before, after = _neighbour(tokens, run[0], -1), _neighbour(tokens, run[-1], 1)
    if after is not None and after.type == tokenize.STRING:
        return start, end, literal + "\\\n" * breaks + " " * end[1] * bool(breaks)
    if before is not None and before.type == tokenize.STRING:
        return start, end, "\\\n" * breaks + " " * max(0, end[1] - len(literal)) * bool(breaks) + literal
    text = "(" + literal
    if breaks:
        text += "\n" * breaks + " " * max(0, end[1] - 1)   # the rest of the last line keeps its column
    return start, end, text + ")"


# --------------------------------------------------------------------------- fallback

def _statement_chunks(code: str, tree: ast.Module) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of the top-level statements (decorators, trailing
    comments and statements sharing a line kept together); lines before the first one
    form a chunk of their own."""
    count = code.count("\n") + 1
    starts: list[int] = []
    last_end = 0
    for statement in tree.body:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])
        if first > last_end:   # not on a line the previous statement ends on (``x = (1,\n 2); y = 3``)
            starts.append(first)
        last_end = max(last_end, statement.end_lineno or statement.lineno)
    if not starts:
        return [(1, count)]
    if starts[0] > 1:
        starts.insert(0, 1)
    return [(start, end - 1) for start, end in zip(starts, [*starts[1:], count + 1])]


def _without_rejected_statements(code: str, tree: ast.Module | None, first: Exception,
                                 notes: list[str]) -> Parsed:
    """Analyse what LibCST accepts: each top-level statement it still rejects becomes ``pass``.

    Chunks are tried as they are, then with tabs expanded; the keyword spacing is applied to
    the whole text first (it never hurts).  The result has the input's line count.
    """
    if tree is None:
        return Parsed(code, error=_syntax_message(first))
    base = space_keywords(code) or code
    lines = base.split("\n")
    kept: list[str] = []
    left_out: list[tuple[int, int]] = []
    for start, end in _statement_chunks(base, tree):
        chunk = "\n".join(lines[start - 1:end])
        candidates = [chunk] if "\t" not in chunk else [chunk, chunk.expandtabs(8)]
        accepted = next((c for c in candidates if _try_libcst(c + "\n") is not None), None)
        if accepted is None:
            left_out.append((start, end))
            accepted = "\n".join(["pass"] + [""] * (end - start))
        kept.append(accepted)
    fixed = "\n".join(kept)
    module = _try_libcst(fixed)
    if module is None:
        return Parsed(code, error=_syntax_message(first))
    if not left_out:   # every statement parses alone (tabs expanded where needed)
        return Parsed(fixed, module, _parse_ast(fixed)[0] or tree, notes=tuple(notes))
    notes.append(_left_out_note(left_out, "LibCST cannot parse though CPython accepts them"))
    return Parsed(fixed, module, _parse_ast(fixed)[0] or tree, notes=tuple(notes))


def _left_out_note(ranges: list[tuple[int, int]], why: str) -> str:
    where = ", ".join(f"line {a}" if a == b else f"lines {a}-{b}" for a, b in ranges[:5])
    more = f" and {len(ranges) - 5} more" if len(ranges) > 5 else ""
    return f"{len(ranges)} statement(s) {why} ({where}{more}): they are treated as unknown"


# --------------------------------------------------------------------------- parse cost guard
# LibCST's native parser holds the GIL and cannot be interrupted, and its cost is quadratic in
# two shapes that CPython parses in linear time: long chains of binary operators (each level
# of the left-deep tree is revisited) and deeply nested brackets (genetic-programming output,
# generated formulas: one 100 kB statement took 3.7 s, against 0.04 s for ``ast``).  Those
# statements are estimated from the ``ast`` tree and the text, deterministically, and left out
# before LibCST sees them.  The coefficients are microseconds of a quiet machine of the
# reference kind, fitted on synthetic chains and nests and on the corpus's slowest file.

#: Only statements longer than this many characters are estimated (the rest are cheap).
COSTLY_STATEMENT_CHARS = 2_000
#: A statement whose estimated parse exceeds this is left out (a quarter of the normal budget).
MAX_STATEMENT_PARSE_SECONDS = 0.5
_MICROSECONDS_PER_EXPRESSION_DEPTH = 0.5
_MICROSECONDS_PER_BRACKET_DEPTH = 8.0
_BRACKET = re.compile(r"[()\[\]{}]")


def _costly_statements(code: str, tree: ast.Module | None) -> list[tuple[int, int]]:
    """Line ranges of the top-level statements whose LibCST parse is estimated past the bound."""
    if tree is None or len(code) < COSTLY_STATEMENT_CHARS:
        return []
    starts = _line_starts(code)
    costly: list[tuple[int, int]] = []
    chunks = None
    for statement in tree.body:
        end_line = statement.end_lineno or statement.lineno
        first = starts[statement.lineno - 1]
        last = starts[end_line] if end_line < len(starts) else len(code)
        if last - first < COSTLY_STATEMENT_CHARS:
            continue
        if estimated_parse_seconds(statement, code[first:last]) <= MAX_STATEMENT_PARSE_SECONDS:
            continue
        chunks = chunks or _statement_chunks(code, tree)
        costly.extend(chunk for chunk in chunks if chunk[0] <= statement.lineno <= chunk[1] and chunk not in costly)
    return costly


def estimated_parse_seconds(statement: ast.AST, text: str) -> float:
    """LibCST's parse time of one statement on a quiet machine, from its shape."""
    depth_sum = 0
    stack = [(statement, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.expr):
            depth_sum += depth
            depth += 1
        else:
            depth = 0
        stack.extend((child, depth) for child in ast.iter_child_nodes(node))
    bracket_sum = level = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "([{":
            level += 1
            bracket_sum += level
        elif level:
            level -= 1
    micro = depth_sum * _MICROSECONDS_PER_EXPRESSION_DEPTH + bracket_sum * _MICROSECONDS_PER_BRACKET_DEPTH
    return micro / 1_000_000


def _blanked(code: str, ranges: list[tuple[int, int]]) -> str:
    """``code`` with each range of lines replaced by ``pass`` and empty lines (same line count)."""
    lines = code.split("\n")
    for start, end in ranges:
        lines[start - 1:end] = ["pass"] + [""] * (end - start)
    return "\n".join(lines)
