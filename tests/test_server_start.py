"""The VS Code client starts the server so that no workspace module can be imported, on every Python.

The command comes from ``vscode-client/src/server-launch.json``, the file the TypeScript client
builds its command from (its mocha tests pin that).  Each test starts the real server with that
command in a hostile workspace, as the worst case: cwd = the workspace, ``PYTHONPATH`` pointing
into it, and sentinel copies of modules the server imports (``networkx.py``, ``pygls.py``,
``libcst.py``, a fake ``mllint`` package...) that leave a mark when they run.  It runs an LSP
exchange that makes the server analyse a file (so lazy imports happen too) and shut down, and
then no mark may exist.  Python 3.10 matters most: it ignores ``PYTHONSAFEPATH``, which is what
the client relied on before.
"""
from __future__ import annotations

import glob
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAUNCH = json.loads((ROOT / "vscode-client" / "src" / "server-launch.json").read_text(encoding="utf-8"))
SENTINELS = ("networkx", "pygls", "libcst", "lsprotocol", "cattrs", "attrs", "tomli", "tomllib")
TIMEOUT = 60.0
LEAKY = """import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

df = pd.read_csv("data.csv")
X = StandardScaler().fit_transform(df.drop(columns=["y"]))
X_train, X_test, y_train, y_test = train_test_split(X, df["y"])
print(LogisticRegression().fit(X_train, y_train).score(X_test, y_test))
"""


def client_command(python: str) -> list[str]:
    """The command the VS Code client runs: ``[python, *interpreterFlags, "-m", module]``."""
    return [python, *LAUNCH["interpreterFlags"], "-m", LAUNCH["module"]]


def hostile_workspace(tmp_path: Path) -> tuple[Path, Path]:
    """A workspace whose modules shadow the server's imports; each one appends its name to ``marks``."""
    workspace = tmp_path / "workspace"
    marks = tmp_path / "imported"
    (workspace / "mllint").mkdir(parents=True)
    for name in SENTINELS:
        (workspace / f"{name}.py").write_text(f"open({str(marks)!r}, 'a').write({name!r} + '\\n')\n")
    (workspace / "mllint" / "__init__.py").write_text(f"open({str(marks)!r}, 'a').write('mllint\\n')\n")
    (workspace / "sitecustomize.py").write_text(f"open({str(marks)!r}, 'a').write('sitecustomize\\n')\n")
    (workspace / "leaky.py").write_text(LEAKY)
    return workspace, marks


def hostile_environment(workspace: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONSAFEPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = os.pathsep.join([str(workspace), "."])
    return env


class Server:
    """The server as a child process, spoken to with LSP frames on its stdin / stdout."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], log: Path) -> None:
        self.log = log.open("wb")
        self.process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log)
        self.inbox: queue.Queue[dict | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.inbox.put(json.loads(stream.read(length or 0)))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def wait_for(self, wanted: Callable[[dict], bool]) -> dict:
        while True:
            try:
                message = self.inbox.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no answer from the server in {TIMEOUT} s") from None
            if message is None:
                raise AssertionError("the server closed its output")
            if "method" in message and "id" in message:      # a request to the client: answer it plainly
                self.send({"id": message["id"], "result": None})
            if wanted(message):
                return message

    def request(self, ident: int, method: str, params: Any) -> dict:
        self.send({"id": ident, "method": method, "params": params})
        return self.wait_for(lambda m: m.get("id") == ident and "method" not in m)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        self.log.close()


def exchange(command: list[str], workspace: Path, env: dict[str, str], log: Path) -> None:
    """initialize -> didOpen of a leaky script -> its ML101 pushed -> shutdown -> exit (code 0)."""
    server = Server(command, workspace, env, log)
    try:
        uri = (workspace / "leaky.py").as_uri()
        init = server.request(1, "initialize", {"processId": os.getpid(), "rootUri": workspace.as_uri(),
                                                "capabilities": {}})
        assert "capabilities" in init.get("result", {}), init
        server.send({"method": "initialized", "params": {}})
        server.send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": LEAKY}}})
        published = server.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                    and m["params"]["uri"] == uri and m["params"]["diagnostics"])
        assert any(d.get("code") == "ML101" for d in published["params"]["diagnostics"]), published
        assert "result" in server.request(2, "shutdown", None)
        server.send({"method": "exit"})
        assert server.process.wait(timeout=TIMEOUT) == 0
    except AssertionError as exc:
        server.close()
        raise AssertionError(f"{exc}\n--- server stderr ---\n{log.read_text(errors='replace')[-3000:]}") from None
    server.close()


def marks_of(marks: Path) -> list[str]:
    return marks.read_text().split() if marks.exists() else []


def test_the_launch_file_is_isolated_mode():
    assert LAUNCH["module"] == "mllint.lsp_server"
    assert "-I" in LAUNCH["interpreterFlags"]


def test_the_sentinels_run_when_the_workspace_is_on_sys_path(tmp_path):
    """The fixture can fail: a plain import from the workspace leaves its mark."""
    workspace, marks = hostile_workspace(tmp_path)
    subprocess.run([sys.executable, "-c", "import networkx"], cwd=workspace, env=hostile_environment(workspace),
                   check=True, timeout=TIMEOUT)
    assert "networkx" in marks_of(marks)


def test_server_started_as_the_client_does_imports_nothing_from_the_workspace(tmp_path):
    workspace, marks = hostile_workspace(tmp_path)
    exchange(client_command(sys.executable), workspace, hostile_environment(workspace), tmp_path / "stderr")
    assert marks_of(marks) == []


def _python310() -> str | None:
    """A working Python 3.10 (pyenv shims on PATH may name one that does not run)."""
    candidates = [os.environ.get("MLLINT_PYTHON310") or ""]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10*/bin/python3.10")), reverse=True)
    candidates.append(shutil.which("python3.10") or "")
    for candidate in candidates:
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2] == (3, 10))"],
                               capture_output=True, text=True, timeout=TIMEOUT)
        if probe.returncode == 0 and probe.stdout.strip() == "True":
            return candidate
    return None


def test_on_python_310_too_where_pythonsafepath_is_ignored(tmp_path):
    python310 = _python310()
    if python310 is None:
        pytest.skip("no Python 3.10 found (python3.10 on PATH, ~/.pyenv/versions/3.10*, or $MLLINT_PYTHON310)")
    venv = tmp_path / "venv310"
    subprocess.run([python310, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    install = subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT)], capture_output=True, text=True,
                             timeout=600)
    if install.returncode != 0:
        pytest.skip(f"cannot install mllint into a Python 3.10 venv here: {install.stderr.strip()[-500:]}")

    workspace, marks = hostile_workspace(tmp_path)
    env = hostile_environment(workspace)
    # the old launch (PYTHONSAFEPATH=1, cwd = workspace) runs workspace modules on 3.10: the reason for -I
    old = subprocess.run([python, "-c", "import mllint.lsp_server"], cwd=workspace, timeout=TIMEOUT,
                         env={**env, "PYTHONSAFEPATH": "1", "PYTHONPATH": ""}, capture_output=True)
    assert marks_of(marks), old.stderr
    marks.unlink()
    exchange(client_command(python), workspace, env, tmp_path / "stderr")
    assert marks_of(marks) == []
