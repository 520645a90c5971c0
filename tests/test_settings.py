"""Unit tests of mllint.settings (selection, pyproject discovery, errors) and mllint.sensitive."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from mllint.engine.config import Config
from mllint.sensitive import DEFAULT_TERMS, SensitiveTerms, tokens
from dataclasses import dataclass

from mllint.rules import all_rules, off_by_default, rule_by_code, rule_codes
from mllint.config_discovery import load_settings
from mllint.settings import ConfigError, Settings, check_codes, find_pyproject, sensitive_terms
from mllint.settings import settings_from_table as _settings_from_table

RULES = all_rules()
ALL = rule_codes()
ON = [rule.code for rule in RULES if rule.default_enabled]
ML203 = rule_by_code("ML203")


def enabled(settings: Settings) -> list[str]:
    return [rule.code for rule in RULES if settings.enabled(rule)]


def rule(code: str):
    found = rule_by_code(code)
    assert found is not None, code
    return found


def settings_from_table(table: dict, origin: str = "pyproject.toml") -> Settings:
    return _settings_from_table(table, origin, rule_codes=rule_codes)


def load(folder) -> Settings:
    return load_settings(str(folder), rule_codes=rule_codes)


@dataclass(frozen=True)
class FakeRule:
    """A stand-in for a rule the project does not have: selection must treat it like any other."""

    code: str
    default_enabled: bool = True


# --- selection ------------------------------------------------------------------------------------

def test_defaults_enable_the_rules_on_by_default():
    assert "ML203" in off_by_default() and not ML203.default_enabled
    assert off_by_default() == frozenset(ALL) - frozenset(ON)
    assert enabled(Settings()) == ON


def test_select_ml_does_not_enable_rules_off_by_default():
    assert enabled(Settings(select=("ML",))) == ON
    assert not Settings(extend_select=("ML",)).enabled(ML203)


def test_a_second_rule_off_by_default_is_selected_like_ml203():
    fake = FakeRule("ML105", default_enabled=False)
    assert not Settings().enabled(fake)
    assert not Settings(select=("ML",)).enabled(fake)
    assert not Settings(select=("ML2",)).enabled(fake)
    for explicit in ("ML1", "ML10", "ML105"):
        assert Settings(select=(explicit,)).enabled(fake)
        assert Settings(extend_select=(explicit,)).enabled(fake)
    assert not Settings(select=("ML1",), ignore=("ML105",)).enabled(fake)
    assert Settings().enabled(FakeRule("ML105"))


@pytest.mark.parametrize("select", [("ML2",), ("ML20",), ("ML203",)])
def test_ml203_needs_an_explicit_selection_longer_than_ml(select):
    assert Settings(select=select).enabled(ML203)
    assert Settings(extend_select=select).enabled(ML203)


def test_ml203_is_not_enabled_by_a_sibling_code():
    assert not Settings(select=("ML201",)).enabled(ML203)
    assert not Settings(select=("ML1",)).enabled(ML203)


def test_select_prefix():
    assert enabled(Settings(select=("ML1",))) == [c for c in ALL if c.startswith("ML1")]
    assert enabled(Settings(select=("ML101", "ML3"))) == ["ML101"] + [c for c in ALL if c.startswith("ML3")]


def test_ignore_prefix():
    assert enabled(Settings(ignore=("ML2",))) == [c for c in ON if not c.startswith("ML2")]
    assert enabled(Settings(ignore=("ML101", "ML30"))) == [c for c in ON if c != "ML101" and not c.startswith("ML30")]


def test_extend_select_adds_to_select():
    assert enabled(Settings(select=("ML1",), extend_select=("ML201",))) == [c for c in ALL if c.startswith("ML1")] \
        + ["ML201"]
    # without select, extend-select keeps the defaults
    assert enabled(Settings(extend_select=("ML201",))) == ON


def test_most_specific_entry_wins():
    assert enabled(Settings(select=("ML201",), ignore=("ML2",))) == ["ML201"]
    assert enabled(Settings(select=("ML2",), ignore=("ML201",))) == [c for c in ALL if c.startswith("ML2")
                                                                     and c != "ML201"]
    assert enabled(Settings(select=("ML",), ignore=("ML1",))) == [c for c in ON if not c.startswith("ML1")]
    assert enabled(Settings(ignore=("ML1",), extend_select=("ML104",))) == ["ML104"] + [
        c for c in ON if not c.startswith("ML1")]


def test_ml203_most_specific_entry_wins():
    assert Settings(select=("ML203",), ignore=("ML2",)).enabled(ML203)
    assert not Settings(select=("ML2",), ignore=("ML203",)).enabled(ML203)
    assert not Settings(select=("ML2",), ignore=("ML20",)).enabled(ML203)
    assert not Settings(extend_select=("ML203",), ignore=("ML203",)).enabled(ML203)


def test_with_overrides_skips_none_and_engine_config():
    base = Settings(select=("ML1",), data_headers=False, project_root="/p")
    assert base.with_overrides(select=None, ignore=("ML102",)) == Settings(select=("ML1",), ignore=("ML102",),
                                                                           data_headers=False, project_root="/p")
    assert base.engine_config() == Config(data_headers=False)
    assert Settings().engine_config() == Config()


# --- [tool.mllint] tables -------------------------------------------------------------------------

def test_settings_from_table_reads_every_key():
    s = settings_from_table({
        "select": ["ML1", "ML201"], "ignore": ["ML104"], "extend-select": ["ML203"],
        "sensitive-columns": ["income"], "extend-sensitive-columns": ["zip_code"], "sensitive-match": "exact",
        "data-headers": False, "per-file-ignores": {"tests/*.py": ["ML1"]}, "exclude": ["build"],
        "extend-exclude": ["notebooks"],
    })
    assert s.select == ("ML1", "ML201") and s.ignore == ("ML104",) and s.extend_select == ("ML203",)
    assert s.sensitive == SensitiveTerms(("income", "zip_code"), True)
    assert s.data_headers is False
    assert s.per_file_ignores == (("tests/*.py", ("ML1",)),)
    assert s.exclude == ("build",) and s.extend_exclude == ("notebooks",)


def test_empty_table_is_the_defaults():
    assert settings_from_table({}) == Settings()


@pytest.mark.parametrize("table, words", [
    ({"bogus": 1}, ["unknown key", "'bogus'"]),
    ({"select": "ML1"}, ["select", "list of strings"]),
    ({"ignore": ["ML1", 2]}, ["ignore", "list of strings"]),
    ({"sensitive-columns": "age"}, ["sensitive-columns", "list of strings"]),
    ({"extend-select": ["E501"]}, ["extend-select", "'E501'", "not an mllint rule code"]),
    ({"select": ["MLX"]}, ["select", "'MLX'"]),
    ({"sensitive-match": "fuzzy"}, ["sensitive-match"]),
    ({"data-headers": "yes"}, ["data-headers"]),
    ({"per-file-ignores": {"a.py": "ML1"}}, ["per-file-ignores"]),
    ({"per-file-ignores": ["a.py:ML1"]}, ["per-file-ignores"]),
])
def test_errors_name_the_key(table, words):
    with pytest.raises(ConfigError) as info:
        settings_from_table(table, "/p/pyproject.toml")
    message = str(info.value)
    assert "/p/pyproject.toml" in message   # the file, then the key
    assert "\n" not in message
    for word in words:
        assert word in message


def test_ml_prefix_alone_is_a_valid_code():
    assert settings_from_table({"select": ["ML"]}).select == ("ML",)


def test_codes_are_checked_against_the_codes_passed_in():
    assert _settings_from_table({"select": ["ML9"]}, rule_codes=lambda: ("ML901",)).select == ("ML9",)
    with pytest.raises(ConfigError, match="'ML101'"):
        _settings_from_table({"ignore": ["ML101"]}, rule_codes=lambda: ("ML901",))
    with pytest.raises(ValueError, match="a command-line option: 'ML2'"):
        check_codes(["ML1", "ML2"], "a command-line option", ("ML101",))


def test_rule_codes_are_asked_for_only_when_there_are_entries():
    def unexpected():
        raise AssertionError("rule codes asked for without select / ignore entries")

    assert _settings_from_table({"select": [], "sensitive-columns": ["age"]}, rule_codes=unexpected).select == ()


# --- pyproject discovery --------------------------------------------------------------------------

def test_find_pyproject_nearest_at_or_above(tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("")
    assert find_pyproject(str(deep)) == str(tmp_path / "pyproject.toml")
    (tmp_path / "a" / "pyproject.toml").write_text("")
    assert find_pyproject(str(deep)) == str(tmp_path / "a" / "pyproject.toml")
    assert find_pyproject(str(tmp_path / "a")) == str(tmp_path / "a" / "pyproject.toml")
    assert find_pyproject(str(tmp_path)) == str(tmp_path / "pyproject.toml")


def test_find_pyproject_ignores_a_folder_named_pyproject_toml(tmp_path):
    (tmp_path / "x" / "pyproject.toml").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("")
    assert find_pyproject(str(tmp_path / "x")) == str(tmp_path / "pyproject.toml")


def test_load_settings_without_pyproject_is_the_defaults(tmp_path):
    if find_pyproject(str(tmp_path)) is not None:
        pytest.skip("a pyproject.toml above the temporary folder")
    assert load(tmp_path) == Settings()


def test_load_settings_without_a_tool_mllint_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.black]\nline-length = 99\n')
    assert load(tmp_path) == Settings()


def test_load_settings_reads_tool_mllint(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mllint]\nignore = ["ML2"]\nextend-sensitive-columns = ["zip_code"]\n')
    s = load(tmp_path / "sub")
    assert s.ignore == ("ML2",)
    assert s.sensitive.terms == DEFAULT_TERMS + ("zip_code",)
    assert not s.enabled(rule("ML201")) and s.enabled(rule("ML101"))


def test_load_settings_sees_an_edited_file(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.mllint]\nignore = ["ML2"]\n')
    assert load(tmp_path).ignore == ("ML2",)
    path.write_text('[tool.mllint]\nignore = ["ML3"]\n')
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000_000))
    assert load(tmp_path).ignore == ("ML3",)


def test_load_settings_errors_name_the_file(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.mllint]\nbogus = true\n")
    with pytest.raises(ConfigError, match=r"unknown key 'bogus' in \[tool\.mllint\] of .*pyproject\.toml"):
        load(tmp_path)
    assert str(path) in _error(tmp_path)


def test_load_settings_broken_toml(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.mllint\nselect = [\n")
    message = _error(tmp_path)
    assert "cannot read" in message and "pyproject.toml" in message


def test_load_settings_tool_mllint_not_a_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool]\nmllint = 3\n")
    assert "[tool.mllint] must be a table" in _error(tmp_path)


def _error(folder: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load(folder)
    return str(info.value)


# --- sensitive terms ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("age_group", ("age", "group")),
    ("Sex_male", ("sex", "male")),
    ("MaritalStatus", ("marital", "status")),
    ("native-country", ("native", "country")),
    ("native country.of birth", ("native", "country", "of", "birth")),
    ("HTTPServer", ("http", "server")),
    ("__x__", ("x",)),
])
def test_tokens(name, expected):
    assert tokens(name) == expected


@pytest.mark.parametrize("name, term", [
    ("age", "age"), ("Age", "age"), ("age_group", "age"), ("AgeGroup", "age"), ("Sex_male", "sex"),
    ("MaritalStatus", "marital status"), ("marital-status", "marital status"), ("native-country", "native country"),
    ("NativeCountryCode", "native country"), ("race", "race"), ("countryOfBirth", "country of birth"),
    ("page", None), ("mileage", None), ("usage", None), ("country", None), ("status", None), ("sexton", None),
    ("marital", None), ("income", None),
])
def test_default_terms_match_tokens(name, term):
    assert SensitiveTerms().term_for(name) == term
    assert SensitiveTerms().matches(name) is (term is not None)


def test_exact_matching_compares_whole_names():
    terms = SensitiveTerms(("age", "marital status"), exact=True)
    assert terms.matches("Age")
    assert terms.matches("Marital Status")
    assert not terms.matches("age_group")
    assert not terms.matches("MaritalStatus")


def test_select_returns_sorted_unique_matches():
    assert SensitiveTerms().select(["race", "income", "age_group", "race", "page"]) == ["age_group", "race"]


def test_sensitive_terms_replace_and_extend():
    assert sensitive_terms(None, None) == SensitiveTerms(DEFAULT_TERMS, False)
    assert sensitive_terms(["income"], None).terms == ("income",)
    assert sensitive_terms(None, ["zip_code", "age"]).terms == DEFAULT_TERMS + ("zip_code",)
    assert sensitive_terms([" income ", "", "zip"], [" zip ", "region"], exact=True) == \
        SensitiveTerms(("income", "zip", "region"), True)
    replaced = sensitive_terms(["income"], None)
    assert replaced.matches("income_band") and not replaced.matches("age")


def test_empty_replacement_list_means_no_sensitive_columns():
    assert sensitive_terms([], None).terms == ()
    assert not sensitive_terms([], None).matches("age")


# --- did you mean ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key, suggestion", [
    ("sensitive-column", "sensitive-columns"),
    ("per_file_ignores", "per-file-ignores"),
    ("extend_select", "extend-select"),
    ("data-header", "data-headers"),
])
def test_an_unknown_key_names_the_closest_valid_one(key, suggestion):
    with pytest.raises(ConfigError) as info:
        settings_from_table({key: []}, "/x/pyproject.toml")
    assert str(info.value) == (f"unknown key {key!r} in [tool.mllint] of /x/pyproject.toml; "
                               f"did you mean {suggestion!r}?")


def test_an_unknown_key_far_from_every_valid_one_gets_no_suggestion():
    with pytest.raises(ConfigError) as info:
        settings_from_table({"line-length": 99}, "/x/pyproject.toml")
    assert str(info.value) == "unknown key 'line-length' in [tool.mllint] of /x/pyproject.toml"


def test_a_mistyped_code_names_the_closest_rule():
    with pytest.raises(ConfigError, match=r"'ML1O1' is not an mllint rule code.*; did you mean 'ML101'\?$"):
        settings_from_table({"select": ["ML1O1"]}, "/x/pyproject.toml")
    with pytest.raises(ValueError) as info:
        check_codes(["E501"], "a command-line option", ALL)
    assert "did you mean" not in str(info.value)


def test_load_settings_passes_over_a_pyproject_without_the_table(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.mllint]\nignore = ["ML2"]\n')
    (tmp_path / "pkg" / "pyproject.toml").write_text('[project]\nname = "pkg"\n')
    settings = load(tmp_path / "pkg")
    assert settings.ignore == ("ML2",) and settings.project_root == str(tmp_path)
