/**
 * Launch logic of the mllint language server, free of any `vscode` import so that
 * it is unit-tested with plain mocha (and reused by the protocol smoke test).
 *
 * - which Python runs the server (the `mllint.interpreter` setting, else the
 *   interpreter selected in the Python extension, else `python3` / `python`);
 * - the server command `[...python, "-I", "-u", "-m", "mllint.lsp_server"]` (from
 *   `server-launch.json`, which the Python test suite reads too), its environment and its
 *   working directory (never the workspace);
 * - whether mllint's server is importable there (`python -I -c "import mllint.lsp_server"`)
 *   and the message shown when it is not;
 * - the `mllint` settings section -> `initializationOptions`.
 */
import { execFile } from "node:child_process";
import * as os from "node:os";
import launchSpec from "./server-launch.json";

/**
 * How the server is started, in one file shared with the Python tests (tests/test_server_start.py
 * starts the server with exactly this command in a workspace full of sentinel modules).
 */
export interface LaunchSpec {
    /** Interpreter flags before `-m`: `-I` keeps every workspace module off `sys.path`. */
    interpreterFlags: readonly string[];
    module: string;
}
export const LAUNCH: LaunchSpec = Object.freeze({
    interpreterFlags: Object.freeze([...launchSpec.interpreterFlags]),
    module: launchSpec.module,
});

/** The Python module started as the language server (`python -I -u -m mllint.lsp_server`). */
export const SERVER_MODULE = LAUNCH.module;
/** The distribution that provides it. It is not on PyPI (`mllint` there is an unrelated project). */
export const DISTRIBUTION = "mllint-plan";
/** What `pip install` is given: a clone of the repository (or a wheel from a release), never a PyPI name. */
export const INSTALL_SOURCE = "/path/to/mllint";
/** Where to get it, in one sentence, wherever the extension names the install command. */
export const INSTALL_HINT = `${INSTALL_SOURCE} is a clone of the mllint repository or a wheel from a release; ${DISTRIBUTION} is not on PyPI`;

// ---------------------------------------------------------------------------------------------
// Interpreter
// ---------------------------------------------------------------------------------------------

export type InterpreterSource = "setting" | "python-extension" | "default";

export interface Interpreter {
    /** The interpreter command: the executable, then any extra arguments (e.g. `-X utf8`). */
    command: string[];
    source: InterpreterSource;
}

export interface ExpansionContext {
    workspaceFolder?: string;
    userHome?: string;
    env?: Record<string, string | undefined>;
}

/** `${workspaceFolder}`, `${userHome}`, `${env:NAME}` and a leading `~` in one setting value. */
export function expandVariables(value: string, ctx: ExpansionContext): string {
    const home = ctx.userHome ?? os.homedir();
    const env = ctx.env ?? process.env;
    let out = value.replace(/\$\{(workspaceFolder|userHome|env:([^}]+))\}/g, (whole, name: string, envName?: string) => {
        if (envName !== undefined) {
            return env[envName] ?? "";
        }
        if (name === "userHome") {
            return home;
        }
        return ctx.workspaceFolder ?? whole;
    });
    if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
        out = home + out.slice(1);
    }
    return out;
}

/** The `mllint.interpreter` setting (a path or a command list) as a command; [] when unset. */
export function normalizeInterpreterSetting(value: unknown, ctx: ExpansionContext = {}): string[] {
    const items = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
    const strings = items.filter((v): v is string => typeof v === "string");
    if (strings.length === 0 || strings[0].trim() === "") {
        return [];
    }
    return strings.map((v) => expandVariables(v.trim(), ctx));
}

/** `python3` on POSIX (plain `python` is often absent or Python 2), `python` on Windows. */
export function defaultPython(platform: NodeJS.Platform = process.platform): string {
    return platform === "win32" ? "python" : "python3";
}

export interface InterpreterInputs {
    /** The raw `mllint.interpreter` setting. */
    setting?: unknown;
    /** Resolves the Python extension's selected interpreter (undefined: none / extension absent). */
    pythonExtension?: () => Promise<string | undefined> | string | undefined;
    platform?: NodeJS.Platform;
    expansion?: ExpansionContext;
}

/**
 * The interpreter that runs the server. An explicit `mllint.interpreter` wins (it exists to
 * override); otherwise the Python extension's selection; otherwise `python3` (`python` on Windows).
 */
export async function resolveInterpreter(inputs: InterpreterInputs): Promise<Interpreter> {
    const fromSetting = normalizeInterpreterSetting(inputs.setting, inputs.expansion);
    if (fromSetting.length > 0) {
        return { command: fromSetting, source: "setting" };
    }
    if (inputs.pythonExtension) {
        let selected: string | undefined;
        try {
            selected = await inputs.pythonExtension();
        } catch {
            selected = undefined;   // the Python extension failed: fall through to the default
        }
        if (selected && selected.trim() !== "") {
            return { command: [selected], source: "python-extension" };
        }
    }
    return { command: [defaultPython(inputs.platform)], source: "default" };
}

// ---------------------------------------------------------------------------------------------
// Server command
// ---------------------------------------------------------------------------------------------

export interface ServerCommand {
    command: string;
    args: string[];
    env: Record<string, string | undefined>;
}

/**
 * The process environment of the server and of the import check: the extension host's, as is.
 * Isolation does not come from variables (`PYTHONSAFEPATH` is ignored by Python 3.10, so a
 * `networkx.py` in the workspace ran there) but from `-I` on the command line, which also makes
 * Python ignore every `PYTHON*` variable, a `PYTHONPATH` pointing into the workspace included.
 */
export function serverEnvironment(base: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
    return { ...base };
}

/**
 * The working directory of the server and of the import check: the extension's own folder (or the
 * home folder), never the workspace. With `-I` the working directory is not on `sys.path` anyway;
 * this keeps relative paths and the default `[tool.mllint]` lookup away from workspace files too.
 */
export function serverWorkingDirectory(extensionPath?: string): string {
    return extensionPath && extensionPath.trim() !== "" ? extensionPath : os.homedir();
}

/** `[python..., "-I", "-u", "-m", "mllint.lsp_server"]` split into command and arguments. */
export function serverCommand(interpreter: string[], baseEnv?: Record<string, string | undefined>): ServerCommand {
    if (interpreter.length === 0) {
        throw new Error("no Python interpreter given");
    }
    return {
        command: interpreter[0],
        args: [...interpreter.slice(1), ...LAUNCH.interpreterFlags, "-m", SERVER_MODULE],
        env: serverEnvironment(baseEnv),
    };
}

/** The interpreter as the user would type it (for messages). */
export function displayCommand(interpreter: string[]): string {
    return interpreter.map((part) => (/[\s"'$`\\]/.test(part) ? JSON.stringify(part) : part)).join(" ");
}

// ---------------------------------------------------------------------------------------------
// Import check
// ---------------------------------------------------------------------------------------------

export interface RunResult {
    /** Exit code (null when killed or never started). */
    code: number | null;
    stdout: string;
    stderr: string;
    /** Node's spawn error code: "ENOENT" (no such executable), "EACCES", "ETIMEDOUT" (our timeout)... */
    errorCode?: string;
}

export type Runner = (argv: string[], options: { timeoutMs: number; cwd?: string; env?: Record<string, string | undefined> }) => Promise<RunResult>;

/** Runs argv without a shell and collects its output; never rejects. */
export const defaultRunner: Runner = (argv, options) =>
    new Promise((resolve) => {
        execFile(argv[0], argv.slice(1), {
            timeout: options.timeoutMs,
            cwd: options.cwd,
            env: options.env as NodeJS.ProcessEnv | undefined,
            windowsHide: true,
            maxBuffer: 1024 * 1024,
        }, (error, stdout, stderr) => {
            if (!error) {
                resolve({ code: 0, stdout: String(stdout), stderr: String(stderr) });
                return;
            }
            const err = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
            let errorCode: string | undefined;
            if (typeof err.code === "string") {
                errorCode = err.code;
            } else if (err.killed) {
                errorCode = "ETIMEDOUT";
            }
            resolve({
                code: typeof err.code === "number" ? err.code : null,
                stdout: String(stdout ?? ""),
                stderr: String(stderr ?? ""),
                errorCode,
            });
        });
    });

export type CheckStatus =
    | "ok"
    | "interpreter-not-found"   // the executable does not exist / cannot run
    | "not-installed"           // no `mllint` package in that interpreter
    | "no-server"               // an mllint without `mllint.lsp_server` (too old)
    | "broken"                  // importing fails for another reason (e.g. pygls missing)
    | "timeout";                // the check did not finish: try to start anyway

export interface CheckResult {
    status: CheckStatus;
    /** The user-facing message (empty when ok). */
    message: string;
    /** The check's stderr, for the output channel. */
    detail: string;
}

export const IMPORT_CHECK_TIMEOUT_MS = 30_000;

/** The argv of the import check: `[python..., "-I", "-u", "-c", "import mllint.lsp_server"]` (the server's
 * flags, so that the check finds mllint exactly where the server will, and imports nothing from the workspace). */
export function importCheckArgv(interpreter: string[]): string[] {
    return [...interpreter, ...LAUNCH.interpreterFlags, "-c", `import ${SERVER_MODULE}`];
}

/** Classifies the result of the import check and words the notification. */
export function classifyImportCheck(interpreter: string[], result: RunResult): CheckResult {
    const python = displayCommand(interpreter);
    const detail = (result.stderr || result.stdout).trim();
    if (result.code === 0 && !result.errorCode) {
        return { status: "ok", message: "", detail };
    }
    if (result.errorCode === "ENOENT" || result.errorCode === "EACCES" || result.errorCode === "ENOTDIR") {
        return {
            status: "interpreter-not-found",
            message: `mllint: the Python interpreter ${python} was not found. Select one with "Python: Select Interpreter" or set "mllint.interpreter".`,
            detail,
        };
    }
    if (result.errorCode === "ETIMEDOUT") {
        return {
            status: "timeout",
            message: `mllint: checking for mllint in ${python} took too long; starting the server anyway.`,
            detail,
        };
    }
    const missing = /No module named ['"]([\w.]+)['"]/.exec(detail)?.[1];
    if (missing === "mllint") {
        return {
            status: "not-installed",
            message: `mllint is not installed in ${python}: ${python} -m pip install ${INSTALL_SOURCE} (${INSTALL_HINT}; the server runs isolated: PYTHONPATH and user site-packages are not used)`,
            detail,
        };
    }
    if (missing === SERVER_MODULE) {
        return {
            status: "no-server",
            message: `The mllint installed in ${python} has no language server: ${python} -m pip install --upgrade ${INSTALL_SOURCE} (${INSTALL_HINT})`,
            detail,
        };
    }
    const lastLine = detail.split(/\r?\n/).filter((l) => l.trim() !== "").pop() ?? `exit code ${result.code}`;
    return {
        status: "broken",
        message: `mllint cannot start in ${python} (${lastLine}): ${python} -m pip install --upgrade ${INSTALL_SOURCE} (${INSTALL_HINT})`,
        detail,
    };
}

/** Runs `python -c "import mllint.lsp_server"` in the server's environment and classifies it. */
export async function checkServerImportable(
    interpreter: string[],
    options: { runner?: Runner; timeoutMs?: number; cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<CheckResult> {
    const runner = options.runner ?? defaultRunner;
    const result = await runner(importCheckArgv(interpreter), {
        timeoutMs: options.timeoutMs ?? IMPORT_CHECK_TIMEOUT_MS,
        cwd: options.cwd,
        env: serverEnvironment(options.env),
    });
    return classifyImportCheck(interpreter, result);
}

/** The shell command that installs mllint into the interpreter from a clone or a release wheel (for
 * "Copy Install Command"; the user replaces INSTALL_SOURCE with the real path). */
export function installCommand(interpreter: string[], platform: NodeJS.Platform = process.platform): string {
    const quote = platform === "win32"
        ? (s: string) => (/[\s"&|<>^]/.test(s) ? `"${s}"` : s)
        : (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
    const python = interpreter.map(quote).join(" ");
    return `${platform === "win32" && /[\s]/.test(interpreter[0]) ? "& " : ""}${python} -m pip install --upgrade ${INSTALL_SOURCE}`;
}

// ---------------------------------------------------------------------------------------------
// Settings -> initializationOptions
// ---------------------------------------------------------------------------------------------

export type Severity = "error" | "warning" | "information" | "hint";
const SEVERITIES: ReadonlySet<string> = new Set(["error", "warning", "information", "hint"]);

/**
 * The server-side settings: the `mllint` section as the server reads it from
 * `initializationOptions`, `workspace/configuration` and `workspace/didChangeConfiguration`.
 * Absent (or null) keys mean "keep the project's `[tool.mllint]` / built-in value".
 */
export interface ServerSettings {
    enable: boolean;
    severity?: Record<string, Severity>;
    sensitiveColumns?: string[];
    extendSensitiveColumns?: string[];
    select?: string[];
    ignore?: string[];
}

function stringList(value: unknown): string[] | undefined {
    if (!Array.isArray(value)) {
        return undefined;
    }
    return value.filter((v): v is string => typeof v === "string").map((v) => v.trim()).filter((v) => v !== "");
}

/**
 * The `mllint` settings section (as `workspace.getConfiguration("mllint")` gives it,
 * or any plain object) -> `initializationOptions`. Client-only keys (`interpreter`,
 * `trace`) are dropped; values of the wrong type are dropped rather than sent; `null`
 * lists are omitted so that the project's `[tool.mllint]` stays in force.
 */
export function toServerSettings(section: Record<string, unknown> | undefined): ServerSettings {
    const raw = section ?? {};
    const out: ServerSettings = { enable: raw.enable === undefined ? true : raw.enable !== false };
    if (raw.severity && typeof raw.severity === "object" && !Array.isArray(raw.severity)) {
        const severity: Record<string, Severity> = {};
        for (const [code, level] of Object.entries(raw.severity as Record<string, unknown>)) {
            const normalized = typeof level === "string" ? level.trim().toLowerCase() : "";
            const mapped = normalized === "info" ? "information" : normalized;
            if (code.trim() !== "" && SEVERITIES.has(mapped)) {
                severity[code.trim().toUpperCase()] = mapped as Severity;
            }
        }
        if (Object.keys(severity).length > 0) {
            out.severity = severity;
        }
    }
    const sensitive = stringList(raw.sensitiveColumns);
    if (sensitive !== undefined) {
        out.sensitiveColumns = sensitive;   // [] is meaningful: no sensitive columns at all
    }
    const extend = stringList(raw.extendSensitiveColumns);
    if (extend !== undefined && extend.length > 0) {
        out.extendSensitiveColumns = extend;
    }
    const select = stringList(raw.select);
    if (select !== undefined) {
        out.select = select.map((c) => c.toUpperCase());
    }
    const ignore = stringList(raw.ignore);
    if (ignore !== undefined) {
        out.ignore = ignore.map((c) => c.toUpperCase());
    }
    return out;
}
