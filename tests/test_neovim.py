"""A real third-party client: Neovim (headless) attaches to the language server.

Debian's ``neovim`` package is 0.7.2: no ``vim.lsp.start`` and no ``nvim -l``, so the Lua
script uses ``vim.lsp.start_client`` + ``vim.lsp.buf_attach_client`` and ``vim.wait``, and
is run with ``nvim --headless -u NONE -i NONE -n -c "luafile check.lua"``.  It writes what
it saw to a JSON file that the test reads.  Skipped when ``nvim`` is not on PATH.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from mllint.engine.analysis import analyze
from mllint.checker import check_analysis
from mllint.settings import Settings
from samples import SCALER_LEAK

NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(
    NVIM is None, reason="nvim is not on PATH (Debian: apt-get install neovim); the Neovim client test needs it")

LEAK = SCALER_LEAK

CHECK_LUA = r"""
local out = {steps = {}}
local function step(name) table.insert(out.steps, name) end

local function write_results()
  local handle = io.open(vim.env.MLLINT_NVIM_OUT, "w")
  handle:write(vim.fn.json_encode(out))
  handle:close()
end

-- the raw LSP diagnostics as last published, by uri (vim.diagnostic keeps only part of them in 0.7)
local published = {}

local function mllint_diagnostics(bufnr)
  local raw = {}
  for _, d in ipairs(published[vim.uri_from_bufnr(bufnr)] or {}) do
    raw[d.range.start.line .. ":" .. d.code] = d
  end
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "mllint" then
      local code = ((d.user_data or {}).lsp or {}).code or d.code
      table.insert(found, {code = code, lnum = d.lnum, col = d.col, end_col = d.end_col,
                           severity = d.severity, message = d.message, lsp = raw[d.lnum .. ":" .. code]})
    end
  end
  return found
end

local function has_code(bufnr, code)
  for _, d in ipairs(mllint_diagnostics(bufnr)) do
    if d.code == code then return d end
  end
  return nil
end

local function code_actions(bufnr, diagnostic)
  local params = {
    textDocument = {uri = vim.uri_from_bufnr(bufnr)},
    range = diagnostic.lsp.range,
    context = {diagnostics = {diagnostic.lsp}},
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 20000) or {}
  local actions = {}
  for _, response in pairs(responses) do
    if response.error then out.code_action_error = response.error end
    for _, action in ipairs(response.result or {}) do table.insert(actions, action) end
  end
  return actions
end

local function find_action(actions, prefix)
  for _, action in ipairs(actions) do
    if action.title:sub(1, #prefix) == prefix then return action end
  end
  return nil
end

local function main()
  local client_id = vim.lsp.start_client({
    name = "mllint",
    cmd = {vim.env.MLLINT_PYTHON, "-m", "mllint.lsp_server"},
    root_dir = vim.env.MLLINT_ROOT,
    init_options = {debounce = 0},
    handlers = {
      ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
        if result then published[result.uri] = result.diagnostics end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
  })
  assert(client_id, "start_client failed")
  out.client_id = client_id
  step("started")

  -- 1. the suppress action
  vim.cmd("edit " .. vim.fn.fnameescape(vim.env.MLLINT_SUPPRESS_FILE))
  local suppress_buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(suppress_buf, client_id)
  out.attached = vim.wait(20000, function()
    local client = vim.lsp.get_client_by_id(client_id)
    return client ~= nil and client.initialized == true
  end, 50)
  local client = vim.lsp.get_client_by_id(client_id)
  out.server_name = client and client.server_capabilities and "mllint"
  out.offset_encoding = client and client.offset_encoding
  out.got_diagnostics = vim.wait(30000, function() return has_code(suppress_buf, "ML101") ~= nil end, 50)
  out.diagnostics_before = mllint_diagnostics(suppress_buf)
  step("diagnostics")
  local diagnostic = has_code(suppress_buf, "ML101")
  if diagnostic == nil then return end

  local actions = code_actions(suppress_buf, diagnostic)
  out.action_titles = {}
  for _, action in ipairs(actions) do table.insert(out.action_titles, action.title) end
  local suppress = find_action(actions, "Suppress ML101")
  if suppress == nil then return end
  vim.lsp.util.apply_workspace_edit(suppress.edit, client.offset_encoding)
  step("suppress applied")
  out.suppressed_line = vim.api.nvim_buf_get_lines(suppress_buf, diagnostic.lnum, diagnostic.lnum + 1, false)[1]
  out.suppress_buffer = table.concat(vim.api.nvim_buf_get_lines(suppress_buf, 0, -1, false), "\n")
  -- the server sees Neovim's didChange: asked again, it no longer offers to suppress on that line
  vim.wait(1500, function() return false end, 50)
  local again = code_actions(suppress_buf, diagnostic)
  out.suppress_offered_again = find_action(again, "Suppress ML101") ~= nil

  -- 2. the Pipeline quick fix: the edit is applied by Neovim, the diagnostics clear
  vim.cmd("edit " .. vim.fn.fnameescape(vim.env.MLLINT_FIX_FILE))
  local fix_buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(fix_buf, client_id)
  out.fix_got_diagnostics = vim.wait(30000, function() return has_code(fix_buf, "ML101") ~= nil end, 50)
  local leak = has_code(fix_buf, "ML101")
  if leak == nil then return end
  local fix = find_action(code_actions(fix_buf, leak), "Fit the preprocessing inside a Pipeline")
  out.fix_offered = fix ~= nil
  if fix == nil then return end
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  step("fix applied")
  out.fixed_buffer = table.concat(vim.api.nvim_buf_get_lines(fix_buf, 0, -1, false), "\n")
  out.fix_cleared = vim.wait(30000, function() return has_code(fix_buf, "ML101") == nil end, 50)
  out.diagnostics_after_fix = mllint_diagnostics(fix_buf)
  step("done")
end

local ok, err = pcall(main)
out.ok = ok
out.error = err and tostring(err) or nil
write_results()
pcall(vim.lsp.stop_client, vim.lsp.get_active_clients())
vim.wait(500, function() return false end, 50)
vim.cmd("qa!")
"""


@pytest.fixture(scope="module")
def neovim_session(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One Neovim session for the module's tests (it takes a few seconds)."""
    tmp_path = tmp_path_factory.mktemp("neovim")
    suppress_file = tmp_path / "suppress_me.py"
    fix_file = tmp_path / "fix_me.py"
    suppress_file.write_text(LEAK, encoding="utf-8")
    fix_file.write_text(LEAK, encoding="utf-8")
    script = tmp_path / "check.lua"
    script.write_text(CHECK_LUA, encoding="utf-8")
    out = tmp_path / "result.json"
    env = dict(os.environ, MLLINT_NVIM_OUT=str(out), MLLINT_PYTHON=sys.executable, MLLINT_ROOT=str(tmp_path),
               MLLINT_SUPPRESS_FILE=str(suppress_file), MLLINT_FIX_FILE=str(fix_file),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    completed = subprocess.run([NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {script}"],
                               cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
                               stdin=subprocess.DEVNULL)
    assert out.exists(), f"Neovim wrote no result (rc={completed.returncode})\n{completed.stdout}\n{completed.stderr}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["ok"], result.get("error")
    return result


def test_neovim_receives_diagnostics(neovim_session):
    result = neovim_session
    assert result["attached"] and result["got_diagnostics"], result
    assert result["offset_encoding"] == "utf-16"          # 0.7.2 offers no positionEncodings
    (ml101,) = [d for d in result["diagnostics_before"] if d["code"] == "ML101"]
    assert ml101["lnum"] == 6 and ml101["col"] == 0
    assert ml101["end_col"] == len("X_scaled = StandardScaler().fit_transform(X)")
    assert ml101["severity"] == 1                           # vim.diagnostic.severity.ERROR
    assert ml101["lsp"]["codeDescription"]["href"].endswith("ML101.md")
    assert {r["message"] for r in ml101["lsp"]["relatedInformation"]} == {"evaluated here", "model trained here"}


def test_neovim_applies_the_suppress_action(neovim_session):
    result = neovim_session
    assert "Suppress ML101 on this line" in result["action_titles"]
    assert result["suppressed_line"] == "X_scaled = StandardScaler().fit_transform(X)  # noqa: ML101"
    assert "# noqa: ML101" in result["suppress_buffer"]
    # every other line untouched
    assert [line for line in result["suppress_buffer"].split("\n") if "noqa" not in line] == \
        [line for line in LEAK.rstrip("\n").split("\n") if not line.startswith("X_scaled")]
    assert result["suppress_offered_again"] is False      # the server saw Neovim's incremental didChange


def test_neovim_applies_the_pipeline_fix_and_the_diagnostic_clears(neovim_session):
    result = neovim_session
    assert result["fix_offered"], result
    assert "make_pipeline(StandardScaler(), SVR())" in result["fixed_buffer"]
    assert result["fix_cleared"], result
    assert not [d for d in result["diagnostics_after_fix"] if d["code"] == "ML101"]
    analysis = analyze(result["fixed_buffer"] + "\n")
    assert analysis.ok
    assert not [f for f in check_analysis(analysis, Settings()) if f.code == "ML101"]
