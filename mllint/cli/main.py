"""The ``mllint`` command line: ``explain`` shows the plan; ``rules`` / ``rule`` / ``docs`` document the rules."""
from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Callable, Sequence

from .. import __version__

if TYPE_CHECKING:   # the command line imports what a command needs when it runs
    from ..config_discovery import ConfigResolver
    from ..settings import Settings

    Overrides = Callable[[Settings], Settings]


def _explain(args: argparse.Namespace) -> int:
    from ..engine.analysis import analyze
    from ..render import RENDERERS
    from ..settings import ConfigError

    try:
        with open(args.file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        print(f"mllint: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:   # the file's own configuration, as check, flake8 and the server find it (data-headers included)
        settings = _resolver(args).for_path(args.file).settings
    except ConfigError as exc:
        print(f"mllint: {exc}", file=sys.stderr)
        return 2
    analysis = analyze(data, path=args.file, config=settings.engine_config())
    if analysis.error:
        print(f"mllint: {args.file}: {analysis.error}", file=sys.stderr)
        if args.format not in ("mlinspect", "json"):
            return 2
    marks = _marks(analysis, settings) if args.findings is not False and args.format not in ("mlinspect", "json") \
        else None
    if args.format in ("svg", "png"):
        from ..render.graphviz import GraphvizMissing, render_image

        try:
            image = render_image(RENDERERS["dot"](analysis) if marks is None else _marked("dot", analysis, marks),
                                 args.format)
        except GraphvizMissing as exc:
            print(f"mllint: {exc}", file=sys.stderr)
            return 2
        if not args.output:
            if sys.stdout.isatty():
                print(f"mllint: --format {args.format} writes binary data: use --output FILE", file=sys.stderr)
                return 2
            sys.stdout.buffer.write(image)
            return 0 if not analysis.error else 2
        return _write(args.output, image) if not analysis.error else 2
    output = RENDERERS[args.format](analysis) if marks is None else _marked(args.format, analysis, marks)
    if args.output:
        status = _write(args.output, (output + "\n").encode("utf-8"))
        return status if not analysis.error else 2
    print(output)
    return 0 if not analysis.error else 2


def _marks(analysis, settings):
    """The findings ``mllint check`` reports on the explained file, and the plan nodes they point at."""
    from ..render.explained import explained

    try:
        return explained(analysis, settings)
    except Exception as exc:   # pragma: no cover - a bug of ours: the plan is still worth showing
        print(f"mllint: {analysis.source.path if analysis.source else 'file'}: findings not shown "
              f"(internal error: {type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def _marked(kind: str, analysis, marks) -> str:
    """The view ``kind`` with the findings: listed under the text, marked on the pictures."""
    from ..render import render_view

    return render_view(kind, analysis, marks)


def _write(path: str, data: bytes) -> int:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        print(f"mllint: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _rule_codes() -> tuple[str, ...]:
    """Discovery, imported only when a selection is to be checked: a warm ``check`` never loads the rules."""
    from ..rules import rule_codes

    return rule_codes()


def _codes(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    from ..settings import check_codes

    codes = tuple(c.strip().upper() for c in text.split(",") if c.strip())
    check_codes(codes, "a command-line option", _rule_codes())
    return codes


def _resolver(args: argparse.Namespace) -> ConfigResolver:
    """The configuration resolver of ``--config`` / ``--isolated`` (else discovery from each file)."""
    import os

    from ..config_discovery import ConfigResolver
    from ..settings import ConfigError

    if args.config is not None and not os.path.isfile(args.config):
        raise ConfigError(f"--config {args.config}: no such file")
    return ConfigResolver(_rule_codes, config_file=args.config, isolated=args.isolated)


def _command_line_overrides(args: argparse.Namespace, root: str) -> Overrides:
    """What the flags of ``check`` do to a file's settings (its configuration, or the defaults).

    ``--select`` / ``--ignore`` / ``--extend-select`` / ``--exclude`` replace, ``--per-file-ignores`` and
    ``--extend-exclude`` add.  The flags are checked once, here (``ValueError``); the globs of
    ``--per-file-ignores`` with a folder part are relative to ``root`` (the project of the working
    folder), whichever configuration a file has.
    """
    import glob
    import os

    from ..settings import Settings

    select, ignore, extend_select = _codes(args.select), _codes(args.ignore), _codes(args.extend_select)
    flag_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    for entry in args.per_file_ignores or ():
        pattern, _, codes = entry.rpartition(":")
        if not pattern:
            raise ValueError(f"--per-file-ignores expects GLOB:CODES, got {entry!r}")
        if ("/" in pattern or os.sep in pattern) and not os.path.isabs(pattern):
            pattern = os.path.join(glob.escape(root), pattern)
        flag_ignores += ((pattern, _codes(codes) or ()),)
    extra_ignore = _codes(args.extend_ignore) or ()   # --extend-ignore: on top of whatever ignore applies
    exclude = tuple(args.exclude.split(",")) if args.exclude else None
    more_excludes = tuple(args.extend_exclude.split(",")) if args.extend_exclude else ()

    def apply(settings: Settings) -> Settings:
        settings = settings.with_overrides(
            select=select, ignore=ignore, extend_select=extend_select,
            per_file_ignores=tuple(settings.per_file_ignores) + flag_ignores, exclude=exclude,
            extend_exclude=tuple(settings.extend_exclude) + more_excludes if more_excludes else None,
            project_root=settings.project_root or root)
        return settings.with_overrides(ignore=tuple(settings.ignore) + extra_ignore) if extra_ignore else settings
    return apply


def _check(args: argparse.Namespace) -> int:
    import os
    import signal
    import threading

    from .check_command import ResultCache

    from .check_command import discover

    from .check_command import hard_limit_seconds

    from .check_command import iter_checks

    from .check_command import progress_bar
    from .output import OutputWriter
    from .colour import use_colour
    from .verbose import CountingCache, VerboseLog
    from ..settings import ConfigError, find_pyproject

    pyproject = find_pyproject(os.getcwd())
    root = os.path.dirname(pyproject) if pyproject else os.getcwd()   # the cache and the report paths
    paths = args.paths or ["."]
    stdin = paths == ["-"]
    try:
        resolver = _resolver(args)
        overrides = _command_line_overrides(args, root)
        # discovery (exclude) and the hard limit follow the working folder's configuration
        settings = overrides(resolver.for_folder(os.getcwd()).settings)
        hard_limit = hard_limit_seconds(settings)
        if args.show_settings is not None:
            return _show_settings(args.show_settings, resolver, overrides)
        if stdin:
            files = [args.stdin_filename or "stdin.py"]
            named = resolver.for_path(args.stdin_filename).settings if args.stdin_filename else settings
            # text without a name has no project to fence data reads in: it reads no headers
            settings_for = {files[0]: overrides(named) if args.stdin_filename else
                            settings.with_overrides(data_headers=False)}
        else:   # a missing path is reported as E902 when it is read, and the run goes on (like ruff)
            files = list(discover(paths, settings, respect_gitignore=args.respect_gitignore))
            settings_for = _settings_of_files(files, resolver, overrides)
    except (ConfigError, ValueError) as exc:
        print(f"mllint: {exc}", file=sys.stderr)
        return 2
    log = VerboseLog(sys.stderr, args.verbose)
    log.configuration(pyproject, root)
    cache = None
    show = None
    if stdin:
        data = sys.stdin.buffer.read()
        read = lambda _path: data  # noqa: E731 - the one "file" is standard input, read once
    else:
        read = None
        if not args.no_cache:
            warn = None if args.silent else (lambda message: print(f"mllint: {message}", file=sys.stderr))
            cache = CountingCache(ResultCache(root, settings, warn=warn))
        show = progress_bar() if sys.stderr.isatty() and len(files) > 20 and args.output_format in ("text", "full") \
            and not (args.silent or args.verbose) else None
    log.files(len(files), cache.folder if cache is not None else None)
    log.say(".gitignore respected in folders" if args.respect_gitignore else ".gitignore not respected")
    if threading.current_thread() is threading.main_thread():   # a terminated run still stops its workers
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    from .fix_command import FixOptions, FixSession, read_source
    fixing = FixSession(FixOptions.from_args(args), settings_for.__getitem__, read or read_source, stdin=stdin,
                        out=sys.stdout, err=sys.stderr)
    writer = OutputWriter(args.output_format, root=root, colour=use_colour(args.color, sys.stdout, os.environ),
                          out=fixing.findings_stream(sys.stdout, sys.stderr), err=sys.stderr,
                          show_source=args.show_source, statistics=args.statistics, quiet=args.quiet,
                          silent=args.silent)
    problems = False
    for report in iter_checks(files, settings, jobs=args.jobs or os.cpu_count() or 1, cache=cache, progress=show,
                              hard_limit=hard_limit, read=read, settings_for=settings_for.__getitem__):
        report = fixing.process(report)   # --fix / --diff rewrite it; text output marks fixable findings
        if show is not None and writer.pending_lines(report):
            show.clear()
        writer.add(report)
        log.checked(report, cached=cache is not None and report.path in cache.hit_paths)
        problems = problems or bool(report.findings or report.error)
    writer.finish(fixing.summary(writer.count), all_passed=not fixing.options.diff)
    fixing.finish(sys.stdout)
    log.finish()
    if cache is not None:
        cache.prune()
    return fixing.exit_status(0 if args.exit_zero or not problems else 1)


def _settings_of_files(files: Sequence[str], resolver: ConfigResolver, overrides: Overrides) -> dict[str, Settings]:
    """Each file's own settings (its configuration, then the flags), resolved before any analysis so
    that an invalid configuration anywhere stops the run (``ConfigError``)."""
    by_config: dict[str | None, Settings] = {}
    out: dict[str, Settings] = {}
    for path in files:
        resolved = resolver.for_path(path)
        if resolved.config_file not in by_config:
            by_config[resolved.config_file] = overrides(resolved.settings)
        out[path] = by_config[resolved.config_file]
    return out


def _show_settings(path: str, resolver: ConfigResolver, overrides: Overrides) -> int:
    import os

    from .check_command import DEFAULT_EXCLUDES
    from .show_settings import describe

    if not os.path.exists(path):
        print(f"mllint: no such file or folder: {path}", file=sys.stderr)
        return 2
    resolved = resolver.for_path(path)
    print(describe(path, resolved, overrides(resolved.settings), DEFAULT_EXCLUDES))
    return 0


def _rules(args: argparse.Namespace) -> int:
    from ..rules import all_rules

    for rule in all_rules():
        status = "" if rule.default_enabled else "  (off by default)"
        print(f"{rule.code}  {rule.name:<32} {rule.summary}{status}")
    return 0


def _rule(args: argparse.Namespace) -> int:
    from ..config_discovery import CONFIG_ERROR_CODE, CONFIG_ERROR_DOC
    from ..rules import rule_by_code

    rule = rule_by_code(args.code)
    if rule is None and args.code.upper() == CONFIG_ERROR_CODE:   # not a rule, but reported like one
        print(CONFIG_ERROR_DOC)
        return 0
    if rule is None:
        print(f"mllint: unknown rule {args.code!r} (see `mllint rules`)", file=sys.stderr)
        return 2
    print(rule.documentation())
    return 0


def _lsp(args: argparse.Namespace) -> int:
    from ..lsp_server.server import main as serve

    serve()
    return 0


def _docs(args: argparse.Namespace) -> int:
    import os

    from .docs import TABLE_START

    from .docs import write_readme_table

    from .docs import write_rule_docs

    readme = args.readme or "README.md"
    if args.readme is None:   # the default README is updated only when it has the table's markers
        try:
            with open(readme, encoding="utf-8") as handle:
                readme = readme if TABLE_START in handle.read() else None
        except OSError:
            readme = None
    for path in write_rule_docs(args.output):
        print(path)
    if readme is not None:
        try:
            if write_readme_table(readme, args.output):
                print(os.path.normpath(readme))
        except (OSError, ValueError) as exc:
            print(f"mllint: {readme}: cannot update the rules table: {exc}", file=sys.stderr)
            return 2
    return 0


CACHE_HINT = ".mllint_cache"


def _configuration_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="use the [tool.mllint] table of this TOML file for every file (no discovery)")
    parser.add_argument("--isolated", action="store_true", help="ignore all configuration files")


def _add_ruff_like_flags(check: argparse.ArgumentParser) -> None:
    """The output and discovery flags a ruff user expects (``ruff check --help``)."""
    check.epilog = ("exit status: 0 no findings, 1 findings or files that cannot be analysed "
                    "(E902 unreadable or missing, E999 syntax error), 2 usage or configuration error")
    check.add_argument("--extend-ignore", help="comma-separated rule codes or prefixes to skip in addition")
    check.add_argument("--statistics", action="store_true",
                       help="show a count per rule (code, name, documentation) instead of the findings")
    check.add_argument("--show-source", action="store_true",
                       help="show the source line of each finding (like --output-format full)")
    check.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false",
                       help="check files that .gitignore / .git/info/exclude exclude too")
    check.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                       help="colour text output (auto: on a terminal, unless NO_COLOR; FORCE_COLOR forces it)")
    loudness = check.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    loudness.add_argument("-s", "--silent", action="store_true",
                          help="print nothing (the exit status still says whether there were findings)")
    loudness.add_argument("-v", "--verbose", action="store_true",
                          help="log the configuration, each file checked and the timing on standard error")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mllint", description=__doc__)
    parser.add_argument("--version", action="version", version=f"mllint {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check files and folders (default: the current folder)")
    check.add_argument("paths", nargs="*", help="files or folders; - reads one file from standard input")
    check.add_argument("--output-format", choices=["text", "full", "json", "sarif", "github"], default="text",
                       help="text: one line per finding; full: text with the source line and a docs link")
    check.add_argument("--select", help="comma-separated rule codes or prefixes to run (replaces the config)")
    check.add_argument("--ignore", help="comma-separated rule codes or prefixes to skip")
    check.add_argument("--extend-select", help="rule codes or prefixes to run in addition (e.g. ML203)")
    check.add_argument("--per-file-ignores", action="append", metavar="GLOB:CODES",
                       help="ignore codes in files matching a glob, e.g. 'tests/*:ML1' (repeatable)")
    check.add_argument("--exclude", help="comma-separated globs replacing the default excludes")
    check.add_argument("--extend-exclude", help="comma-separated globs excluded in addition")
    check.add_argument("--stdin-filename", help="the name of the file read from standard input (with -)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: the CPU count)")
    check.add_argument("--no-cache", action="store_true", help=f"do not read or write {CACHE_HINT}")
    _configuration_flags(check)
    check.add_argument("--show-settings", metavar="FILE",
                       help="print the configuration file used for FILE (or none) and the resolved settings, then exit")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes and write the files (- : print the text)")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix / --diff, also apply the unsafe fixes")
    check.add_argument("--diff", action="store_true", help="print a diff of what --fix would change; write nothing")
    _add_ruff_like_flags(check)
    check.set_defaults(handler=_check)
    explain = sub.add_parser("explain", help="show the logical plan of a pandas / scikit-learn script or notebook")
    explain.add_argument("file", help="a .py or .ipynb file")
    explain.add_argument("--format", choices=["text", "json", "dot", "mermaid", "mlinspect", "svg", "png"],
                         default="text", help="svg and png need Graphviz's `dot` on PATH")
    explain.add_argument("--output", "-o", help="write to this file instead of standard output")
    _configuration_flags(explain)
    explain.add_argument("--findings", action=argparse.BooleanOptionalAction, default=None,
                         help="run the rules too: text lists the findings under the plan, pictures (dot, mermaid, "
                              "svg, png) mark the nodes they point at (the default; json and mlinspect never "
                              "show findings)")
    explain.set_defaults(handler=_explain)
    rules = sub.add_parser("rules", help="list every rule")
    rules.set_defaults(handler=_rules)
    rule = sub.add_parser("rule", help="show one rule's documentation")
    rule.add_argument("code", help="a rule code, e.g. ML101")
    rule.set_defaults(handler=_rule)
    lsp = sub.add_parser("lsp", help="run the language server on standard input/output")
    lsp.set_defaults(handler=_lsp)
    docs = sub.add_parser("docs", help="write one Markdown page per rule (docs/rules/) and the README's rules table")
    docs.add_argument("--output", default="docs/rules")
    docs.add_argument("--readme", default=None,
                      help="the README whose rules table (between rules-table markers) is regenerated "
                           "(default: README.md, when it has the markers)")
    docs.set_defaults(handler=_docs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
