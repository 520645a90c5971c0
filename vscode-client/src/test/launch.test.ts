import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    checkServerImportable,
    classifyImportCheck,
    defaultPython,
    defaultRunner,
    displayCommand,
    expandVariables,
    importCheckArgv,
    installCommand,
    normalizeInterpreterSetting,
    resolveInterpreter,
    RunResult,
    Runner,
    LAUNCH,
    serverCommand,
    serverEnvironment,
    serverWorkingDirectory,
    toServerSettings,
} from "../launch";

const noModule = (name: string): RunResult => ({
    code: 1,
    stdout: "",
    stderr: `Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nModuleNotFoundError: No module named '${name}'\n`,
});

describe("expandVariables", () => {
    const ctx = { workspaceFolder: "/ws", userHome: "/home/u", env: { VENV: "/opt/venv" } };

    it("expands ${workspaceFolder}, ${userHome}, ${env:NAME} and a leading ~", () => {
        assert.equal(expandVariables("${workspaceFolder}/.venv/bin/python", ctx), "/ws/.venv/bin/python");
        assert.equal(expandVariables("${userHome}/py", ctx), "/home/u/py");
        assert.equal(expandVariables("${env:VENV}/bin/python", ctx), "/opt/venv/bin/python");
        assert.equal(expandVariables("~/venv/bin/python", ctx), "/home/u/venv/bin/python");
    });

    it("leaves ~ inside a path, unknown variables and a missing folder alone", () => {
        assert.equal(expandVariables("/a/~b", ctx), "/a/~b");
        assert.equal(expandVariables("${foo}/python", ctx), "${foo}/python");
        assert.equal(expandVariables("${workspaceFolder}/python", { userHome: "/h" }), "${workspaceFolder}/python");
        assert.equal(expandVariables("${env:MISSING}python", ctx), "python");
    });
});

describe("normalizeInterpreterSetting", () => {
    it("accepts a path or a command list", () => {
        assert.deepEqual(normalizeInterpreterSetting("/usr/bin/python3"), ["/usr/bin/python3"]);
        assert.deepEqual(normalizeInterpreterSetting(["/usr/bin/python3", "-X", "utf8"]), ["/usr/bin/python3", "-X", "utf8"]);
    });

    it("treats empty, blank and wrongly typed values as unset", () => {
        for (const value of [undefined, null, "", "   ", [], [""], 42, {}, [1, 2]]) {
            assert.deepEqual(normalizeInterpreterSetting(value), [], JSON.stringify(value));
        }
    });

    it("expands variables in every element", () => {
        assert.deepEqual(normalizeInterpreterSetting(["${workspaceFolder}/.venv/bin/python"], { workspaceFolder: "/ws" }),
            ["/ws/.venv/bin/python"]);
    });
});

describe("resolveInterpreter", () => {
    it("prefers an explicit mllint.interpreter over the Python extension", async () => {
        let asked = false;
        const result = await resolveInterpreter({
            setting: ["/custom/python"],
            pythonExtension: () => { asked = true; return "/selected/python"; },
        });
        assert.deepEqual(result, { command: ["/custom/python"], source: "setting" });
        assert.equal(asked, false);
    });

    it("uses the Python extension's selection when the setting is empty", async () => {
        const result = await resolveInterpreter({ setting: [], pythonExtension: async () => "/venv/bin/python" });
        assert.deepEqual(result, { command: ["/venv/bin/python"], source: "python-extension" });
    });

    it("falls back to python3 (python on Windows) without either", async () => {
        assert.deepEqual(await resolveInterpreter({ platform: "linux" }), { command: ["python3"], source: "default" });
        assert.deepEqual(await resolveInterpreter({ platform: "win32", pythonExtension: async () => undefined }),
            { command: ["python"], source: "default" });
        assert.equal(defaultPython("darwin"), "python3");
    });

    it("falls back when the Python extension fails", async () => {
        const result = await resolveInterpreter({
            platform: "linux",
            pythonExtension: async () => { throw new Error("API unavailable"); },
        });
        assert.deepEqual(result, { command: ["python3"], source: "default" });
    });
});

describe("serverCommand", () => {
    it("runs python -I -u -m mllint.lsp_server after the interpreter's own arguments", () => {
        const cmd = serverCommand(["/venv/bin/python", "-X", "utf8"], { PATH: "/bin" });
        assert.equal(cmd.command, "/venv/bin/python");
        assert.deepEqual(cmd.args, ["-X", "utf8", "-I", "-u", "-m", "mllint.lsp_server"]);
        assert.equal(cmd.env.PATH, "/bin");
    });

    it("takes the command from server-launch.json, the file the Python tests start the server from", () => {
        const spec = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "src", "server-launch.json"), "utf8"));
        assert.deepEqual([...LAUNCH.interpreterFlags], spec.interpreterFlags);
        assert.equal(LAUNCH.module, spec.module);
        const cmd = serverCommand(["py"]);
        assert.deepEqual([cmd.command, ...cmd.args], ["py", ...spec.interpreterFlags, "-m", spec.module]);
    });

    it("isolates the interpreter on the command line, not through variables 3.10 ignores", () => {
        assert.ok(serverCommand(["py"]).args.includes("-I"));      // no cwd / script folder / PYTHON* / user site
        const env = serverEnvironment({ FOO: "1", PYTHONPATH: "/ws" });
        assert.equal(env.PYTHONSAFEPATH, undefined);
        assert.deepEqual(env, { FOO: "1", PYTHONPATH: "/ws" });   // passed on as is: -I makes Python ignore it
    });

    it("never starts in the workspace: the extension's folder, else home", () => {
        assert.equal(serverWorkingDirectory("/ext/mllint-0.1.0"), "/ext/mllint-0.1.0");
        assert.equal(serverWorkingDirectory(undefined), os.homedir());
        assert.equal(serverWorkingDirectory(""), os.homedir());
    });

    it("rejects an empty interpreter", () => {
        assert.throws(() => serverCommand([]), /no Python interpreter/);
    });
});

describe("import check", () => {
    const python = ["/venv/bin/python"];

    it("runs python -c 'import mllint.lsp_server' with the server environment", async () => {
        let seen: { argv: string[]; env?: Record<string, string | undefined>; timeoutMs: number } | undefined;
        const runner: Runner = async (argv, options) => {
            seen = { argv, env: options.env, timeoutMs: options.timeoutMs };
            return { code: 0, stdout: "", stderr: "" };
        };
        const result = await checkServerImportable(python, { runner, timeoutMs: 1234, env: { A: "b" } });
        assert.equal(result.status, "ok");
        assert.deepEqual(seen?.argv, ["/venv/bin/python", "-I", "-u", "-c", "import mllint.lsp_server"]);
        assert.deepEqual(importCheckArgv(["py", "-X", "utf8"]), ["py", "-X", "utf8", "-I", "-u", "-c", "import mllint.lsp_server"]);
        assert.equal(seen?.env?.A, "b");
        assert.equal(seen?.timeoutMs, 1234);
    });

    it("says how to install mllint when it is missing", () => {
        const result = classifyImportCheck(python, noModule("mllint"));
        assert.equal(result.status, "not-installed");
        assert.equal(result.message, "mllint is not installed in /venv/bin/python: /venv/bin/python -m pip install /path/to/mllint (/path/to/mllint is a clone of the mllint repository or a wheel from a release; mllint-plan is not on PyPI; the server runs isolated: PYTHONPATH and user site-packages are not used)");
        assert.match(result.detail, /No module named 'mllint'/);
    });

    it("asks for an upgrade when mllint has no language server", () => {
        const result = classifyImportCheck(python, noModule("mllint.lsp_server"));
        assert.equal(result.status, "no-server");
        assert.match(result.message, /\/venv\/bin\/python -m pip install --upgrade \/path\/to\/mllint \(.*not on PyPI\)$/);
    });

    it("reports a broken installation with the error's last line", () => {
        const result = classifyImportCheck(python, noModule("pygls"));
        assert.equal(result.status, "broken");
        assert.match(result.message, /ModuleNotFoundError: No module named 'pygls'/);
        const other = classifyImportCheck(python, { code: 1, stdout: "", stderr: "SyntaxError: bad\n\n" });
        assert.equal(other.status, "broken");
        assert.match(other.message, /\(SyntaxError: bad\)/);
        const silent = classifyImportCheck(python, { code: 3, stdout: "", stderr: "" });
        assert.match(silent.message, /exit code 3/);
    });

    it("distinguishes a missing interpreter and a timeout", () => {
        const missing = classifyImportCheck(["/nope/python"], { code: null, stdout: "", stderr: "", errorCode: "ENOENT" });
        assert.equal(missing.status, "interpreter-not-found");
        assert.match(missing.message, /\/nope\/python was not found/);
        const slow = classifyImportCheck(python, { code: null, stdout: "", stderr: "", errorCode: "ETIMEDOUT" });
        assert.equal(slow.status, "timeout");
    });

    it("quotes interpreter paths with spaces in messages", () => {
        assert.equal(displayCommand(["/My Envs/python", "-X", "utf8"]), "\"/My Envs/python\" -X utf8");
        const result = classifyImportCheck(["/My Envs/python"], noModule("mllint"));
        assert.match(result.message, /^mllint is not installed in "\/My Envs\/python": "\/My Envs\/python" -m pip install \/path\/to\/mllint \(/);
    });

    it("builds a shell install command for the interpreter", () => {
        assert.equal(installCommand(["/venv/bin/python"], "linux"), "/venv/bin/python -m pip install --upgrade /path/to/mllint");
        assert.equal(installCommand(["/my env/python"], "linux"), "'/my env/python' -m pip install --upgrade /path/to/mllint");
        assert.equal(installCommand(["C:\\My Env\\python.exe"], "win32"), "& \"C:\\My Env\\python.exe\" -m pip install --upgrade /path/to/mllint");
    });
});

describe("defaultRunner (real processes)", function () {
    this.timeout(20_000);

    it("collects the exit code and output", async () => {
        const ok = await defaultRunner([process.execPath, "-e", "process.stdout.write('hi')"], { timeoutMs: 10_000 });
        assert.deepEqual([ok.code, ok.stdout, ok.errorCode], [0, "hi", undefined]);
        const fail = await defaultRunner([process.execPath, "-e", "console.error('boom'); process.exit(3)"], { timeoutMs: 10_000 });
        assert.equal(fail.code, 3);
        assert.match(fail.stderr, /boom/);
    });

    it("reports a missing executable as ENOENT (interpreter-not-found)", async () => {
        const missing = path.join(fs.realpathSync("/"), "definitely", "not", "python3");
        const result = await checkServerImportable([missing], { timeoutMs: 10_000 });
        assert.equal(result.status, "interpreter-not-found");
    });

    it("stops a hanging check at the timeout", async () => {
        const result = await defaultRunner([process.execPath, "-e", "setTimeout(() => {}, 60000)"], { timeoutMs: 300 });
        assert.equal(result.errorCode, "ETIMEDOUT");
    });
});

describe("toServerSettings (initializationOptions)", () => {
    it("maps the defaults to { enable: true } only, so [tool.mllint] stays in force", () => {
        assert.deepEqual(toServerSettings({
            enable: true, interpreter: [], severity: {}, sensitiveColumns: null, extendSensitiveColumns: [],
            select: null, ignore: null, trace: { server: "off" },
        }), { enable: true });
        assert.deepEqual(toServerSettings(undefined), { enable: true });
    });

    it("passes every server key through", () => {
        assert.deepEqual(toServerSettings({
            enable: false,
            severity: { ML1: "error", ml203: "Hint", ML2: "info" },
            sensitiveColumns: ["gender", " race "],
            extendSensitiveColumns: ["zip_code"],
            select: ["ml1"],
            ignore: ["ML104"],
        }), {
            enable: false,
            severity: { ML1: "error", ML203: "hint", ML2: "information" },
            sensitiveColumns: ["gender", "race"],
            extendSensitiveColumns: ["zip_code"],
            select: ["ML1"],
            ignore: ["ML104"],
        });
    });

    it("keeps an explicitly empty sensitiveColumns (no sensitive columns at all)", () => {
        assert.deepEqual(toServerSettings({ sensitiveColumns: [] }), { enable: true, sensitiveColumns: [] });
    });

    it("drops values of the wrong type instead of sending them", () => {
        assert.deepEqual(toServerSettings({
            enable: "yes", severity: { ML1: "fatal", "": "error", ML2: 3 }, sensitiveColumns: "gender",
            extendSensitiveColumns: [1, "age"], select: {}, ignore: [null],
        }), { enable: true, extendSensitiveColumns: ["age"], ignore: [] });
    });

    it("produces JSON (what goes over the wire)", () => {
        const options = toServerSettings({ enable: true, severity: { ML101: "error" } });
        assert.deepEqual(JSON.parse(JSON.stringify(options)), options);
    });
});
