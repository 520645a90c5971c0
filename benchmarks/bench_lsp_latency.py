"""Latency of the language server: time from an edit to the published diagnostics.

Generates a ~1,000-line pandas / scikit-learn pipeline file (repeated, varied sections, a few of
them leaking), starts ``python -m mllint.lsp_server`` over stdio with a pygls client, turns the
debounce off (``initializationOptions: {"debounce": 0}``) and makes 50 small incremental edits,
one at a time.  For each edit it measures the time from sending ``textDocument/didChange`` to
receiving the ``textDocument/publishDiagnostics`` for that document version, and prints
p50 / p95 (goal: p95 < 150 ms).

    python benchmarks/bench_lsp_latency.py [--edits 50] [--lines 1000] [--json out.json] [--check]
    python benchmarks/bench_lsp_latency.py --file REAL.py [--edits 40] [--goal-ms 25]

With ``--file`` the document is a real file (a corpus notebook script) instead of the generated
one: a line ``_typed = 1`` is inserted before the top-level statement nearest the middle of the
file (part of the opened text) and each edit types one more digit after it, so every edit is a
valid program the server has not seen, typed in the middle of the file as a person would.

Every edit produces text the server has not seen (its analysis cache cannot answer).  The
client declares no pull-diagnostics capability, so the server pushes.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

GOAL_P95_MS = 150.0

HEADER = """\
\"\"\"Churn, credit and sales models: data preparation, training and evaluation.\"\"\"
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, mean_absolute_error
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

RANDOM_STATE = 7
"""

CLASSIFICATION = """\

# --- section {i}: {name} churn ---------------------------------------------------------------
{df} = pd.read_csv("data/{name}_customers.csv")
{df} = {df}.dropna(subset=["churned"])
{df} = {df}[{df}["tenure_months"] > 0]
{df}["spend_per_month"] = {df}["total_spend"] / {df}["tenure_months"]
{df}["is_long_term"] = ({df}["tenure_months"] > 24).astype(int)
{df}["support_rate"] = {df}["support_calls"] / ({df}["tenure_months"] + 1)
features_{i} = ["tenure_months", "spend_per_month", "support_rate", "is_long_term", "plan"]
X_{i} = {df}[features_{i}]
y_{i} = {df}["churned"]
X_train_{i}, X_test_{i}, y_train_{i}, y_test_{i} = train_test_split(
    X_{i}, y_{i}, test_size=0.25, random_state={seed}, stratify=y_{i}
)
prep_{i} = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
     ["tenure_months", "spend_per_month", "support_rate"]),
    ("cat", OneHotEncoder(handle_unknown="ignore"), ["plan"]),
], remainder="passthrough")
clf_{i} = Pipeline([("prep", prep_{i}), ("model", GradientBoostingClassifier(random_state=RANDOM_STATE))])
clf_{i}.fit(X_train_{i}, y_train_{i})
pred_{i} = clf_{i}.predict(X_test_{i})
print("{name} accuracy", accuracy_score(y_test_{i}, pred_{i}))
"""

LEAKY_REGRESSION = """\

# --- section {i}: {name} sales -----------------------------------------------------------------
{df} = pd.read_csv("data/{name}_sales.csv", names=["store", "week", "promo", "price", "units"])
{df} = {df}.fillna(0)
{df}["log_price"] = np.log1p({df}["price"])
{df}["promo_price"] = {df}["promo"] * {df}["log_price"]
Xr_{i} = {df}[["week", "promo", "log_price", "promo_price"]]
scaled_{i} = StandardScaler().fit_transform(Xr_{i})
Xr_train_{i}, Xr_test_{i}, yr_train_{i}, yr_test_{i} = train_test_split(scaled_{i}, {df}["units"], random_state={seed})
reg_{i} = Ridge(alpha=1.0).fit(Xr_train_{i}, yr_train_{i})
print("{name} MAE", mean_absolute_error(yr_test_{i}, reg_{i}.predict(Xr_test_{i})))
"""

CROSS_VALIDATION = """\

# --- section {i}: {name} credit ----------------------------------------------------------------
{df} = pd.read_csv("data/{name}_credit.csv")
{df} = {df}.drop_duplicates()
{df}["debt_ratio"] = {df}["debt"] / ({df}["income"] + 1)
{df}["utilisation"] = {df}["balance"] / ({df}["limit"] + 1)
Xc_{i} = {df}[["debt_ratio", "utilisation", "income", "balance"]]
yc_{i} = {df}["default"]
model_{i} = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=500))
scores_{i} = cross_val_score(model_{i}, Xc_{i}, yc_{i}, cv=5)
print("{name} cv", scores_{i}.mean(), scores_{i}.std())
forest_{i} = RandomForestRegressor(n_estimators=50, random_state={seed})
forest_{i}.fit(Xc_{i}, {df}["tenure_years"])
"""

NAMES = ["north", "south", "east", "west", "central", "online", "retail", "partner", "export", "metro",
         "coastal", "alpine", "urban", "rural", "island", "harbor", "valley", "summit", "river", "forest",
         "desert", "lake", "plains", "canyon", "delta", "prairie", "tundra", "bay", "grove", "ridge"]


def generate(target_lines: int = 1000) -> str:
    """A realistic pipeline module of about ``target_lines`` lines."""
    parts, i = [HEADER], 0
    templates = (CLASSIFICATION, LEAKY_REGRESSION, CROSS_VALIDATION)
    while sum(p.count("\n") for p in parts) < target_lines:
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i // len(NAMES)))
        parts.append(templates[i % 3].format(i=i, name=name, df=f"df_{name}", seed=i))
        i += 1
    return "".join(parts)


def seed_edits(text: str) -> list[types.Range]:
    """Ranges of the ``random_state=<n>`` literals: the edits retype them (small, realistic, always new text)."""
    ranges = []
    for number, line in enumerate(text.split("\n")):
        start = line.find("random_state=")
        if start < 0:
            continue
        begin = start + len("random_state=")
        end = begin
        while end < len(line) and line[end].isdigit():
            end += 1
        if end > begin:                                   # a literal, not `random_state=RANDOM_STATE`
            ranges.append(types.Range(types.Position(number, begin), types.Position(number, end)))
    return ranges


def typing_target(text: str) -> tuple[str, types.Position]:
    """``text`` with ``_typed = 1`` inserted before the top-level statement nearest its middle, and
    the position just after that ``1`` (where the digits are typed)."""
    import ast

    lines = text.split("\n")
    starts = [min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
              for node in ast.parse(text).body]
    middle = len(lines) // 2
    line = min(starts, key=lambda start: abs(start - middle)) if starts else 0
    inserted = "_typed = 1"   # digits typed after a 1 (``0123`` is a syntax error)
    return "\n".join(lines[:line] + [inserted] + lines[line:]), types.Position(line, len(inserted))


def replaced(text: str, edit_range: types.Range, new_value: str) -> str:
    """``text`` after the client's edit: ``edit_range`` (within one line) replaced by ``new_value``."""
    lines = text.split("\n")
    line = lines[edit_range.start.line]
    lines[edit_range.start.line] = line[:edit_range.start.character] + new_value + line[edit_range.end.character:]
    return "\n".join(lines)


def local_findings(text: str, path: str) -> list[tuple[str, int]]:
    from mllint.engine.analysis import analyze
    from mllint.checker import check_analysis
    from mllint.rules import rule_codes
    from mllint.config_discovery import load_settings

    settings = load_settings(str(Path(path).parent), rule_codes=rule_codes)
    analysis = analyze(text, path=path, config=settings.engine_config())
    return sorted((f.code, f.span.start_line) for f in check_analysis(analysis, settings))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def run(edits: int, lines: int, warmup: int, real_file: Path | None = None,
              goal_ms: float = GOAL_P95_MS) -> dict:
    typing_at: types.Position | None = None
    if real_file is not None:
        text, typing_at = typing_target(real_file.read_text(encoding="utf-8"))
    else:
        text = generate(lines)
    workdir = Path(tempfile.mkdtemp(prefix="mllint-lsp-bench-"))
    path = workdir / (real_file.name if real_file is not None else "pipelines.py")
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()

    client = LanguageClient("mllint-bench", "1")
    arrivals: dict[int, tuple[float, list]] = {}
    waiters: dict[int, asyncio.Future] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams) -> None:
        now = time.perf_counter()
        if params.uri != uri or params.version is None:
            return
        arrivals.setdefault(params.version, (now, list(params.diagnostics)))
        future = waiters.pop(params.version, None)
        if future is not None and not future.done():
            future.set_result(now)

    def expect(version: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        waiters[version] = future
        return future

    await client.start_io(sys.executable, "-m", "mllint.lsp_server")
    try:
        await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=workdir.as_uri(),
            initialization_options={"debounce": 0}))
        client.initialized(types.InitializedParams())

        first = expect(1)
        opened = time.perf_counter()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
        open_ms = (await asyncio.wait_for(first, 120) - opened) * 1000

        targets = seed_edits(text)
        current = {i: text.split("\n")[r.start.line][r.start.character:r.end.character] for i, r in enumerate(targets)}
        latencies, warm = [], []
        version = 1
        for step in range(warmup + edits):
            if typing_at is not None:           # one more digit typed after ``_typed = 1...``
                new_value = str((step + 1) % 10)
                edit_range = types.Range(typing_at, typing_at)
                typing_at = types.Position(typing_at.line, typing_at.character + 1)
            else:                               # a ``random_state=`` literal retyped
                index = step % len(targets)
                target = targets[index]
                new_value = str(1000 + step)    # never seen before: no cache hit
                edit_range = types.Range(target.start, types.Position(
                    target.end.line, target.start.character + len(current[index])))
                current[index] = new_value
            text = replaced(text, edit_range, new_value)
            version += 1
            done = expect(version)
            sent = time.perf_counter()
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangePartial(range=edit_range, text=new_value)]))
            elapsed = (await asyncio.wait_for(done, 60) - sent) * 1000
            (warm if step < warmup else latencies).append(elapsed)

        final_codes = sorted({str(d.code) for d in arrivals[version][1]})
        # the server really analysed the edited text (a syntax error would be fast and wrong)
        expected = local_findings(text, str(path))
        published = sorted((str(d.code), d.range.start.line + 1) for d in arrivals[version][1])
        if published != expected:
            raise SystemExit(f"final diagnostics differ from mllint's own analysis: {published} != {expected}")
        await asyncio.wait_for(client.shutdown_async(None), 30)
        client.exit(None)
    finally:
        await client.stop()

    return {
        "lines": text.count("\n"), "edits": len(latencies), "warmup_edits": len(warm),
        "open_ms": round(open_ms, 1), "warmup_ms": [round(v, 1) for v in warm],
        "p50_ms": round(statistics.median(latencies), 1), "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1), "mean_ms": round(statistics.fmean(latencies), 1),
        "min_ms": round(min(latencies), 1), "diagnostics": len(arrivals[version][1]), "codes": final_codes,
        "goal_p95_ms": goal_ms,
        "file": str(real_file) if real_file is not None else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=3, help="edits made (and reported) before measuring")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--check", action="store_true", help="exit with status 1 when p95 misses the goal")
    parser.add_argument("--file", type=Path, help="a real file to edit instead of the generated one")
    parser.add_argument("--goal-ms", type=float, default=GOAL_P95_MS, help="the p95 goal (ms)")
    args = parser.parse_args()
    result = asyncio.run(run(args.edits, args.lines, args.warmup, args.file, args.goal_ms))
    print(f"file: {result['lines']} lines, {result['diagnostics']} diagnostics ({', '.join(result['codes'])})")
    print(f"open -> first diagnostics: {result['open_ms']:.1f} ms; warm-up edits: {result['warmup_ms']} ms")
    print(f"edit -> publishDiagnostics over {result['edits']} edits (debounce 0): "
          f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, "
          f"min {result['min_ms']:.1f} ms, max {result['max_ms']:.1f} ms, mean {result['mean_ms']:.1f} ms")
    verdict = "meets" if result["p95_ms"] < args.goal_ms else "MISSES"
    print(f"goal p95 < {args.goal_ms:.0f} ms: {verdict}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if args.check and result["p95_ms"] >= args.goal_ms else 0


if __name__ == "__main__":
    sys.exit(main())
