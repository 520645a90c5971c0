import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RunResult, Runner } from "../launch";
import {
    BUNDLED_LAUNCHER,
    bundleCheckArgv,
    bundledServerCommand,
    checkBundle,
    classifyBundleCheck,
    LAUNCHER_EXIT_INCOMPATIBLE,
    LAUNCHER_EXIT_NO_BUNDLE,
    normalizeArgs,
    normalizeImportStrategy,
    normalizeShowNotifications,
    planServerLaunch,
    resolveCwd,
    shouldNotify,
} from "../strategy";

// out/test/strategy.test.js -> the package root
const root = path.resolve(__dirname, "..", "..");
const ext = "/ext";
const launcher = path.join(ext, ...BUNDLED_LAUNCHER);

describe("strategy settings", () => {
    it("defaults importStrategy to useBundled", () => {
        assert.equal(normalizeImportStrategy(undefined), "useBundled");
        assert.equal(normalizeImportStrategy("bogus"), "useBundled");
        assert.equal(normalizeImportStrategy("fromEnvironment"), "fromEnvironment");
    });

    it("filters notifications by mllint.showNotifications (default onWarning)", () => {
        assert.equal(normalizeShowNotifications(undefined), "onWarning");
        assert.equal(normalizeShowNotifications("always"), "always");
        const table = (["off", "onError", "onWarning", "always"] as const).map((setting) =>
            (["error", "warning", "info"] as const).map((level) => (shouldNotify(setting, level) ? 1 : 0)).join(""));
        assert.deepEqual(table, ["000", "100", "110", "111"]);
    });

    it("expands variables in mllint.args and drops non-strings", () => {
        assert.deepEqual(normalizeArgs(["--log", "${workspaceFolder}/x", 3, " "], { workspaceFolder: "/w" }), ["--log", "/w/x"]);
        assert.deepEqual(normalizeArgs("--log"), []);
    });

    it("runs in the extension's folder unless mllint.cwd says otherwise", () => {
        assert.equal(resolveCwd("", {}, ext), ext);
        assert.equal(resolveCwd(undefined, {}, ext), ext);
        assert.equal(resolveCwd("${workspaceFolder}/sub", { workspaceFolder: "/w" }, ext), "/w/sub");
        assert.equal(resolveCwd("${workspaceFolder}", {}, ext), ext, "no folder open: the default");
    });
});

describe("bundled server command", () => {
    it("runs the launcher with the server's isolation flags, then mllint.args", () => {
        const server = bundledServerCommand(["/py", "-X", "utf8"], ext, ["--a"], { K: "v" });
        assert.equal(server.command, "/py");
        assert.deepEqual(server.args, ["-X", "utf8", "-I", "-u", launcher, "--a"]);
        assert.equal(server.env.K, "v");
        assert.equal(server.env.PYTHONPATH, undefined, "no PYTHONPATH: -I would ignore it anyway");
        assert.deepEqual(bundleCheckArgv(["/py"], ext), ["/py", "-I", "-u", launcher, "--check"]);
        assert.throws(() => bundledServerCommand([], ext), /no Python interpreter/);
    });

    it("classifies the launcher's exit codes", () => {
        const run = (code: number, stderr = ""): RunResult => ({ code, stdout: "", stderr });
        assert.equal(classifyBundleCheck(["/py"], run(0)).status, "ok");
        const wrong = classifyBundleCheck(["/py"], run(LAUNCHER_EXIT_INCOMPATIBLE,
            "mllint: the bundled mllint is for cpython 3.11 on linux-x86_64; this interpreter is cpython 3.12 on linux-x86_64\n"));
        assert.equal(wrong.status, "incompatible");
        assert.equal(wrong.message, "the bundled mllint is for cpython 3.11 on linux-x86_64; this interpreter is cpython 3.12 on linux-x86_64");
        assert.equal(classifyBundleCheck(["/py"], run(LAUNCHER_EXIT_NO_BUNDLE)).status, "missing");
        const broken = classifyBundleCheck(["/py"], run(1, "Traceback...\nImportError: libcst/native.so: bad ELF\n"));
        assert.equal(broken.status, "broken");
        assert.match(broken.message, /bad ELF/);
        assert.equal(classifyBundleCheck(["/nope"], { code: null, stdout: "", stderr: "", errorCode: "ENOENT" }).status, "interpreter-not-found");
    });
});

/** A runner answering the bundle check and the environment's import check as told. */
function fakeRunner(answers: { bundle: RunResult; environment: RunResult }, seen: string[][] = []): Runner {
    return async (argv) => {
        seen.push(argv);
        return argv.includes(launcher) ? answers.bundle : answers.environment;
    };
}
const ok: RunResult = { code: 0, stdout: "", stderr: "" };
const incompatible: RunResult = { code: LAUNCHER_EXIT_INCOMPATIBLE, stdout: "", stderr: "mllint: the bundled mllint is for cpython 3.11 on linux-x86_64; this interpreter is cpython 3.12 on linux-x86_64\n" };
const noBundle: RunResult = { code: LAUNCHER_EXIT_NO_BUNDLE, stdout: "", stderr: "mllint: no bundled libraries in this extension\n" };
const notInstalled: RunResult = { code: 1, stdout: "", stderr: "ModuleNotFoundError: No module named 'mllint'\n" };

describe("planServerLaunch", () => {
    const base = { interpreter: ["/py"], path: [] as string[], args: [] as string[], extensionPath: ext };

    it("useBundled: the bundle when it fits, without asking the environment", async () => {
        const seen: string[][] = [];
        const plan = await planServerLaunch({ ...base, strategy: "useBundled", runner: fakeRunner({ bundle: ok, environment: notInstalled }, seen) });
        assert.equal(plan.kind, "start");
        assert.ok(plan.kind === "start" && plan.source === "bundled");
        assert.deepEqual(plan.kind === "start" && plan.server.args, ["-I", "-u", launcher]);
        assert.equal(seen.length, 1);
    });

    it("useBundled with another Python: the environment's mllint, with a warning", async () => {
        const plan = await planServerLaunch({ ...base, strategy: "useBundled", args: ["--x"], runner: fakeRunner({ bundle: incompatible, environment: ok }) });
        assert.ok(plan.kind === "start");
        assert.equal(plan.source, "environment");
        assert.deepEqual(plan.server.args, ["-I", "-u", "-m", "mllint.lsp_server", "--x"]);
        assert.deepEqual(plan.notices, [{
            level: "warning",
            message: "mllint: the bundled mllint is for cpython 3.11 on linux-x86_64; this interpreter is cpython 3.12 on linux-x86_64; using the mllint installed in /py instead.",
        }]);
    });

    it("useBundled with another Python and nothing installed: one error naming both and the install command", async () => {
        const plan = await planServerLaunch({ ...base, strategy: "useBundled", runner: fakeRunner({ bundle: incompatible, environment: notInstalled }) });
        assert.ok(plan.kind === "none");
        assert.equal(plan.problem.status, "not-installed");
        assert.match(plan.problem.message, /^mllint: the bundled mllint is for cpython 3\.11 .* cpython 3\.12 on linux-x86_64, and mllint is not installed in \/py: \/py -m pip install \/path\/to\/mllint \(/);
        assert.match(plan.problem.message, /mllint-plan is not on PyPI/);
    });

    it("a build without a bundle uses the environment quietly (an info notice)", async () => {
        const plan = await planServerLaunch({ ...base, strategy: "useBundled", runner: fakeRunner({ bundle: noBundle, environment: ok }) });
        assert.ok(plan.kind === "start" && plan.source === "environment");
        assert.deepEqual(plan.notices.map((n) => n.level), ["info"]);
        const none = await planServerLaunch({ ...base, extensionPath: undefined, strategy: "useBundled", runner: fakeRunner({ bundle: ok, environment: notInstalled }) });
        assert.ok(none.kind === "none");
        assert.match(none.problem.message, /^mllint is not installed in \/py: \/py -m pip install \/path\/to\/mllint/);
    });

    it("fromEnvironment: the installed mllint, else the bundle with a warning, else the install command", async () => {
        const installed = await planServerLaunch({ ...base, strategy: "fromEnvironment", runner: fakeRunner({ bundle: ok, environment: ok }) });
        assert.ok(installed.kind === "start" && installed.source === "environment" && installed.notices.length === 0);
        const bundled = await planServerLaunch({ ...base, strategy: "fromEnvironment", runner: fakeRunner({ bundle: ok, environment: notInstalled }) });
        assert.ok(bundled.kind === "start" && bundled.source === "bundled");
        assert.equal(bundled.notices[0].level, "warning");
        const none = await planServerLaunch({ ...base, strategy: "fromEnvironment", runner: fakeRunner({ bundle: incompatible, environment: notInstalled }) });
        assert.ok(none.kind === "none" && none.problem.status === "not-installed");
    });

    it("mllint.path replaces the server command and runs no check", async () => {
        const seen: string[][] = [];
        const plan = await planServerLaunch({ ...base, strategy: "useBundled", path: ["/opt/mllint-lsp", "--stdio"], args: ["--v"], runner: fakeRunner({ bundle: ok, environment: ok }, seen) });
        assert.ok(plan.kind === "start" && plan.source === "path");
        assert.equal(plan.server.command, "/opt/mllint-lsp");
        assert.deepEqual(plan.server.args, ["--stdio", "--v"]);
        assert.deepEqual(seen, []);
    });
});

// ---------------------------------------------------------------------------------------------
// The real launcher with a real Python
// ---------------------------------------------------------------------------------------------

function findPython(): string | undefined {
    for (const candidate of [process.env.MLLINT_PYTHON, "python3", "python"]) {
        if (!candidate) {
            continue;
        }
        try {
            execFileSync(candidate, ["-c", "import sys; assert sys.version_info >= (3, 8)"], { stdio: "ignore" });
            return candidate;
        } catch {
            // next
        }
    }
    return undefined;
}

describe("bundled/tool/mllint_server.py (real processes)", function () {
    this.timeout(60_000);
    const python = findPython();
    let extension: string;

    /** An extension folder with the real launcher and a fake bundled mllint that says where it ran from. */
    function makeExtension(manifest: Record<string, string> | undefined): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mllint-ext-"));
        fs.mkdirSync(path.join(dir, "bundled", "tool"), { recursive: true });
        fs.copyFileSync(path.join(root, ...BUNDLED_LAUNCHER), path.join(dir, ...BUNDLED_LAUNCHER));
        const server = path.join(dir, "bundled", "libs", "mllint", "lsp_server");
        fs.mkdirSync(server, { recursive: true });
        fs.writeFileSync(path.join(dir, "bundled", "libs", "mllint", "__init__.py"), "");
        fs.writeFileSync(path.join(server, "__init__.py"), "");
        fs.writeFileSync(path.join(server, "server.py"), "");
        fs.writeFileSync(path.join(server, "__main__.py"),
            "import json, sys\nimport mllint\nprint(json.dumps({'name': __name__, 'argv': sys.argv[1:], 'mllint': mllint.__file__}))\n");
        if (manifest) {
            fs.writeFileSync(path.join(dir, "bundled", "bundle.json"), JSON.stringify(manifest));
        }
        return dir;
    }

    function thisPython(): Record<string, string> {
        return JSON.parse(execFileSync(python!, ["-c",
            "import json, sys, sysconfig; print(json.dumps({'implementation': sys.implementation.name, " +
            "'python': '%d.%d' % sys.version_info[:2], 'platform': sysconfig.get_platform()}))"], { encoding: "utf8" }));
    }

    before(function () {
        if (!python) {
            console.log("      (skipped: no python3 on PATH and MLLINT_PYTHON not set)");
            this.skip();
        }
    });

    afterEach(() => {
        if (extension) {
            fs.rmSync(extension, { recursive: true, force: true });
        }
    });

    it("--check passes for the Python the bundle is for and imports mllint from the bundle", async () => {
        extension = makeExtension(thisPython());
        const result = await checkBundle([python!], extension, { cwd: os.tmpdir() });
        assert.equal(result.status, "ok", result.detail);
        assert.equal(JSON.parse(result.detail).mllint, path.join(extension, "bundled", "libs", "mllint"));
    });

    it("serves: runs mllint.lsp_server as __main__ from the bundle, ahead of any installed mllint, with the args", () => {
        extension = makeExtension(thisPython());
        const server = bundledServerCommand([python!], extension, ["--flag", "x"]);
        const out = JSON.parse(execFileSync(server.command, server.args, { encoding: "utf8", cwd: os.tmpdir() }));
        assert.deepEqual(out.name, "__main__");
        assert.deepEqual(out.argv, ["--flag", "x"]);
        assert.equal(out.mllint, path.join(extension, "bundled", "libs", "mllint", "__init__.py"));
    });

    it("refuses another Python minor version or platform, with one line", async () => {
        extension = makeExtension({ ...thisPython(), python: "2.7" });
        const result = await checkBundle([python!], extension, { cwd: os.tmpdir() });
        assert.equal(result.status, "incompatible", result.detail);
        assert.match(result.message, /^the bundled mllint is for \w+ 2\.7 on .*; this interpreter is \w+ 3\.\d+ on /);
        assert.equal(result.detail.split("\n").length, 1, result.detail);
        fs.rmSync(extension, { recursive: true, force: true });
        extension = makeExtension({ ...thisPython(), platform: "plan9-mips" });
        assert.equal((await checkBundle([python!], extension, { cwd: os.tmpdir() })).status, "incompatible");
    });

    it("says there is no bundle when bundle.json is missing", async () => {
        extension = makeExtension(undefined);
        const result = await checkBundle([python!], extension, { cwd: os.tmpdir() });
        assert.equal(result.status, "missing", result.detail);
    });

    it("the real bundle (bundle-python.sh), when built, passes its check with the Python it was built with", async function () {
        const manifestFile = path.join(root, "bundled", "bundle.json");
        if (!fs.existsSync(manifestFile) || !process.env.MLLINT_PYTHON) {
            this.skip();
        }
        const result = await checkBundle([process.env.MLLINT_PYTHON!, "-S"], root, { cwd: os.tmpdir() });
        assert.equal(result.status, "ok", result.message + "\n" + result.detail);
        assert.equal(JSON.parse(result.detail).mllint, path.join(root, "bundled", "libs", "mllint"));
    });
});
