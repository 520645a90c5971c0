"""Shared pytest fixtures."""
import pytest


@pytest.fixture(autouse=True)
def _private_cache_key_dir(tmp_path_factory, monkeypatch):
    """`mllint check` keeps its cache key in the user cache directory: never the real home's in tests."""
    monkeypatch.setenv("MLLINT_CACHE_KEY_DIR", str(tmp_path_factory.getbasetemp() / "mllint-cache-key"))


@pytest.fixture()
def project(tmp_path):
    """An empty project: a pyproject.toml without [tool.mllint] stops the upward configuration search
    (a test module that needs more defines its own ``project``)."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n", encoding="utf-8")
    return tmp_path


def pytest_addoption(parser):
    """``--update-golden``: rewrite the expected sections of failing golden cases (tests/test_golden.py)."""
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the [out]/[findings] sections of failing tests/golden/*.test cases in place")
