"""flake8 plugin: entry point ``ML`` in group ``flake8.extension``.

It analyses the ``lines`` flake8 hands over (stdin and unsaved buffers
included; the file is never re-read), runs every rule and lets flake8 do the
selecting, ``# noqa`` and ``--per-file-ignores``.  A rule off by default
(``default_enabled = False``, e.g. ML203) is default-ignored (``extend_default_ignore``)
and, because ``--select=ML`` would re-enable a default-ignored code, it is also only
reported when selected explicitly: by its code or a prefix longer than "ML" (ML203,
ML20, ML2).  Each file's ``[tool.mllint]`` is found as ``mllint check`` finds it
(:mod:`mllint.config_discovery`: the nearest pyproject.toml with the table, from the file's
folder; from the working folder for unnamed standard input).  An invalid one is reported as
``ML001`` on line 1 of every file under it (and once on stderr), so that the run fails
instead of passing with nothing checked.  Nothing raises into flake8.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Iterator

from . import __version__
from .settings import explicit_selection

_OPTIONS: dict[str, Any] = {}
_REPORTED: set[str] = set()
_RESOLVER: list[Any] = []     # the process's ConfigResolver, made on first use (each -j worker has its own)


def _resolver():
    if not _RESOLVER:
        from .config_discovery import ConfigResolver
        from .rules import rule_codes

        _RESOLVER.append(ConfigResolver(rule_codes))
    return _RESOLVER[0]


def _off_by_default() -> frozenset[str]:
    """From the rules' ``default_enabled``; imported here, not at module level, so that importing
    the plugin module stays cheap (the rules pull in the engine)."""
    from .rules import off_by_default

    return off_by_default()


class MLLintChecker:
    name = "mllint"
    version = __version__

    def __init__(self, tree: Any, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, parser: Any) -> None:
        parser.add_option("--ml-sensitive-columns", parse_from_config=True, comma_separated_list=True,
                          default=None, help="mllint: sensitive column terms (replace the defaults)")
        parser.add_option("--ml-extend-sensitive-columns", parse_from_config=True, comma_separated_list=True,
                          default=None, help="mllint: sensitive column terms added to the defaults")
        parser.add_option("--ml-sensitive-match", parse_from_config=True, default=None,
                          choices=["tokens", "exact"], help="mllint: match terms to name tokens (default) or whole names")
        parser.extend_default_ignore(sorted(_off_by_default()))

    @classmethod
    def parse_options(cls, options: Any) -> None:
        _OPTIONS.clear()
        _OPTIONS["sensitive"] = options.ml_sensitive_columns
        _OPTIONS["extend_sensitive"] = options.ml_extend_sensitive_columns
        _OPTIONS["match"] = options.ml_sensitive_match
        explicit = list(getattr(options, "select", None) or []) + list(getattr(options, "extend_select", None) or [])
        _OPTIONS["explicit"] = frozenset(code for code in _off_by_default() if explicit_selection(code, explicit))

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        from .config_discovery import CONFIG_ERROR_CODE
        from .settings import ConfigError

        try:
            findings = self._findings()
        except ConfigError as exc:   # the file's configuration is invalid: a finding that fails the run
            if str(exc) not in _REPORTED:   # on stderr once per run, not once per file
                _REPORTED.add(str(exc))
                print(f"mllint: {exc}", file=sys.stderr)
            yield 1, 0, f"{CONFIG_ERROR_CODE} invalid mllint configuration: {exc}", type(self)
            return
        except Exception as exc:   # never take flake8 down; say it once, on stderr
            print(f"mllint: {self.filename}: internal error ({type(exc).__name__}: {exc})", file=sys.stderr)
            return
        for finding in findings:
            yield finding.span.start_line, finding.span.start_col, f"{finding.code} {finding.message}", type(self)

    def _findings(self):
        from .checker import check_analysis
        from .engine.analysis import analyze
        from .rules import all_rules
        from .settings import sensitive_terms

        start = os.path.dirname(os.path.abspath(self.filename)) if self.filename not in ("-", "stdin") \
            else os.getcwd()
        settings = _resolver().for_folder(start).settings   # ConfigError: reported by run()
        if _OPTIONS.get("sensitive") is not None or _OPTIONS.get("extend_sensitive") or _OPTIONS.get("match"):
            exact = (_OPTIONS.get("match") or ("exact" if settings.sensitive.exact else "tokens")) == "exact"
            base = _OPTIONS.get("sensitive") if _OPTIONS.get("sensitive") is not None else settings.sensitive.terms
            settings = settings.with_overrides(sensitive=sensitive_terms(base, _OPTIONS.get("extend_sensitive"), exact))
        text = "".join(self.lines)
        path = self.filename if self.filename not in ("-", "stdin") else None
        analysis = analyze(text, path=path, config=settings.engine_config())
        problems = [n for n in analysis.notes if "budget" in n or "internal error" in n]
        if analysis.error and not analysis.error.startswith("syntax error"):   # flake8 reports E999 itself
            problems.append(analysis.error)
        for problem in problems[:1]:   # one line per file, on stderr: flake8 codes must start with ML
            print(f"mllint: {self.filename}: {problem}", file=sys.stderr)
        findings = check_analysis(analysis, settings, every_rule=True)
        rules = {rule.code: rule for rule in all_rules()}
        # an off-by-default rule: reported when flake8's or [tool.mllint]'s selection names it explicitly
        wanted = {code for code, rule in rules.items() if not rule.default_enabled
                  and (code in _OPTIONS.get("explicit", frozenset()) or settings.enabled(rule))}
        selected_by_config = bool(settings.select or settings.ignore)

        def reported(code: str) -> bool:
            if not rules[code].default_enabled:
                return code in wanted
            return not selected_by_config or settings.enabled(rules[code])

        return [f for f in findings if reported(f.code)]
