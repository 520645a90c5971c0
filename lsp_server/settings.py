"""Editor settings (initializationOptions, workspace/configuration, didChangeConfiguration) over pyproject."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from mllint.settings import Settings, sensitive_terms

_SEVERITIES = {
    "error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information, "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


@dataclass
class EditorSettings:
    """The ``mllint`` section of the client's settings (all optional)."""

    enable: bool = True
    severity: dict[str, str] = field(default_factory=dict)
    sensitive_columns: list[str] | None = None
    extend_sensitive_columns: list[str] = field(default_factory=list)
    select: list[str] | None = None
    ignore: list[str] | None = None

    @staticmethod
    def from_client(raw: Any) -> "EditorSettings":
        """Tolerant parsing: a wrong type for one key keeps its default instead of failing."""
        if isinstance(raw, dict) and isinstance(raw.get("mllint"), dict):
            raw = raw["mllint"]
        if not isinstance(raw, dict):
            return EditorSettings()

        def strings(key: str) -> list[str] | None:
            value = raw.get(key)
            return [str(v) for v in value] if isinstance(value, list) else None

        severity = raw.get("severity")
        return EditorSettings(
            enable=bool(raw.get("enable", True)),
            severity={str(k).upper(): str(v).lower() for k, v in severity.items()} if isinstance(severity, dict) else {},
            sensitive_columns=strings("sensitiveColumns"),
            extend_sensitive_columns=strings("extendSensitiveColumns") or [],
            select=strings("select"),
            ignore=strings("ignore"),
        )

    def apply(self, base: Settings) -> Settings:
        settings = base
        if self.sensitive_columns is not None or self.extend_sensitive_columns:
            terms = self.sensitive_columns if self.sensitive_columns is not None else base.sensitive.terms
            settings = settings.with_overrides(
                sensitive=sensitive_terms(terms, self.extend_sensitive_columns, base.sensitive.exact))
        if self.select is not None:
            settings = settings.with_overrides(select=tuple(self.select))
        if self.ignore is not None:
            settings = settings.with_overrides(ignore=tuple(self.ignore))
        return settings

    def severity_for(self, code: str, default: str) -> types.DiagnosticSeverity:
        best = max((k for k in self.severity if code.startswith(k)), key=len, default=None)
        level = self.severity[best] if best is not None else default
        return _SEVERITIES.get(level, types.DiagnosticSeverity.Warning)


def _rule_codes() -> tuple[str, ...]:
    """Discovery loads the rules (and the engine): only when a selection in pyproject.toml is to be checked."""
    from mllint.rules import rule_codes

    return rule_codes()


def make_resolver():
    """The server's configuration resolver: the same discovery as ``mllint check`` and flake8."""
    from mllint.config_discovery import ConfigResolver

    return ConfigResolver(_rule_codes)
