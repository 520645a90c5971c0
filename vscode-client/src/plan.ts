/**
 * The "Show Pipeline Plan" view, free of any `vscode` import: validating the
 * result of the server's `mllint.explain` command and rendering it as the HTML of
 * a webview (plain text, no scripts, no network: the Mermaid source is shown as text).
 */

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
}

/**
 * A self-contained page: the text rendering of the plan and its Mermaid source, both in
 * `<pre>`, styled with the editor's theme variables. The CSP forbids scripts and any
 * network access.
 */
export function renderPlanHtml(page: PlanPage): string {
    const { plan } = page;
    const time = page.generatedAt ? ` <span class="time">(${escapeHtml(page.generatedAt.toLocaleTimeString())})</span>` : "";
    const sections: string[] = [];
    if (plan.text.trim() !== "") {
        sections.push(`<h2>Plan</h2>\n<pre class="plan">${escapeHtml(plan.text)}</pre>`);
    }
    if (plan.mermaid.trim() !== "") {
        sections.push(
            `<h2>Mermaid</h2>\n<p class="hint">Paste into a <code>\`\`\`mermaid</code> block of a Markdown file or any Mermaid renderer to draw the graph.</p>\n` +
            `<pre class="mermaid-source">${escapeHtml(plan.mermaid)}</pre>`);
    }
    if (sections.length === 0) {
        sections.push(`<p>The plan is empty: no pandas or scikit-learn operations were found.</p>`);
    }
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>mllint plan: ${escapeHtml(page.document)}</title>
<style>
  body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em 1em; }
  h1 { font-size: 1.2em; font-weight: 600; }
  h2 { font-size: 1em; font-weight: 600; margin-top: 1.5em; }
  .time, .hint { color: var(--vscode-descriptionForeground); }
  pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size);
        background: var(--vscode-textCodeBlock-background); padding: 0.75em; overflow-x: auto;
        white-space: pre; user-select: text; }
</style>
</head>
<body>
<h1>Pipeline plan: ${escapeHtml(page.document)}${time}</h1>
${sections.join("\n")}
</body>
</html>
`;
}
