"""Imported by the analysis workers' forkserver only (``set_forkserver_preload``).

The forkserver (and every worker forked from it) inherited the server's standard streams,
and stdout is the protocol: whatever a worker might print goes to stderr instead, and
nothing in a worker can read the client's bytes from stdin.  Then the tables are warmed
once, for every worker to inherit, and the forkserver starts watching the server.
"""
import os
import sys

_devnull = os.open(os.devnull, os.O_RDONLY)
os.dup2(_devnull, 0)
os.close(_devnull)
os.dup2(2, 1)
sys.stdout = sys.stderr

# A forked worker "prepares" itself by re-running the server's main module as __mp_main__
# (multiprocessing does so unless it is a package's __main__).  Started from a script or a
# bootstrap (``mllint lsp``, an editor's launcher), that would run the script again inside
# every worker.  Workers need nothing from it: jobs are functions of worker.py.
import multiprocessing.spawn  # noqa: E402

multiprocessing.spawn._fixup_main_from_path = lambda main_path: None
multiprocessing.spawn._fixup_main_from_name = lambda mod_name: None

from .worker import exit_with_parent, warm  # noqa: E402  (after the streams are safe)

warm()
exit_with_parent()     # the forkserver goes when the server goes; its workers follow it
