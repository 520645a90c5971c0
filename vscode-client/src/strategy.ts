/**
 * Which mllint server to start, after Microsoft's python-tools extension template, free of any
 * `vscode` import (unit-tested with mocha against real Python processes):
 *
 * - `mllint.path`: a command that replaces the Python server altogether;
 * - `mllint.importStrategy` `useBundled` (default): the libraries the .vsix bundles in `bundled/libs`,
 *   started through `bundled/tool/mllint_server.py` by the selected interpreter. The bundle holds
 *   compiled wheels (libcst) for one Python minor version and platform: any other interpreter falls
 *   back to the mllint installed in its environment;
 * - `fromEnvironment`: the mllint installed in the interpreter's environment, falling back to the
 *   bundle when none is installed there (the template's semantics);
 * - `mllint.args`, `mllint.cwd` and `mllint.showNotifications`.
 */
import * as path from "node:path";
import {
    CheckResult,
    checkServerImportable,
    defaultRunner,
    displayCommand,
    ExpansionContext,
    expandVariables,
    LAUNCH,
    normalizeInterpreterSetting,
    RunResult,
    Runner,
    IMPORT_CHECK_TIMEOUT_MS,
    ServerCommand,
    serverCommand,
    serverEnvironment,
    serverWorkingDirectory,
} from "./launch";

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

export type ImportStrategy = "useBundled" | "fromEnvironment";
export const IMPORT_STRATEGIES: readonly ImportStrategy[] = ["useBundled", "fromEnvironment"];

/** `mllint.importStrategy`; anything else is the default, `useBundled`. */
export function normalizeImportStrategy(value: unknown): ImportStrategy {
    return value === "fromEnvironment" ? "fromEnvironment" : "useBundled";
}

export type ShowNotifications = "off" | "onError" | "onWarning" | "always";
export const SHOW_NOTIFICATIONS: readonly ShowNotifications[] = ["off", "onError", "onWarning", "always"];
/**
 * The default shows errors and warnings: a server that cannot start would otherwise fail silently,
 * and a bundle that does not fit the interpreter (the installed mllint is used instead) is worth
 * one notification. The template defaults to `off`, but its bundle runs on every Python.
 */
export const DEFAULT_SHOW_NOTIFICATIONS: ShowNotifications = "onWarning";

export function normalizeShowNotifications(value: unknown): ShowNotifications {
    return SHOW_NOTIFICATIONS.includes(value as ShowNotifications) ? (value as ShowNotifications) : DEFAULT_SHOW_NOTIFICATIONS;
}

export type NoticeLevel = "error" | "warning" | "info";

/** Whether a notice of `level` pops up under `mllint.showNotifications` (the log gets every notice). */
export function shouldNotify(setting: ShowNotifications, level: NoticeLevel): boolean {
    switch (setting) {
        case "off": return false;
        case "onError": return level === "error";
        case "onWarning": return level === "error" || level === "warning";
        case "always": return true;
    }
}

/** `mllint.args`: extra arguments for the server, variables expanded; non-strings dropped. */
export function normalizeArgs(value: unknown, ctx: ExpansionContext = {}): string[] {
    if (!Array.isArray(value)) {
        return [];
    }
    return value.filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => expandVariables(v, ctx));
}

/** `mllint.path`: a command (a path or a list), like `mllint.interpreter`; [] when unset. */
export function normalizePathSetting(value: unknown, ctx: ExpansionContext = {}): string[] {
    return normalizeInterpreterSetting(value, ctx);
}

/**
 * `mllint.cwd`: the server's working directory, variables expanded. Unset, it is the extension's
 * folder (see `serverWorkingDirectory`): the server never needs the workspace as its directory.
 * A value that still holds `${workspaceFolder}` (no folder open) counts as unset.
 */
export function resolveCwd(value: unknown, ctx: ExpansionContext, extensionPath?: string): string {
    const raw = typeof value === "string" ? value.trim() : "";
    const expanded = raw === "" ? "" : expandVariables(raw, ctx);
    if (expanded === "" || expanded.includes("${")) {
        return serverWorkingDirectory(extensionPath);
    }
    return expanded;
}

// ---------------------------------------------------------------------------------------------
// The bundle
// ---------------------------------------------------------------------------------------------

/** The launcher inside the extension, relative to its folder. */
export const BUNDLED_LAUNCHER = ["bundled", "tool", "mllint_server.py"] as const;
/** Exit codes of `mllint_server.py` (keep in sync with the script). */
export const LAUNCHER_EXIT_INCOMPATIBLE = 3;
export const LAUNCHER_EXIT_NO_BUNDLE = 4;

export function bundledLauncherPath(extensionPath: string): string {
    return path.join(extensionPath, ...BUNDLED_LAUNCHER);
}

/** `[python..., "-I", "-u", <extension>/bundled/tool/mllint_server.py, ...args]`. */
export function bundledServerCommand(interpreter: string[], extensionPath: string, args: string[] = [],
    baseEnv?: Record<string, string | undefined>): ServerCommand {
    if (interpreter.length === 0) {
        throw new Error("no Python interpreter given");
    }
    return {
        command: interpreter[0],
        args: [...interpreter.slice(1), ...LAUNCH.interpreterFlags, bundledLauncherPath(extensionPath), ...args],
        env: serverEnvironment(baseEnv),
    };
}

/** The start-up check of the bundle: the launcher with `--check` (imports the server, does not serve). */
export function bundleCheckArgv(interpreter: string[], extensionPath: string): string[] {
    const server = bundledServerCommand(interpreter, extensionPath, ["--check"]);
    return [server.command, ...server.args];
}

export type BundleStatus = "ok" | "incompatible" | "missing" | "broken" | "interpreter-not-found" | "timeout";

export interface BundleCheck {
    status: BundleStatus;
    /** One line for the user (empty when ok). */
    message: string;
    detail: string;
}

/** Classifies the result of `mllint_server.py --check`. */
export function classifyBundleCheck(interpreter: string[], result: RunResult): BundleCheck {
    const python = displayCommand(interpreter);
    const detail = (result.stderr || result.stdout).trim();
    const lastLine = detail.split(/\r?\n/).filter((l) => l.trim() !== "").pop() ?? `exit code ${result.code}`;
    if (result.code === 0 && !result.errorCode) {
        return { status: "ok", message: "", detail };
    }
    if (result.errorCode === "ENOENT" || result.errorCode === "EACCES" || result.errorCode === "ENOTDIR") {
        return { status: "interpreter-not-found", message: `the Python interpreter ${python} was not found`, detail };
    }
    if (result.errorCode === "ETIMEDOUT") {
        return { status: "timeout", message: `checking the bundled mllint with ${python} took too long`, detail };
    }
    if (result.code === LAUNCHER_EXIT_INCOMPATIBLE) {
        return { status: "incompatible", message: lastLine.replace(/^mllint: /, ""), detail };
    }
    if (result.code === LAUNCHER_EXIT_NO_BUNDLE) {
        return { status: "missing", message: "this build of the extension bundles no mllint", detail };
    }
    return { status: "broken", message: `the bundled mllint cannot start in ${python} (${lastLine})`, detail };
}

export async function checkBundle(interpreter: string[], extensionPath: string | undefined,
    options: { runner?: Runner; timeoutMs?: number; cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<BundleCheck> {
    if (!extensionPath) {
        return { status: "missing", message: "this build of the extension bundles no mllint", detail: "" };
    }
    const runner = options.runner ?? defaultRunner;
    const result = await runner(bundleCheckArgv(interpreter, extensionPath), {
        timeoutMs: options.timeoutMs ?? IMPORT_CHECK_TIMEOUT_MS,
        cwd: options.cwd,
        env: serverEnvironment(options.env),
    });
    return classifyBundleCheck(interpreter, result);
}

// ---------------------------------------------------------------------------------------------
// The decision
// ---------------------------------------------------------------------------------------------

export interface Notice {
    level: NoticeLevel;
    message: string;
}

export type ServerSource = "path" | "bundled" | "environment";

export interface LaunchInputs {
    strategy: ImportStrategy;
    /** The interpreter (from `resolveInterpreter`); unused when `path` is set. */
    interpreter: string[];
    /** `mllint.path`, normalized: when non-empty it is the whole server command. */
    path: string[];
    /** `mllint.args`, normalized. */
    args: string[];
    extensionPath?: string;
    /** The working directory of the checks (the server's). */
    cwd?: string;
    runner?: Runner;
    timeoutMs?: number;
    env?: Record<string, string | undefined>;
}

export type LaunchPlan =
    | { kind: "start"; source: ServerSource; server: ServerCommand; notices: Notice[] }
    /** Nothing can start: `problem` says why (shown as an error with the install actions). */
    | { kind: "none"; problem: CheckResult; notices: Notice[] };

/**
 * Decides how the server starts: runs the bundle check and/or the environment's import check with
 * the real interpreter and returns the command, or the problem, with what the user should be told.
 */
export async function planServerLaunch(inputs: LaunchInputs): Promise<LaunchPlan> {
    const env = inputs.env;
    if (inputs.path.length > 0) {
        return {
            kind: "start",
            source: "path",
            server: { command: inputs.path[0], args: [...inputs.path.slice(1), ...inputs.args], env: serverEnvironment(env) },
            notices: [],
        };
    }
    const checkOptions = { runner: inputs.runner, timeoutMs: inputs.timeoutMs, cwd: inputs.cwd, env };
    const python = displayCommand(inputs.interpreter);
    const bundled = (): ServerCommand => bundledServerCommand(inputs.interpreter, inputs.extensionPath ?? "", inputs.args, env);
    const environment = (): ServerCommand => {
        const server = serverCommand(inputs.interpreter, env);
        return { ...server, args: [...server.args, ...inputs.args] };
    };

    if (inputs.strategy === "useBundled") {
        const bundle = await checkBundle(inputs.interpreter, inputs.extensionPath, checkOptions);
        if (bundle.status === "ok") {
            return { kind: "start", source: "bundled", server: bundled(), notices: [] };
        }
        if (bundle.status === "timeout") {
            return { kind: "start", source: "bundled", server: bundled(), notices: [{ level: "warning", message: `mllint: ${bundle.message}; starting it anyway.` }] };
        }
        if (bundle.status === "interpreter-not-found") {
            const fromEnv = await checkServerImportable(inputs.interpreter, checkOptions);
            return { kind: "none", problem: fromEnv, notices: [] };
        }
        // incompatible, missing or broken: the environment's mllint, if there is one
        const fallback = `mllint: ${bundle.message}; using the mllint installed in ${python} instead.`;
        const fromEnv = await checkServerImportable(inputs.interpreter, checkOptions);
        if (fromEnv.status === "ok" || fromEnv.status === "timeout") {
            // A build without a bundle (development) is expected: say so in the log only.
            const level: NoticeLevel = bundle.status === "missing" ? "info" : "warning";
            const notices: Notice[] = [{ level, message: fallback }];
            if (fromEnv.status === "timeout") {
                notices.push({ level: "warning", message: fromEnv.message });
            }
            return { kind: "start", source: "environment", server: environment(), notices };
        }
        const problem: CheckResult = bundle.status === "missing"
            ? fromEnv
            : { ...fromEnv, message: `mllint: ${bundle.message}, and ${fromEnv.message.replace(/^mllint: /, "")}` };
        return { kind: "none", problem, notices: [] };
    }

    const fromEnv = await checkServerImportable(inputs.interpreter, checkOptions);
    if (fromEnv.status === "ok") {
        return { kind: "start", source: "environment", server: environment(), notices: [] };
    }
    if (fromEnv.status === "timeout") {
        return { kind: "start", source: "environment", server: environment(), notices: [{ level: "warning", message: fromEnv.message }] };
    }
    if (fromEnv.status === "not-installed") {
        const bundle = await checkBundle(inputs.interpreter, inputs.extensionPath, checkOptions);
        if (bundle.status === "ok") {
            return {
                kind: "start",
                source: "bundled",
                server: bundled(),
                notices: [{ level: "warning", message: `mllint is not installed in ${python}: using the mllint bundled with the extension (mllint.importStrategy is fromEnvironment).` }],
            };
        }
    }
    return { kind: "none", problem: fromEnv, notices: [] };
}
