/**
 * Loads the esbuild bundle (dist/extension.js) with a fake `vscode` module and
 * activates it: the bundle is self-contained, the commands are registered, and a
 * Python without mllint gives the "not installed" notification instead of a server
 * that crashes. (VS Code itself cannot run here; the server-side path is covered by
 * the protocol smoke test.)
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require("node:module");

const bundle = path.resolve(__dirname, "..", "..", "dist", "extension.js");

interface Recorded {
    commands: string[];
    errors: string[];
    warnings: string[];
    log: string[];
}

/** Any property is a callable stub returning another stub (never a thenable). */
function stub(): unknown {
    const make = (): unknown => {
        const cache: Record<string | symbol, unknown> = {};
        return new Proxy(function () { /* stub */ }, {
            get: (_target, prop) => (prop === "then" ? undefined : (cache[prop] ??= make())),
            apply: () => make(),
            construct: () => make() as object,
        });
    };
    return make();
}

function fakeVscode(settings: Record<string, unknown>, rec: Recorded): unknown {
    const disposable = { dispose() { /* nothing */ } };
    const event = () => disposable;
    const channel = new Proxy({
        info: (m: string) => rec.log.push(`info ${m}`),
        warn: (m: string) => rec.log.push(`warn ${m}`),
        error: (m: string) => rec.log.push(`error ${m}`),
        show: () => undefined,
        dispose: () => undefined,
    } as Record<string | symbol, unknown>, { get: (t, p) => (p in t ? t[p] : () => undefined) });
    const api = {
        window: {
            createOutputChannel: () => channel,
            showErrorMessage: (m: string) => { rec.errors.push(m); return Promise.resolve(undefined); },
            showWarningMessage: (m: string) => { rec.warnings.push(m); return Promise.resolve(undefined); },
            showInformationMessage: () => Promise.resolve(undefined),
            activeTextEditor: undefined,
            activeNotebookEditor: undefined,
        },
        commands: {
            registerCommand: (name: string) => { rec.commands.push(name); return disposable; },
            executeCommand: () => Promise.resolve(undefined),
        },
        workspace: {
            workspaceFolders: undefined,
            notebookDocuments: [],
            getConfiguration: () => ({
                get: (key: string, fallback?: unknown) => (key in settings ? settings[key] : fallback),
            }),
            getWorkspaceFolder: () => undefined,
            onDidChangeConfiguration: event,
            onDidSaveTextDocument: event,
        },
        extensions: { getExtension: () => undefined },
        LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
        EventEmitter: class {
            private listeners: ((e: unknown) => void)[] = [];
            event = (listener: (e: unknown) => void) => { this.listeners.push(listener); return disposable; };
            fire(e: unknown) { this.listeners.forEach((l) => l(e)); }
            dispose() { this.listeners = []; }
        },
    };
    // The bundle sees only the fake's own keys (esbuild's ESM interop copies them), so
    // everything the extension touches at activation must be listed above.
    const fallback = stub() as Record<string | symbol, unknown>;
    return new Proxy(api as Record<string | symbol, unknown>, { get: (t, p) => (p in t ? t[p] : fallback[p]) });
}

type Extension = { activate(ctx: unknown): void; deactivate(): Promise<void> };

function loadExtension(vscode: unknown): Extension {
    const mod = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const original = mod._load;
    delete require.cache[bundle];
    mod._load = function (this: unknown, request: string, ...rest: unknown[]) {
        return request === "vscode" ? vscode : original.call(this, request, ...rest);
    };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(bundle) as Extension;
    } finally {
        mod._load = original;
    }
}

async function activateWith(settings: Record<string, unknown>, extensionPath?: string): Promise<{ rec: Recorded; ext: Extension }> {
    const rec: Recorded = { commands: [], errors: [], warnings: [], log: [] };
    const ext = loadExtension(fakeVscode(settings, rec));
    ext.activate({ subscriptions: [], extensionPath });
    // The server starts in the background: wait until it has decided (logged a verdict).
    const deadline = Date.now() + 15_000;
    while (!rec.log.some((l) => /^(error|info Starting|info mllint is disabled)/.test(l)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 20));   // the notification follows the log line
    return { rec, ext };
}

describe("extension bundle with a fake vscode", function () {
    this.timeout(30_000);

    before(function () {
        if (!fs.existsSync(bundle)) {
            console.log(`      (skipped: ${bundle} not built; run npm run compile)`);
            this.skip();
        }
    });

    it("registers the Restart and Show Pipeline Plan commands", async () => {
        const { rec, ext } = await activateWith({ interpreter: ["/definitely/not/python3"] });
        assert.deepEqual(rec.commands.sort(), ["mllint.restart", "mllint.showPlan"]);
        await ext.deactivate();
    });

    it("reports a missing interpreter instead of starting the server", async () => {
        const { rec, ext } = await activateWith({ interpreter: "/definitely/not/python3" });
        assert.equal(rec.errors.length, 1, JSON.stringify(rec));
        assert.match(rec.errors[0], /Python interpreter \/definitely\/not\/python3 was not found/);
        assert.ok(rec.log.some((l) => l.includes("from the mllint.interpreter setting")), rec.log.join("\n"));
        await ext.deactivate();
    });

    it("gives the install-from-clone command when mllint is not importable", async function () {
        if (process.platform === "win32") {
            this.skip();
        }
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mllint-fake-python-"));
        const python = path.join(dir, "python");
        fs.writeFileSync(python, "#!/bin/sh\necho \"ModuleNotFoundError: No module named 'mllint'\" >&2\nexit 1\n", { mode: 0o755 });
        try {
            const { rec, ext } = await activateWith({ interpreter: [python] });
            assert.deepEqual(rec.errors, [`mllint is not installed in ${python}: ${python} -m pip install /path/to/mllint (/path/to/mllint is a clone of the mllint repository or a wheel from a release; mllint-plan is not on PyPI; the server runs isolated: PYTHONPATH and user site-packages are not used)`]);
            await ext.deactivate();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("with a bundle built for another Python", () => {
        let extension: string;
        let python: string;

        before(function () {
            python = process.env.MLLINT_PYTHON || "python3";
            try {
                execFileSync(python, ["-c", "pass"], { stdio: "ignore" });
            } catch {
                this.skip();
            }
            // The real launcher, and a manifest for a Python nobody runs.
            extension = fs.mkdtempSync(path.join(os.tmpdir(), "mllint-ext-"));
            fs.mkdirSync(path.join(extension, "bundled", "tool"), { recursive: true });
            fs.mkdirSync(path.join(extension, "bundled", "libs"));
            fs.copyFileSync(path.resolve(__dirname, "..", "..", "bundled", "tool", "mllint_server.py"),
                path.join(extension, "bundled", "tool", "mllint_server.py"));
            fs.writeFileSync(path.join(extension, "bundled", "bundle.json"),
                JSON.stringify({ implementation: "cpython", python: "2.7", platform: "plan9-mips" }));
        });

        after(() => {
            if (extension) {
                fs.rmSync(extension, { recursive: true, force: true });
            }
        });

        // `python -S`: no site-packages, so the environment has no mllint either.
        it("falls back to the environment and names both problems and the install command in one error", async () => {
            const { rec, ext } = await activateWith({ interpreter: [python, "-S"] }, extension);
            assert.equal(rec.errors.length, 1, JSON.stringify(rec));
            assert.match(rec.errors[0], /^mllint: the bundled mllint is for cpython 2\.7 on plan9-mips; this interpreter is \w+ 3\.\d+ on .+, and mllint is not installed in .+ -S: .+ -S -m pip install \/path\/to\/mllint \(/);
            assert.ok(rec.log.some((l) => l.includes("mllint.importStrategy: useBundled")), rec.log.join("\n"));
            await ext.deactivate();
        });

        it("warns once and starts the mllint installed in the environment when there is one", async function () {
            if (!process.env.MLLINT_PYTHON) {
                this.skip();   // needs a Python with mllint installed
            }
            const { rec, ext } = await activateWith({ interpreter: [python] }, extension);
            assert.deepEqual(rec.errors, [], JSON.stringify(rec));
            assert.equal(rec.warnings.length, 1, JSON.stringify(rec));
            assert.match(rec.warnings[0], /^mllint: the bundled mllint is for cpython 2\.7 on plan9-mips; this interpreter is .*; using the mllint installed in .+ instead\.$/);
            // (the fake vscode cannot run a LanguageClient: the decision is what is checked here)
            assert.ok(rec.log.includes("info mllint: the server installed in the interpreter's environment"), rec.log.join("\n"));
            await ext.deactivate();
        });

        it("keeps quiet with mllint.showNotifications off, and logs the error", async () => {
            const { rec, ext } = await activateWith({ interpreter: [python, "-S"], showNotifications: "off" }, extension);
            assert.deepEqual(rec.errors, []);
            assert.ok(rec.log.some((l) => /^error mllint: the bundled mllint is for cpython 2\.7/.test(l)), rec.log.join("\n"));
            await ext.deactivate();
        });
    });

    it("does not start (nor check) anything when disabled", async () => {
        const { rec, ext } = await activateWith({ enable: false, interpreter: "/definitely/not/python3" });
        assert.deepEqual(rec.errors, []);
        assert.ok(rec.log.some((l) => l.includes("disabled")), rec.log.join("\n"));
        await ext.deactivate();
    });
});
