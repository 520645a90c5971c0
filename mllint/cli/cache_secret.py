"""The per-user secret that authenticates ``mllint check`` cache entries.

Why: the cache lives inside the checked repository, and a repository can ship its own
``.mllint_cache`` with entries that say "no findings".  Each entry therefore carries an
HMAC-SHA256 made with a key only this user has.  The key is kept outside every analysed
tree, in the user cache directory (``$XDG_CACHE_HOME/mllint``, else ``~/.cache/mllint``;
``MLLINT_CACHE_KEY_DIR`` overrides it, for tests and unusual set-ups), in a 0700 folder and a
0600 file created with ``O_EXCL``.  When it cannot be had -- an unsafe folder, a file someone
else could have written, a read-only home -- the caller runs without a cache.
"""
from __future__ import annotations

import os
import secrets

from .safe_fs import UnsafeFolder

from .safe_fs import checked_folder

from .safe_fs import read_regular

from .safe_fs import write_file

KEY_DIR_ENV = "MLLINT_CACHE_KEY_DIR"
KEY_FILE = "cache-key"
KEY_BYTES = 32


class SecretUnavailable(OSError):
    """The cache key can be neither read nor created safely; the message says why."""


def key_folder() -> str:
    """Where the key lives: ``$MLLINT_CACHE_KEY_DIR``, ``$XDG_CACHE_HOME/mllint`` or ``~/.cache/mllint``."""
    explicit = os.environ.get(KEY_DIR_ENV)
    if explicit:
        return os.path.abspath(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):    # the XDG specification: relative values are ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mllint")


def load_secret(folder: str | None = None) -> bytes:
    """The user's cache key, created on first use; :class:`SecretUnavailable` when that is not safe."""
    folder = folder or key_folder()
    try:
        os.makedirs(os.path.dirname(folder), mode=0o700, exist_ok=True)
        checked_folder(folder, create=True, mode=0o700, private=True)
    except UnsafeFolder as exc:
        raise SecretUnavailable(str(exc)) from None
    except OSError as exc:
        raise SecretUnavailable(f"cannot create {folder}: {exc.strerror or exc}") from None
    path = os.path.join(folder, KEY_FILE)
    if not os.path.lexists(path):
        try:
            write_file(folder, KEY_FILE, secrets.token_bytes(KEY_BYTES), mode=0o600, overwrite=False)
        except FileExistsError:    # another run made it first: use theirs
            pass
        except OSError as exc:
            raise SecretUnavailable(f"cannot create {path}: {exc.strerror or exc}") from None
    found = read_regular(path, KEY_BYTES, private=True)
    if found is None or len(found[0]) != KEY_BYTES:
        raise SecretUnavailable(f"{path} is not a {KEY_BYTES}-byte file private to the current user")
    return found[0]
