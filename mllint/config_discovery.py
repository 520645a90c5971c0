"""Which ``[tool.mllint]`` applies to a file: one resolver, used by every surface.

As ruff does it: the configuration of a file is the nearest ``pyproject.toml`` at or above
the file's folder that *has* a ``[tool.mllint]`` table (one without the table is passed
over), up to the filesystem root.  ``mllint check``, ``mllint explain``, the flake8
plugin and the language server all ask :class:`ConfigResolver`, so the same file gets the
same settings wherever it is checked.  A pyproject.toml on the way that cannot be read or
parsed is an error naming it (it may hold the table).

Two fixed strategies replace discovery: ``--config FILE`` (that file's table for every
file) and ``--isolated`` (no configuration file at all).

Answers are cached per folder (and each file's settings per modification time), so a
run over thousands of files parses each pyproject.toml once; a long-lived process (the
language server) calls :meth:`ConfigResolver.clear` when a pyproject.toml changes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .settings import CodesProvider, ConfigError, Settings, read_mllint_table, settings_from_table

#: The code the flake8 plugin and the language server report an invalid configuration under
#: (a finding on line 1 of every file under it), so that a broken ``[tool.mllint]`` fails the run.
CONFIG_ERROR_CODE = "ML001"
CONFIG_ERROR_DOC = f"""\
# {CONFIG_ERROR_CODE}: invalid mllint configuration

Not a rule: the flake8 plugin and the language server report an invalid `[tool.mllint]`
table (an unknown key, a value of the wrong type, a code that is not an mllint rule, a
pyproject.toml that is not valid TOML) as {CONFIG_ERROR_CODE} on line 1 of every file under
that configuration, naming the file and the key, instead of checking those files with
settings the user did not write.  `mllint check` and `mllint explain` print the same
message and exit with status 2.  Fix the configuration: until then those files are not checked."""

PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class ResolvedConfig:
    """The settings of a file and where they come from (``config_file`` None: the defaults)."""

    settings: Settings
    config_file: str | None = None


class ConfigResolver:
    """Settings per file: hierarchical discovery, or a fixed ``config_file``, or none (``isolated``).

    ``rule_codes`` gives the known rule codes (``mllint.rules.rule_codes``) to check select /
    ignore entries; it is called only when a table has such entries.  Every method raises
    :class:`ConfigError` (one line, naming the file and the key) for an invalid configuration.
    """

    def __init__(self, rule_codes: CodesProvider, *, config_file: str | None = None, isolated: bool = False) -> None:
        if config_file is not None and isolated:
            raise ConfigError("--config and --isolated cannot be used together")
        self._rule_codes = rule_codes
        self.config_file = os.path.abspath(config_file) if config_file is not None else None
        self.isolated = isolated
        self._folders: dict[str, str | None | ConfigError] = {}    # folder -> its config file (or the error)
        self._settings: dict[str, tuple[float, Settings]] = {}      # config file -> (mtime, settings)

    def clear(self) -> None:
        """Forget what was found (a pyproject.toml was created, edited or deleted)."""
        self._folders.clear()
        self._settings.clear()

    def for_path(self, path: str) -> ResolvedConfig:
        """The configuration of a file (from its folder) or of a folder (from itself)."""
        absolute = os.path.abspath(path)
        return self.for_folder(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))

    def for_folder(self, folder: str) -> ResolvedConfig:
        """The configuration of the files directly in ``folder``."""
        if self.isolated:
            return ResolvedConfig(Settings())
        if self.config_file is not None:
            return ResolvedConfig(self._load(self.config_file, required=True), self.config_file)
        found = self._find(os.path.abspath(folder))
        if found is None:
            return ResolvedConfig(Settings())
        return ResolvedConfig(self._load(found, required=False), found)

    def _find(self, folder: str) -> str | None:
        """The nearest pyproject.toml with a ``[tool.mllint]`` table at or above ``folder`` (memoised per folder)."""
        visited: list[str] = []
        current = folder
        found: str | None | ConfigError = None
        while True:
            if current in self._folders:
                found = self._folders[current]
                break
            visited.append(current)
            candidate = os.path.join(current, PYPROJECT)
            if os.path.isfile(candidate):
                try:
                    if read_mllint_table(candidate) is not None:
                        found = candidate
                        break
                except ConfigError as exc:
                    found = exc
                    break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for item in visited:
            self._folders[item] = found
        if isinstance(found, ConfigError):
            raise found
        return found

    def _load(self, path: str, *, required: bool) -> Settings:
        try:
            mtime = os.path.getmtime(path)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
        known = self._settings.get(path)
        if known is not None and known[0] == mtime:
            return known[1]
        table = read_mllint_table(path)
        if table is None:
            if required:
                raise ConfigError(f"{path}: no [tool.mllint] table")
            table = {}
        settings = settings_from_table(table, path, rule_codes=self._rule_codes)
        settings = settings.with_overrides(project_root=os.path.dirname(path))   # per-file-ignores are relative to it
        self._settings[path] = (mtime, settings)
        return settings


def load_settings(start: str | None = None, *, rule_codes: CodesProvider) -> Settings:
    """Settings for files in the folder ``start``: the nearest pyproject.toml at or above it that has a
    ``[tool.mllint]`` table (defaults without one), as every surface finds it
    (:class:`ConfigResolver`)."""
    return ConfigResolver(rule_codes).for_folder(start or os.getcwd()).settings
