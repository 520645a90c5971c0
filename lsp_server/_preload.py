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

from .worker import exit_with_parent, warm  # noqa: E402  (after the streams are safe)

warm()
exit_with_parent()     # the forkserver goes when the server goes; its workers follow it
