"""Memory of the language server over many edits of a large file: is it bounded?

Starts ``python -m mllint.lsp_server`` over stdio with a pygls client, opens the ~1,000-line
pipeline file of bench_lsp_latency.py, turns the debounce off and makes ``--edits`` (1,000)
small incremental edits (retyping ``random_state=<n>`` literals, always new text so the
analysis cache cannot answer).  Each edit waits for its ``publishDiagnostics``, so every edit
is a full analysis.  Every ``--pause-every`` (50) edits the client is quiet for ``--pause``
seconds (1.5 s), longer than the server's idle-collection delay (it runs ``gc.collect`` 1 s
after the last analysis, or after 40 analyses), so cyclic garbage is collected as in an editor.

Every ``--sample-every`` (100) edits it reads the server's ``VmRSS`` (and ``VmHWM``) from
/proc/<pid>/status twice: right after the edit ("busy") and after the pause ("idle", after
the idle collection).  Verdict: bounded when the last idle sample is within ``--ratio`` (1.5x)
of the idle sample after 200 edits (the first 200 edits fill the caches and warm up).
The final diagnostics are compared with mllint's own analysis of the final text.

    python benchmarks/lsp_memory.py [--edits 1000] [--lines 1000] [--json out.json] [--check]

Linux only (reads /proc).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_lsp_latency import generate, local_findings, seed_edits  # noqa: E402

BASELINE_EDITS = 200


def proc_status(pid: int) -> dict[str, float]:
    """VmRSS / VmHWM of ``pid`` in MB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024   # kB -> MB
    return values


async def drain(stream: asyncio.StreamReader | None, sink: list[bytes]) -> None:
    """Read the server's stderr so a chatty log cannot fill the pipe and block it."""
    if stream is None:
        return
    while chunk := await stream.read(65536):
        sink.append(chunk[-2000:])
        del sink[:-20]


async def run(edits: int, lines: int, pause_every: int, pause: float, sample_every: int) -> dict:
    text = generate(lines)
    workdir = Path(tempfile.mkdtemp(prefix="mllint-lsp-memory-"))
    path = workdir / "pipelines.py"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()

    client = LanguageClient("mllint-memory", "1")
    arrivals: dict[int, list] = {}
    waiters: dict[int, asyncio.Future] = {}
    stderr_tail: list[bytes] = []

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        if params.uri != uri or params.version is None:
            return
        arrivals[params.version] = list(params.diagnostics)
        for version in [v for v in waiters if v <= params.version]:
            future = waiters.pop(version)
            if not future.done():
                future.set_result(params.version)

    def expect(version: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        waiters[version] = future
        return future

    await client.start_io(sys.executable, "-m", "mllint.lsp_server")
    server = client._server                      # the asyncio subprocess pygls started
    pid = server.pid
    drainer = asyncio.create_task(drain(server.stderr, stderr_tail))
    samples: list[dict] = []
    started = time.perf_counter()
    try:
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=workdir.as_uri(),
            initialization_options={"debounce": 0}))
        client.initialized(types.InitializedParams())
        first = expect(1)
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
        await asyncio.wait_for(first, 120)
        busy = proc_status(pid)
        await asyncio.sleep(pause)
        samples.append({"edits": 0, "busy_mb": round(busy["VmRSS"], 1),
                        "idle_mb": round(proc_status(pid)["VmRSS"], 1)})

        targets = seed_edits(text)
        current = {i: text.split("\n")[r.start.line][r.start.character:r.end.character]
                   for i, r in enumerate(targets)}
        version = 1
        for step in range(1, edits + 1):
            index = step % len(targets)
            target = targets[index]
            new_value = str(1000 + step)               # never seen before: no cache hit
            old_len = len(current[index])
            edit_range = types.Range(target.start,
                                     types.Position(target.end.line, target.start.character + old_len))
            text_lines = text.split("\n")
            line = text_lines[target.start.line]
            text_lines[target.start.line] = (line[:target.start.character] + new_value
                                             + line[target.start.character + old_len:])
            text = "\n".join(text_lines)
            current[index] = new_value
            version += 1
            done = expect(version)
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangePartial(range=edit_range, text=new_value)]))
            await asyncio.wait_for(done, 60)
            if step % sample_every == 0:
                busy = proc_status(pid)
            if step % pause_every == 0:
                await asyncio.sleep(pause)
            if step % sample_every == 0:
                idle = proc_status(pid)
                samples.append({"edits": step, "busy_mb": round(busy["VmRSS"], 1),
                                "idle_mb": round(idle["VmRSS"], 1), "hwm_mb": round(idle["VmHWM"], 1)})
                print(f"  {step:5d} edits: RSS busy {busy['VmRSS']:.1f} MB, idle {idle['VmRSS']:.1f} MB, "
                      f"peak {idle['VmHWM']:.1f} MB", flush=True)

        expected = local_findings(text, str(path))
        published = sorted((str(d.code), d.range.start.line + 1) for d in arrivals[version])
        if published != expected:
            raise SystemExit(f"final diagnostics differ from mllint's own analysis: {published} != {expected}")
        elapsed = time.perf_counter() - started
        await asyncio.wait_for(client.shutdown_async(None), 30)
        client.exit(None)
    except BaseException:
        tail = b"".join(stderr_tail).decode("utf-8", "replace")[-3000:]
        print(f"server stderr (tail):\n{tail}", file=sys.stderr)
        raise
    finally:
        await client.stop()
        drainer.cancel()
        shutil.rmtree(workdir, ignore_errors=True)

    return {"lines": text.count("\n"), "edits": edits, "seconds": round(elapsed, 1),
            "diagnostics": len(arrivals[version]), "samples": samples}


def verdict(samples: list[dict], ratio: float) -> tuple[bool, str]:
    base = next((s for s in samples if s["edits"] >= BASELINE_EDITS), samples[min(1, len(samples) - 1)])
    last = samples[-1]
    growth = last["idle_mb"] / base["idle_mb"] if base["idle_mb"] else float("inf")
    ok = growth <= ratio
    return ok, (f"idle RSS after {last['edits']} edits {last['idle_mb']:.1f} MB vs after {base['edits']} "
                f"edits {base['idle_mb']:.1f} MB: x{growth:.2f} ({'bounded' if ok else 'GROWING'}, "
                f"limit x{ratio:g})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--pause-every", type=int, default=50)
    parser.add_argument("--pause", type=float, default=1.5, help="seconds (> the server's 1 s idle-GC delay)")
    parser.add_argument("--sample-every", type=int, default=100)
    parser.add_argument("--ratio", type=float, default=1.5, help="allowed growth after the first 200 edits")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when memory is not bounded")
    args = parser.parse_args()
    if args.sample_every % args.pause_every:
        parser.error("--sample-every must be a multiple of --pause-every (idle samples follow a pause)")
    result = asyncio.run(run(args.edits, args.lines, args.pause_every, args.pause, args.sample_every))
    ok, message = verdict(result["samples"], args.ratio)
    print(f"file: {result['lines']} lines, {result['edits']} edits in {result['seconds']} s, "
          f"{result['diagnostics']} final diagnostics (match mllint's own analysis)")
    print("RSS series (MB, idle = after the pause and the idle collection):")
    for s in result["samples"]:
        print(f"  {s['edits']:5d}: busy {s['busy_mb']:7.1f}  idle {s['idle_mb']:7.1f}")
    print(message)
    result.update(bounded=ok, verdict=message, ratio_limit=args.ratio)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
