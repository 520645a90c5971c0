/**
 * Protocol smoke test: drives the real Python server (`python -I -u -m mllint.lsp_server`)
 * from Node with `vscode-languageserver-protocol`, the JSON-RPC/LSP library under the
 * VS Code client, announcing the client capabilities that VS Code announces.
 *
 *   MLLINT_PYTHON=/path/to/python npm run smoke
 *
 * Python: $MLLINT_PYTHON, else python3. When `mllint.lsp_server` is not importable there
 * the test is skipped with a message (exit 0), unless MLLINT_SMOKE_STRICT=1 (exit 1).
 *
 * MLLINT_SMOKE_STRATEGY=useBundled starts the server as the extension does by default: through
 * bundled/tool/mllint_server.py from bundled/libs (built by bundle-python.sh), with `python -S`, so
 * that no site-packages at all are visible and the bundle alone must carry mllint and everything it
 * imports. Without a usable bundle that is a failure under MLLINT_SMOKE_STRICT=1, not a fallback.
 *
 * Steps: initialize (+ checks of the server's capabilities) -> initialized -> didOpen of a
 * script that scales before the split -> ML101 (source "mllint") by textDocument/diagnostic
 * (pull) when advertised, else a publishDiagnostics within 20 s -> mllint.explain when
 * advertised -> shutdown -> exit, and the process ends with code 0; sentinel modules in the
 * workspace (its cwd) never ran.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
    ClientCapabilities,
    createProtocolConnection,
    Diagnostic,
    DiagnosticSeverity,
    DidOpenTextDocumentNotification,
    DocumentDiagnosticReport,
    DocumentDiagnosticRequest,
    ExecuteCommandRequest,
    ExitNotification,
    InitializedNotification,
    InitializeRequest,
    InitializeResult,
    LogMessageNotification,
    ProtocolConnection,
    PublishDiagnosticsNotification,
    PublishDiagnosticsParams,
    ShutdownRequest,
    StreamMessageReader,
    StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { checkServerImportable, displayCommand, ServerCommand, serverCommand } from "../launch";
import { checkBundle, bundledServerCommand } from "../strategy";
import { parseExplainResult } from "../plan";

/** Modules the server imports; a workspace copy of any of them must never run. */
const SENTINEL_MODULES = ["networkx", "pygls", "libcst", "lsprotocol", "tomllib", "tomli"];
const DIAGNOSTICS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 5_000;

/** Scales the whole dataset before the split, then fits and scores: ML101. */
export const LEAKY_SCRIPT = `import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

df = pd.read_csv("data.csv")
X = df.drop(columns=["target"])
y = df["target"]
X_scaled = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, test_size=0.2, random_state=0)
model = LogisticRegression()
model.fit(X_train, y_train)
print(model.score(X_test, y_test))
`;

/** What VS Code 1.93 with vscode-languageclient announces for the features mllint uses. */
export const VSCODE_CAPABILITIES: ClientCapabilities = {
    general: {
        positionEncodings: ["utf-16"],
        staleRequestSupport: { cancel: true, retryOnContentModified: [] },
    },
    workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
        executeCommand: { dynamicRegistration: true },
        workspaceFolders: true,
        diagnostics: { refreshSupport: true },
    },
    textDocument: {
        synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
        publishDiagnostics: {
            relatedInformation: true,
            versionSupport: false,
            tagSupport: { valueSet: [1, 2] },
            codeDescriptionSupport: true,
            dataSupport: true,
        },
        diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
        hover: { dynamicRegistration: true, contentFormat: ["markdown", "plaintext"] },
        codeAction: {
            dynamicRegistration: true,
            isPreferredSupport: true,
            disabledSupport: true,
            dataSupport: true,
            resolveSupport: { properties: ["edit"] },
            codeActionLiteralSupport: {
                codeActionKind: {
                    valueSet: ["", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite",
                        "source", "source.organizeImports"],
                },
            },
            honorsChangeAnnotations: false,
        },
    },
    notebookDocument: { synchronization: { dynamicRegistration: true, executionSummarySupport: true } },
    window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } } },
};

class SmokeFailure extends Error {}

function fail(message: string): never {
    throw new SmokeFailure(message);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string | (() => string)): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new SmokeFailure(
            `timed out after ${ms / 1000} s: ${typeof what === "string" ? what : what()}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function checkMllintDiagnostic(d: Diagnostic, text: string): void {
    const lines = text.split("\n");
    const { start, end } = d.range;
    if (d.source !== "mllint") {
        fail(`ML101 has source ${JSON.stringify(d.source)}, expected "mllint"`);
    }
    if (start.line < 0 || start.line >= lines.length || end.line < start.line || end.line >= lines.length + 1) {
        fail(`ML101 range out of the document: ${JSON.stringify(d.range)}`);
    }
    if (d.severity !== undefined && ![DiagnosticSeverity.Error, DiagnosticSeverity.Warning,
        DiagnosticSeverity.Information, DiagnosticSeverity.Hint].includes(d.severity)) {
        fail(`ML101 has an invalid severity ${d.severity}`);
    }
    if (d.codeDescription !== undefined && typeof d.codeDescription.href !== "string") {
        fail(`ML101 codeDescription without href: ${JSON.stringify(d.codeDescription)}`);
    }
}

async function main(): Promise<number> {
    const python = process.env.MLLINT_PYTHON || "python3";
    const strict = process.env.MLLINT_SMOKE_STRICT === "1";
    const verbose = process.env.MLLINT_SMOKE_VERBOSE === "1";
    const bundled = process.env.MLLINT_SMOKE_STRATEGY === "useBundled";
    const extensionPath = path.resolve(__dirname, "..", "..");
    const interpreter = bundled ? [python, "-S"] : [python];

    const check = bundled ? await checkBundle(interpreter, extensionPath) : await checkServerImportable(interpreter);
    if (check.status !== "ok" && check.status !== "timeout") {
        const message = `protocol smoke test skipped: ${check.message}${check.detail ? `\n${check.detail}` : ""}`;
        if (strict) {
            console.error(`FAIL (MLLINT_SMOKE_STRICT=1): ${message}`);
            return 1;
        }
        console.log(`SKIP: ${message}`);
        return 0;
    }

    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "mllint-smoke-"));
    const file = path.join(workspace, "leaky_pipeline.py");
    fs.writeFileSync(file, LEAKY_SCRIPT);
    // A hostile workspace: modules the server imports, each leaving a mark when it runs. The server is
    // started with cwd = workspace here (the worst case); the launch command must keep them off sys.path.
    const marks = path.join(workspace, "imported");
    for (const name of SENTINEL_MODULES) {
        fs.writeFileSync(path.join(workspace, `${name}.py`),
            `open(${JSON.stringify(path.join(workspace, "imported"))}, "a").write(${JSON.stringify(name + "\n")})\n`);
    }
    const uri = pathToFileURL(file).href;
    const rootUri = pathToFileURL(workspace).href;

    const server: ServerCommand = bundled ? bundledServerCommand(interpreter, extensionPath) : serverCommand(interpreter);
    console.log(`spawning: ${displayCommand([server.command, ...server.args])} (cwd ${workspace})`);
    const child: ChildProcess = spawn(server.command, server.args, {
        cwd: workspace,
        env: server.env as NodeJS.ProcessEnv,
        stdio: ["pipe", "pipe", "pipe"],
    });
    const stderr: string[] = [];
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
        stderr.push(chunk);
        if (verbose) {
            process.stderr.write(`[server] ${chunk}`);
        }
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let exitCode: number | null | undefined;
    void exited.then((code) => { exitCode = code; });
    child.on("error", (error) => console.error(`spawn error: ${error.message}`));

    const connection: ProtocolConnection = createProtocolConnection(
        new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));

    // Server -> client requests: answer as VS Code would.
    connection.onRequest("workspace/configuration", (params: { items: { section?: string }[] }) =>
        params.items.map((item) => (item.section === "mllint" ? { enable: true } : null)));
    connection.onRequest("client/registerCapability", () => null);
    connection.onRequest("client/unregisterCapability", () => null);
    connection.onRequest("window/workDoneProgress/create", () => null);
    connection.onRequest("workspace/diagnostic/refresh", () => null);
    connection.onRequest("window/showMessageRequest", () => null);
    connection.onRequest("workspace/workspaceFolders", () => [{ uri: rootUri, name: "smoke" }]);
    connection.onNotification(LogMessageNotification.type, (params) => {
        if (verbose) {
            console.log(`[window/logMessage] ${params.message}`);
        }
    });

    const published: PublishDiagnosticsParams[] = [];
    let onPublish: (() => void) | undefined;
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
        published.push(params);
        if (verbose) {
            console.log(`[publishDiagnostics] ${params.uri}: ${params.diagnostics.map((d) => d.code).join(", ") || "(none)"}`);
        }
        onPublish?.();
    });
    connection.onError(([error]) => console.error(`connection error: ${error.message}`));
    connection.listen();

    try {
        // -- initialize ---------------------------------------------------------------------
        const init: InitializeResult = await withTimeout(connection.sendRequest(InitializeRequest.type, {
            processId: process.pid,
            clientInfo: { name: "Visual Studio Code", version: "1.93.0" },
            locale: "en",
            rootPath: workspace,
            rootUri,
            workspaceFolders: [{ uri: rootUri, name: "smoke" }],
            capabilities: VSCODE_CAPABILITIES,
            initializationOptions: { enable: true },
            trace: "off",
        }), REQUEST_TIMEOUT_MS, "initialize");
        const caps = init.capabilities;
        console.log(`initialize: ${init.serverInfo?.name ?? "?"} ${init.serverInfo?.version ?? ""}`.trimEnd());
        if (caps.positionEncoding !== undefined && caps.positionEncoding !== "utf-16") {
            fail(`server chose position encoding ${caps.positionEncoding}, but the client offered only utf-16`);
        }
        if (caps.textDocumentSync === undefined) {
            fail("server advertises no textDocumentSync");
        }
        connection.sendNotification(InitializedNotification.type, {});

        // -- didOpen, then diagnostics: pulled when the server offers pull (VS Code pulls and the
        // server then does not push, so nothing shows twice), else pushed ---------------------
        const diagnosticsArrived = new Promise<Diagnostic>((resolve) => {
            const look = () => {
                const last = [...published].reverse().find((p) => p.uri === uri);
                const ml101 = last?.diagnostics.find((d) => d.code === "ML101");
                if (ml101) {
                    resolve(ml101);
                }
            };
            onPublish = look;
        });
        connection.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: { uri, languageId: "python", version: 1, text: LEAKY_SCRIPT },
        });
        const started = Date.now();
        if (caps.diagnosticProvider) {
            const report: DocumentDiagnosticReport = await withTimeout(connection.sendRequest(DocumentDiagnosticRequest.type, {
                textDocument: { uri },
                identifier: typeof caps.diagnosticProvider === "object" ? caps.diagnosticProvider.identifier : undefined,
            }), REQUEST_TIMEOUT_MS, "textDocument/diagnostic");
            if (report.kind !== "full") {
                fail(`first pull returned a ${report.kind} report, expected full`);
            }
            const pulled = report.items.find((d) => d.code === "ML101");
            if (!pulled) {
                fail(`pull diagnostics lack ML101: ${JSON.stringify(report.items.map((d) => d.code))}`);
            }
            checkMllintDiagnostic(pulled, LEAKY_SCRIPT);
            console.log(`pull: ML101 at line ${pulled.range.start.line + 1} in ${Date.now() - started} ms: ${pulled.message}`);
            if (pulled.relatedInformation?.length) {
                console.log(`      with ${pulled.relatedInformation.length} related location(s)`);
            }
        } else {
            const ml101 = await withTimeout(diagnosticsArrived, DIAGNOSTICS_TIMEOUT_MS,
                () => `publishDiagnostics with ML101 for ${uri} (received: ${JSON.stringify(published.map((p) => [p.uri, p.diagnostics.map((d) => d.code)]))})`);
            checkMllintDiagnostic(ml101, LEAKY_SCRIPT);
            console.log(`push: ML101 at line ${ml101.range.start.line + 1} in ${Date.now() - started} ms: ${ml101.message}`);
        }

        // -- mllint.explain (the "Show Pipeline Plan" command) ----------------------------------
        const commands = caps.executeCommandProvider?.commands ?? [];
        if (commands.includes("mllint.explain")) {
            const result = await withTimeout(connection.sendRequest(ExecuteCommandRequest.type, {
                command: "mllint.explain", arguments: [uri],
            }), REQUEST_TIMEOUT_MS, "workspace/executeCommand mllint.explain");
            const plan = parseExplainResult(result);
            if (!/^\s*(flowchart|graph)\b/m.test(plan.mermaid)) {
                fail(`mllint.explain: "mermaid" is not a Mermaid flowchart: ${plan.mermaid.slice(0, 200)}`);
            }
            if (plan.text.trim() === "") {
                fail("mllint.explain: empty \"text\"");
            }
            console.log(`explain: mermaid ${plan.mermaid.length} chars, text ${plan.text.length} chars`);
        } else {
            console.log(`explain: mllint.explain not advertised in executeCommandProvider (${JSON.stringify(commands)})` +
                " -- the extension's \"Show Pipeline Plan\" needs it");
            if (strict) {
                fail("mllint.explain is not advertised");
            }
        }

        // -- shutdown / exit ---------------------------------------------------------------------
        await withTimeout(connection.sendRequest(ShutdownRequest.type), REQUEST_TIMEOUT_MS, "shutdown");
        connection.sendNotification(ExitNotification.type);
        const code = await withTimeout(exited, EXIT_TIMEOUT_MS, "server exit after shutdown/exit");
        if (code !== 0) {
            fail(`server exited with code ${code} after shutdown + exit (the spec requires 0)`);
        }
        console.log("shutdown/exit: exit code 0");
        if (fs.existsSync(marks)) {
            fail(`workspace modules were imported by the server: ${fs.readFileSync(marks, "utf8").trim()}`);
        }
        console.log(`isolation: none of ${SENTINEL_MODULES.join(", ")} from the workspace was imported`);
        console.log("PASS: protocol smoke test");
        return 0;
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        console.error(`FAIL: ${message}`);
        if (exitCode !== undefined) {
            console.error(`(the server exited with code ${exitCode})`);
        }
        const tail = stderr.join("").split("\n").slice(-40).join("\n").trim();
        if (tail) {
            console.error(`--- server stderr (tail) ---\n${tail}`);
        }
        return 1;
    } finally {
        connection.dispose();
        if (child.exitCode === null && child.signalCode === null) {
            child.kill();
        }
        fs.rmSync(workspace, { recursive: true, force: true });
    }
}

main().then((code) => process.exit(code), (error) => {
    console.error(`FAIL: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
});
