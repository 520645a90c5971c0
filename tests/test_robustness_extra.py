"""Two robustness promises not covered elsewhere: bounded CSV header reads, and a vanishing editor."""
from __future__ import annotations

import subprocess
import sys
import time

from mllint import analyze


def test_csv_header_read_is_bounded(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "wide.csv").write_text(",".join(f"c{i}" for i in range(20_000)) + "\n1,2\n")   # > 64 KiB line
    (tmp_path / "ok.csv").write_text("a,b\n1,2\n")
    script = tmp_path / "p.py"
    script.write_text('import pandas as pd\nwide = pd.read_csv("wide.csv")\nok = pd.read_csv("ok.csv")\n')
    analysis = analyze(script.read_text(), path=str(script))
    assert analysis.env["wide"].schema.open and analysis.env["wide"].schema.names == ()
    assert analysis.env["ok"].schema.names == ("a", "b") and not analysis.env["ok"].schema.open


def test_language_server_exits_when_the_client_disappears():
    server = subprocess.Popen([sys.executable, "-m", "mllint.lsp_server"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.0)
    server.stdin.close()          # the editor is gone: end of input, no shutdown/exit messages
    try:
        server.wait(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode is not None
    assert b"Traceback" not in server.stderr.read()
