"""Shared pytest fixtures."""
import pytest


@pytest.fixture(autouse=True)
def _private_cache_key_dir(tmp_path_factory, monkeypatch):
    """`mllint check` keeps its cache key in the user cache directory: never the real home's in tests."""
    monkeypatch.setenv("MLLINT_CACHE_KEY_DIR", str(tmp_path_factory.getbasetemp() / "mllint-cache-key"))
