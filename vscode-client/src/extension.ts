/**
 * The mllint VS Code extension: starts the mllint language server (stdio, outside the workspace) with
 * the user's Python -- from the libraries bundled in the extension (`mllint.importStrategy`
 * `useBundled`), from the interpreter's environment (`python -I -u -m mllint.lsp_server`), or as
 * `mllint.path` says -- and wires the Restart and Show Pipeline Plan commands. Everything that can be
 * decided without VS Code lives in `launch.ts` / `strategy.ts` / `plan.ts` (unit-tested with mocha).
 */
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import * as vscode from "vscode";
import {
    DiagnosticCollectionProvider,
    DocumentSelector,
    ExecuteCommandRequest,
    LanguageClient,
    LanguageClientOptions,
    RevealOutputChannelOn,
    ServerOptions,
    TransportKind,
} from "vscode-languageclient/node";
import { PythonExtension, PVSC_EXTENSION_ID } from "@vscode/python-extension";
import {
    displayCommand,
    INSTALL_SOURCE,
    installCommand,
    Interpreter,
    resolveInterpreter,
    toServerSettings,
} from "./launch";
import {
    normalizeArgs,
    normalizeImportStrategy,
    normalizePathSetting,
    normalizeShowNotifications,
    NoticeLevel,
    planServerLaunch,
    resolveCwd,
    ServerSource,
    shouldNotify,
} from "./strategy";
import { EXPLAIN_COMMAND, parseExplainResult, PLAN_VIEW_SCRIPT, renderPlanHtml } from "./plan";

const SECTION = "mllint";
/** Settings that change how the server is started: a change restarts it. */
const LAUNCH_SETTINGS = ["interpreter", "path", "args", "cwd", "importStrategy"];

/** Python files on disk and unsaved, and the Python cells of Jupyter notebooks. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
    { scheme: "file", language: "python" },
    { scheme: "untitled", language: "python" },
    { notebook: "jupyter-notebook", language: "python" },
];

let output: vscode.LogOutputChannel;
let traceOutput: SettingTraceChannel;
let client: LanguageClient | undefined;
let currentInterpreter: Interpreter | undefined;
/** Serialises start / stop / restart so that they never interleave. */
let queue: Promise<void> = Promise.resolve();
/** Interpreters the user was already told about (no repeated pop-ups on automatic restarts). */
const notified = new Set<string>();
/** The extension's install folder: the server's working directory (not the workspace). */
let extensionPath: string | undefined;
let planPanel: { panel: vscode.WebviewPanel; uri: vscode.Uri; script: vscode.Uri } | undefined;

export function activate(context: vscode.ExtensionContext): void {
    extensionPath = context.extensionPath;
    output = vscode.window.createOutputChannel("mllint", { log: true });
    traceOutput = new SettingTraceChannel();
    context.subscriptions.push(output, traceOutput);

    context.subscriptions.push(
        vscode.commands.registerCommand("mllint.restart", () => {
            notified.clear();   // an explicit restart reports problems again
            return enqueue(() => restart("restart command"));
        }),
        vscode.commands.registerCommand("mllint.showPlan", () => showPlan(context)),
        vscode.workspace.onDidChangeConfiguration((event) => {
            if (event.affectsConfiguration(`${SECTION}.trace.server`)) {
                traceOutput.settingChanged();
            }
            const launchSetting = LAUNCH_SETTINGS.find((key) => event.affectsConfiguration(`${SECTION}.${key}`));
            if (launchSetting) {
                void enqueue(() => restart(`mllint.${launchSetting} changed`));
            } else if (event.affectsConfiguration(`${SECTION}.enable`)) {
                // The server reads `enable` itself (per folder); only start or stop it as a whole here.
                void enqueue(() => (anyEnabled() ? (client ? Promise.resolve() : start()) : stop()));
            }
        }),
        vscode.workspace.onDidSaveTextDocument((document) => {
            if (planPanel && planPanel.uri.toString() === planTarget(document.uri).toString()) {
                void refreshPlan(planPanel.uri);
            }
        }),
    );

    void watchPythonExtension(context);
    // Not awaited: the import check may take a while (conda), activation should not.
    void enqueue(() => start());
}

export async function deactivate(): Promise<void> {
    await enqueue(() => stop());
}

function enqueue(task: () => Promise<void>): Promise<void> {
    queue = queue.then(task, task).catch((error) => {
        output.error(`mllint: ${errorMessage(error)}`);
    });
    return queue;
}

function anyEnabled(): boolean {
    const scopes = vscode.workspace.workspaceFolders?.map((f) => f.uri) ?? [];
    return [undefined, ...scopes].some((scope) => vscode.workspace.getConfiguration(SECTION, scope).get<boolean>("enable", true));
}

function primaryFolder(): vscode.WorkspaceFolder | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
    return folder ?? vscode.workspace.workspaceFolders?.[0];
}

// ---------------------------------------------------------------------------------------------
// Python extension
// ---------------------------------------------------------------------------------------------

async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
    if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) {
        return undefined;
    }
    const api = await PythonExtension.api();
    const active = api.environments.getActiveEnvironmentPath(resource);
    const resolved = await api.environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active?.path;
}

async function watchPythonExtension(context: vscode.ExtensionContext): Promise<void> {
    if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) {
        return;
    }
    try {
        const api = await PythonExtension.api();
        context.subscriptions.push(api.environments.onDidChangeActiveEnvironmentPath(() => {
            void enqueue(async () => {
                if (currentInterpreter?.source === "setting") {
                    return;   // mllint.interpreter wins over the selection
                }
                const selected = await pythonExtensionInterpreter(primaryFolder()?.uri).catch(() => undefined);
                if (selected !== currentInterpreter?.command[0] || !client) {
                    await restart("the selected Python interpreter changed");
                }
            });
        }));
    } catch (error) {
        output.warn(`Python extension API unavailable: ${errorMessage(error)}`);
    }
}

// ---------------------------------------------------------------------------------------------
// Server lifecycle
// ---------------------------------------------------------------------------------------------

async function restart(reason: string): Promise<void> {
    output.info(`Restarting the server: ${reason}`);
    await stop();
    await start();
}

async function stop(): Promise<void> {
    const running = client;
    client = undefined;
    if (running) {
        try {
            await running.stop(5000);
        } catch (error) {
            output.warn(`Stopping the server: ${errorMessage(error)}`);
        }
        try {
            await running.dispose();
        } catch {
            // already disposed
        }
    }
}

async function start(): Promise<void> {
    if (client) {
        return;
    }
    if (!anyEnabled()) {
        output.info("mllint is disabled (mllint.enable): the server is not started.");
        return;
    }
    const folder = primaryFolder();
    const config = vscode.workspace.getConfiguration(SECTION, folder?.uri);
    const workspaceFolder = folder?.uri.scheme === "file" ? folder.uri.fsPath : undefined;
    const expansion = { workspaceFolder };
    const cwd = resolveCwd(config.get("cwd"), expansion, extensionPath);   // default: never the workspace (see launch.ts)
    const customPath = normalizePathSetting(config.get("path"), expansion);
    const strategy = normalizeImportStrategy(config.get("importStrategy"));
    const interpreter = await resolveInterpreter({
        setting: config.get("interpreter"),
        pythonExtension: () => pythonExtensionInterpreter(folder?.uri),
        expansion,
    });
    currentInterpreter = interpreter;
    const python = displayCommand(interpreter.command);
    if (customPath.length > 0) {
        output.info(`Server: ${displayCommand(customPath)} (from the mllint.path setting; mllint.interpreter and mllint.importStrategy do not apply)`);
    } else {
        output.info(`Python: ${python} (from ${describeSource(interpreter)}); mllint.importStrategy: ${strategy}`);
    }

    const plan = await planServerLaunch({
        strategy,
        interpreter: interpreter.command,
        path: customPath,
        args: normalizeArgs(config.get("args"), expansion),
        extensionPath,
        cwd,
    });
    for (const notice of plan.notices) {
        log(notice.level, notice.message);
        void notify(notice.level, notice.message);
    }
    if (plan.kind === "none") {
        output.error(plan.problem.message);
        if (plan.problem.detail) {
            output.error(plan.problem.detail);
        }
        void notifyNotStartable(interpreter, plan.problem.status, plan.problem.message);
        return;
    }

    const server = plan.server;
    output.info(`mllint: ${describeServerSource(plan.source)}`);
    const serverOptions: ServerOptions = {
        command: server.command,
        args: server.args,
        transport: TransportKind.stdio,
        options: { cwd, env: server.env as NodeJS.ProcessEnv },
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: DOCUMENT_SELECTOR,
        synchronize: {
            configurationSection: SECTION,
            fileEvents: vscode.workspace.createFileSystemWatcher("**/pyproject.toml"),
        },
        initializationOptions: toServerSettings(sectionValues(config)),
        outputChannel: output,
        traceOutputChannel: traceOutput,
        revealOutputChannelOn: RevealOutputChannelOn.Never,
        // The server both pushes diagnostics and answers pulls: one shared collection, no duplicates.
        diagnosticCollectionProvider: new SharedDiagnosticCollection(),
    };
    const next = new LanguageClient(SECTION, "mllint", serverOptions, clientOptions);
    client = next;
    output.info(`Starting: ${displayCommand([server.command, ...server.args])}`);
    try {
        await next.start();
    } catch (error) {
        client = undefined;
        output.error(`The mllint server failed to start: ${errorMessage(error)}`);
        void notify("error", `mllint: the language server failed to start (${displayCommand([server.command, ...server.args])}). See the "mllint" output.`, "Show Output")
            .then((choice) => choice && output.show());
        try {
            await next.dispose();
        } catch {
            // nothing left to clean
        }
    }
}

function describeSource(interpreter: Interpreter): string {
    switch (interpreter.source) {
        case "setting": return "the mllint.interpreter setting";
        case "python-extension": return "the Python extension's selected interpreter";
        default: return "the default; set mllint.interpreter or select an interpreter in the Python extension to change it";
    }
}

function describeServerSource(source: ServerSource): string {
    switch (source) {
        case "bundled": return "the server bundled with the extension (bundled/libs)";
        case "environment": return "the server installed in the interpreter's environment";
        case "path": return "the mllint.path command";
    }
}

function log(level: NoticeLevel, message: string): void {
    if (level === "error") {
        output.error(message);
    } else if (level === "warning") {
        output.warn(message);
    } else {
        output.info(message);
    }
}

/**
 * Shows a notification when `mllint.showNotifications` allows its level (the output channel has every
 * message anyway); the same message pops up once per session until "Restart Server".
 */
async function notify(level: NoticeLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    const setting = normalizeShowNotifications(vscode.workspace.getConfiguration(SECTION).get("showNotifications"));
    if (!shouldNotify(setting, level) || notified.has(message)) {
        return undefined;
    }
    notified.add(message);
    const show = level === "error" ? vscode.window.showErrorMessage
        : level === "warning" ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...actions);
}

/** The `mllint` section as a plain object (the server keys; `null` values are kept as null). */
function sectionValues(config: vscode.WorkspaceConfiguration): Record<string, unknown> {
    const keys = ["enable", "severity", "sensitiveColumns", "extendSensitiveColumns", "select", "ignore"];
    return Object.fromEntries(keys.map((key) => [key, config.get(key)]));
}

async function notifyNotStartable(interpreter: Interpreter, status: string, message: string): Promise<void> {
    const hasPython = vscode.extensions.getExtension(PVSC_EXTENSION_ID) !== undefined;
    const actions: string[] = [];
    if (status !== "interpreter-not-found") {
        actions.push("Copy Install Command");
    }
    if (hasPython) {
        actions.push("Select Interpreter");
    }
    actions.push("Open Settings", "Show Output");
    const choice = await notify("error", message, ...actions);
    switch (choice) {
        case "Copy Install Command":
            await vscode.env.clipboard.writeText(installCommand(interpreter.command));
            void vscode.window.showInformationMessage(`mllint: install command copied; replace ${INSTALL_SOURCE} with your clone of the mllint repository (or a release wheel), run it in a terminal, then "mllint: Restart Server".`);
            break;
        case "Select Interpreter":
            await vscode.commands.executeCommand("python.setInterpreter");
            break;
        case "Open Settings":
            await vscode.commands.executeCommand("workbench.action.openSettings", "mllint.interpreter");
            break;
        case "Show Output":
            output.show();
            break;
    }
}

/**
 * The trace channel ("mllint Trace"). vscode-languageclient >= 10 traces only while the
 * trace channel's log level is Trace, and then reads `mllint.trace.server` only to pick
 * messages / verbose. This adapter derives the log level from `mllint.trace.server`, so
 * that the setting alone turns tracing on and off, as it did with earlier clients.
 */
class SettingTraceChannel implements vscode.LogOutputChannel {
    readonly name = "mllint Trace";
    private readonly channel = vscode.window.createOutputChannel("mllint Trace");
    private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
    readonly onDidChangeLogLevel = this.levelChanged.event;

    get logLevel(): vscode.LogLevel {
        const setting = vscode.workspace.getConfiguration(SECTION).get<string>("trace.server", "off");
        return setting === "messages" || setting === "verbose" ? vscode.LogLevel.Trace : vscode.LogLevel.Info;
    }

    settingChanged(): void {
        this.levelChanged.fire(this.logLevel);
    }

    private write(level: string, message: string | Error, args: unknown[]): void {
        const text = message instanceof Error ? message.stack ?? message.message : message;
        const extra = args.length ? ` ${args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")}` : "";
        this.channel.appendLine(`${new Date().toISOString()} [${level}] ${text}${extra}`);
    }

    trace(message: string, ...args: unknown[]): void { this.write("trace", message, args); }
    debug(message: string, ...args: unknown[]): void { this.write("debug", message, args); }
    info(message: string, ...args: unknown[]): void { this.write("info", message, args); }
    warn(message: string, ...args: unknown[]): void { this.write("warning", message, args); }
    error(message: string | Error, ...args: unknown[]): void { this.write("error", message, args); }
    append(value: string): void { this.channel.append(value); }
    appendLine(value: string): void { this.channel.appendLine(value); }
    replace(value: string): void { this.channel.replace(value); }
    clear(): void { this.channel.clear(); }
    show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
        if (typeof columnOrPreserveFocus === "boolean") {
            this.channel.show(columnOrPreserveFocus);
        } else {
            this.channel.show(columnOrPreserveFocus, preserveFocus);
        }
    }
    hide(): void { this.channel.hide(); }
    dispose(): void {
        this.levelChanged.dispose();
        this.channel.dispose();
    }
}

/** One diagnostic collection for the push and the pull model (released when both let go). */
class SharedDiagnosticCollection implements DiagnosticCollectionProvider {
    private collection: vscode.DiagnosticCollection | undefined;
    private users = 0;

    create(name: string | undefined): vscode.DiagnosticCollection {
        if (!this.collection) {
            this.collection = vscode.languages.createDiagnosticCollection(name ?? SECTION);
        }
        this.users += 1;
        return this.collection;
    }

    dispose(collection: vscode.DiagnosticCollection): void {
        if (collection !== this.collection) {
            collection.dispose();
            return;
        }
        this.users -= 1;
        if (this.users <= 0) {
            this.collection.dispose();
            this.collection = undefined;
            this.users = 0;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Show Pipeline Plan
// ---------------------------------------------------------------------------------------------

/** The document the plan is about: the notebook for a notebook cell, else the document itself. */
function planTarget(uri: vscode.Uri): vscode.Uri {
    if (uri.scheme === "vscode-notebook-cell") {
        const notebook = vscode.workspace.notebookDocuments.find((nb) =>
            nb.getCells().some((cell) => cell.document.uri.toString() === uri.toString()));
        if (notebook) {
            return notebook.uri;
        }
    }
    return uri;
}

/** dist/webview/planView.js inside the extension: Mermaid and the drawing code, bundled by esbuild. */
function planViewScriptUri(context: vscode.ExtensionContext): vscode.Uri {
    return vscode.Uri.joinPath(context.extensionUri, ...PLAN_VIEW_SCRIPT);
}

async function showPlan(context: vscode.ExtensionContext): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    let target: vscode.Uri | undefined;
    if (editor && editor.document.languageId === "python") {
        target = planTarget(editor.document.uri);
    } else if (notebook && notebook.notebookType === "jupyter-notebook") {
        target = notebook.uri;
    }
    if (!target) {
        void vscode.window.showWarningMessage("mllint: open a Python file or notebook to show its pipeline plan.");
        return;
    }
    if (!client || !client.isRunning()) {
        void vscode.window.showWarningMessage("mllint: the language server is not running. See the \"mllint\" output.", "Show Output")
            .then((choice) => choice && output.show());
        return;
    }
    if (!planPanel) {
        const panel = vscode.window.createWebviewPanel("mllint.plan", "mllint plan", {
            viewColumn: vscode.ViewColumn.Beside,
            preserveFocus: true,
        }, {
            // The bundled Mermaid script draws the diagram; it is the only resource the page may load.
            enableScripts: true,
            enableCommandUris: false,
            enableForms: false,
            localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, ...PLAN_VIEW_SCRIPT.slice(0, -1))],
            retainContextWhenHidden: false,
        });
        planPanel = { panel, uri: target, script: planViewScriptUri(context) };
        panel.onDidDispose(() => {
            planPanel = undefined;
        }, undefined, context.subscriptions);
    } else {
        planPanel.uri = target;
        planPanel.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    await refreshPlan(target);
}

async function refreshPlan(target: vscode.Uri): Promise<void> {
    const running = client;
    const view = planPanel;
    if (!running || !view) {
        return;
    }
    const label = vscode.workspace.asRelativePath(target, false) || path.basename(target.fsPath);
    view.panel.title = `mllint plan: ${path.posix.basename(target.path)}`;
    try {
        const result = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Window, title: "mllint: computing the plan" },
            () => running.sendRequest(ExecuteCommandRequest.type, {
                command: EXPLAIN_COMMAND,
                arguments: [running.code2ProtocolConverter.asUri(target)],
            }));
        if (planPanel !== view || view.uri.toString() !== target.toString()) {
            return;   // another document's plan was requested meanwhile
        }
        view.panel.webview.html = renderPlanHtml({
            document: label,
            plan: parseExplainResult(result),
            generatedAt: new Date(),
            scriptUri: view.panel.webview.asWebviewUri(view.script).toString(),
            nonce: randomBytes(18).toString("base64"),
        });
    } catch (error) {
        output.error(`mllint.explain ${target.toString()}: ${errorMessage(error)}`);
        void vscode.window.showErrorMessage(`mllint: no plan for ${label}: ${errorMessage(error)}`);
    }
}

function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
