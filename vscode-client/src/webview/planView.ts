/**
 * The script of the "Show Pipeline Plan" webview (bundled with Mermaid by esbuild.mjs into
 * dist/webview/planView.js; no network). It draws the Mermaid source the page carries in
 * `#mermaid-source` into `#diagram`, in the editor's light or dark theme, and draws it again
 * when the theme changes. Mermaid runs with `securityLevel: "strict"`: labels are text, click
 * handlers and links in the source are dropped.
 */
import mermaid from "mermaid";

const DIAGRAM_ID = "diagram";              // plan.ts DIAGRAM_ID
const MERMAID_SOURCE_ID = "mermaid-source"; // plan.ts MERMAID_SOURCE_ID

function editorIsDark(): boolean {
    const classes = document.body.classList;
    return classes.contains("vscode-dark") || (classes.contains("vscode-high-contrast") && !classes.contains("vscode-high-contrast-light"));
}

let drawing = 0;

async function draw(): Promise<void> {
    const target = document.getElementById(DIAGRAM_ID);
    const source = document.getElementById(MERMAID_SOURCE_ID)?.textContent ?? "";
    if (!target || source.trim() === "") {
        return;
    }
    const attempt = ++drawing;
    mermaid.initialize({
        startOnLoad: false,
        securityLevel: "strict",
        theme: editorIsDark() ? "dark" : "default",
        flowchart: { useMaxWidth: true },
    });
    try {
        const { svg } = await mermaid.render(`mllint-plan-${attempt}`, source);
        if (attempt === drawing) {
            target.innerHTML = svg;   // Mermaid's output, sanitized by Mermaid (DOMPurify) under "strict"
        }
    } catch (error) {
        if (attempt === drawing) {
            const message = document.createElement("p");
            message.className = "error";
            message.textContent = `The diagram could not be drawn: ${error instanceof Error ? error.message : String(error)}. The Mermaid source is below.`;
            target.replaceChildren(message);
        }
    }
}

new MutationObserver(() => void draw()).observe(document.body, { attributes: true, attributeFilter: ["class"] });
void draw();
