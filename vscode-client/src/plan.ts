/**
 * The "Show Pipeline Plan" view, free of any `vscode` import: validating the result of the
 * server's `mllint.explain` command and building the HTML of the webview: the Mermaid diagram,
 * drawn by the Mermaid library bundled into the extension (dist/webview/planView.js, see
 * src/webview/), then the text listing and the Mermaid source. Nothing is fetched from the
 * network: the CSP allows one script, by nonce, and inline styles (Mermaid's SVG carries them).
 */

/** The bundled webview script, relative to the extension's folder (built by esbuild.mjs). */
export const PLAN_VIEW_SCRIPT = ["dist", "webview", "planView.js"] as const;
/** The element ids the webview script reads and writes (src/webview/planView.ts). */
export const DIAGRAM_ID = "diagram";
export const MERMAID_SOURCE_ID = "mermaid-source";

/** The server's `mllint.explain` command, with arguments `[uri]`. */
export const EXPLAIN_COMMAND = "mllint.explain";

export interface Plan {
    mermaid: string;
    text: string;
}

/** Checks the shape of `mllint.explain`'s result: `{"mermaid": str, "text": str}`. */
export function parseExplainResult(value: unknown): Plan {
    if (value === null || value === undefined) {
        throw new Error("mllint returned no plan for this document");
    }
    if (typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`unexpected reply to ${EXPLAIN_COMMAND}: ${JSON.stringify(value)?.slice(0, 200)}`);
    }
    const { mermaid, text } = value as Record<string, unknown>;
    if (typeof mermaid !== "string" && typeof text !== "string") {
        throw new Error(`unexpected reply to ${EXPLAIN_COMMAND}: no "mermaid" or "text"`);
    }
    return {
        mermaid: typeof mermaid === "string" ? mermaid : "",
        text: typeof text === "string" ? text : "",
    };
}

export function escapeHtml(value: string): string {
    return value
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&#39;");
}

export interface PlanPage {
    /** The analysed document, as shown to the user (a workspace-relative path or a name). */
    document: string;
    plan: Plan;
    /** When the plan was computed (shown as a time). */
    generatedAt?: Date;
    /** The webview URI of PLAN_VIEW_SCRIPT (`webview.asWebviewUri`). */
    scriptUri: string;
    /** A fresh random nonce per page: the only script the CSP allows is the one carrying it. */
    nonce: string;
}

/** The page's Content-Security-Policy: nothing but the nonce'd script and inline styles. */
export function planContentSecurityPolicy(nonce: string): string {
    return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline';`;
}

/**
 * A page with the diagram first (drawn by the bundled script from the Mermaid source, which
 * sits escaped in a `<pre>` below), then the text rendering of the plan. Without Mermaid
 * source there is no diagram and no script.
 */
export function renderPlanHtml(page: PlanPage): string {
    const { plan } = page;
    if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(page.nonce)) {
        throw new Error("renderPlanHtml: the nonce must be 16 or more base64 characters");
    }
    const time = page.generatedAt ? ` <span class="time">(${escapeHtml(page.generatedAt.toLocaleTimeString())})</span>` : "";
    const hasDiagram = plan.mermaid.trim() !== "";
    const sections: string[] = [];
    if (hasDiagram) {
        sections.push(`<div id="${DIAGRAM_ID}" class="diagram" role="img" aria-label="Pipeline plan diagram"><p class="hint">Drawing the diagram...</p></div>`);
    }
    if (plan.text.trim() !== "") {
        sections.push(`<h2>Plan</h2>\n<pre class="plan">${escapeHtml(plan.text)}</pre>`);
    }
    if (hasDiagram) {
        sections.push(
            `<details>\n<summary>Mermaid source</summary>\n` +
            `<pre id="${MERMAID_SOURCE_ID}" class="mermaid-source">${escapeHtml(plan.mermaid)}</pre>\n</details>`);
    }
    if (sections.length === 0) {
        sections.push(`<p>The plan is empty: no pandas or scikit-learn operations were found.</p>`);
    }
    const script = hasDiagram ? `\n<script nonce="${page.nonce}" src="${escapeHtml(page.scriptUri)}"></script>` : "";
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${planContentSecurityPolicy(page.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>mllint plan: ${escapeHtml(page.document)}</title>
<style>
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em 1em; }
  h1 { font-size: 1.2em; font-weight: 600; }
  h2 { font-size: 1em; font-weight: 600; margin-top: 1.5em; }
  .time, .hint { color: var(--vscode-descriptionForeground); }
  .diagram { overflow: auto; }
  .diagram svg { max-width: 100%; height: auto; }
  .diagram .error { color: var(--vscode-errorForeground); }
  summary { cursor: pointer; margin-top: 1.5em; }
  pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size);
        background: var(--vscode-textCodeBlock-background); padding: 0.75em; overflow-x: auto;
        white-space: pre; user-select: text; }
</style>
</head>
<body>
<h1>Pipeline plan: ${escapeHtml(page.document)}${time}</h1>
${sections.join("\n")}${script}
</body>
</html>
`;
}
