import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    DIAGRAM_ID,
    escapeHtml,
    MERMAID_SOURCE_ID,
    parseExplainResult,
    PLAN_VIEW_SCRIPT,
    planContentSecurityPolicy,
    renderPlanHtml,
} from "../plan";

// out/test/plan.test.js -> the package root
const root = path.resolve(__dirname, "..", "..");

describe("parseExplainResult", () => {
    it("accepts {mermaid, text}", () => {
        assert.deepEqual(parseExplainResult({ mermaid: "flowchart TD", text: "plan" }), { mermaid: "flowchart TD", text: "plan" });
    });

    it("tolerates one missing field", () => {
        assert.deepEqual(parseExplainResult({ mermaid: "flowchart TD" }), { mermaid: "flowchart TD", text: "" });
    });

    it("rejects null, non-objects and objects without either field", () => {
        assert.throws(() => parseExplainResult(null), /no plan/);
        assert.throws(() => parseExplainResult("flowchart"), /unexpected reply/);
        assert.throws(() => parseExplainResult([]), /unexpected reply/);
        assert.throws(() => parseExplainResult({ plan: 1 }), /no "mermaid" or "text"/);
    });
});

describe("renderPlanHtml", () => {
    // What a webview gives for dist/webview/planView.js (webview.asWebviewUri).
    const scriptUri = "https://file%2B.vscode-resource.vscode-cdn.net/home/u/.vscode/extensions/mllint.mllint-0.1.0/dist/webview/planView.js";
    const nonce = "bm9uY2Utbm9uY2Utbm9uY2U=";
    const plan = {
        mermaid: "flowchart TD\n  n1[\"read_csv('data.csv')\"] --> n2[\"X <split>\"]\n  n2 -.-> n3\n  classDef finding fill:#fdd,stroke:#c00\n  class n2 finding",
        text: "df = read_csv(\"data.csv\")\n  <script>alert(1)</script>",
    };
    const page = (overrides: Partial<Parameters<typeof renderPlanHtml>[0]> = {}) =>
        renderPlanHtml({ document: "src/train.py", plan, scriptUri, nonce, ...overrides });

    it("draws the diagram first, then the text listing, then the Mermaid source, all escaped", () => {
        const html = page();
        const diagram = html.indexOf(`<div id="${DIAGRAM_ID}"`);
        const listing = html.indexOf(`<pre class="plan">df = read_csv(&quot;data.csv&quot;)`);
        const source = html.indexOf(`<pre id="${MERMAID_SOURCE_ID}"`);
        assert.ok(diagram > 0 && listing > diagram && source > listing, html);
        assert.match(html, /flowchart TD\n {2}n1\[&quot;read_csv\(&#39;data.csv&#39;\)&quot;\] --&gt; n2\[&quot;X &lt;split&gt;&quot;\]/);
        // the server's classes for findings reach Mermaid untouched
        assert.match(html, /classDef finding fill:#fdd,stroke:#c00\n {2}class n2 finding<\/pre>/);
        assert.ok(!html.includes("<script>alert"), "no raw script from the plan");
        assert.match(html, /<h1>Pipeline plan: src\/train.py<\/h1>/);
    });

    it("loads exactly one script, the bundled one, by nonce", () => {
        const html = page();
        const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
        assert.deepEqual(scripts, [`<script nonce="${nonce}" src="${scriptUri}">`]);
        assert.ok(scriptUri.endsWith(`/${PLAN_VIEW_SCRIPT.join("/")}`));
    });

    it("has a strict CSP: nothing but the nonce'd script and inline styles", () => {
        const html = page();
        const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
        assert.equal(csp, planContentSecurityPolicy(nonce));
        assert.equal(csp, `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline';`);
        assert.ok(!/unsafe-eval|https?:|\*/.test(csp ?? ""), csp);
    });

    it("names no remote URL other than the script's webview URI (no CDN, no links, no images)", () => {
        const urls = [...page().matchAll(/(?:https?:)?\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
        assert.deepEqual(urls, [scriptUri]);
        assert.ok(!/<link |<img |<iframe |@import|url\(/i.test(page()));
    });

    it("uses a fresh nonce per page and refuses a weak one", () => {
        const other = "b3RoZXItb3RoZXItb3RoZXI=";
        assert.match(page({ nonce: other }), new RegExp(`script-src 'nonce-${other}'`));
        assert.throws(() => page({ nonce: "1" }), /nonce/);
        assert.throws(() => page({ nonce: "\"><script>x</script>aaaaaaaaaaaa" }), /nonce/);
    });

    it("escapes the script URI", () => {
        assert.match(page({ scriptUri: "vscode-resource:/a\"b.js" }), /src="vscode-resource:\/a&quot;b.js"/);
    });

    it("says so when the plan is empty, without a script", () => {
        const html = page({ plan: { mermaid: "", text: " " } });
        assert.match(html, /The plan is empty/);
        assert.ok(!html.includes("<script"));
    });

    it("shows a text-only plan without a script", () => {
        const html = page({ plan: { mermaid: "", text: "df = read_csv(...)" } });
        assert.match(html, /<pre class="plan">df = read_csv\(...\)<\/pre>/);
        assert.ok(!html.includes("<script") && !html.includes(`id="${DIAGRAM_ID}"`));
    });

    it("escapes the document name", () => {
        assert.match(page({ document: "<b>.py" }), /Pipeline plan: &lt;b&gt;.py/);
        assert.equal(escapeHtml(`&<>"'`), "&amp;&lt;&gt;&quot;&#39;");
    });
});

describe("the bundled plan view script", function () {
    const script = path.join(root, ...PLAN_VIEW_SCRIPT);

    before(function () {
        if (!fs.existsSync(script)) {
            console.log(`      (skipped: ${script} not built; run npm run compile)`);
            this.skip();
        }
    });

    it("contains Mermaid and the drawing code, self-contained (no require, import or CDN)", () => {
        const code = fs.readFileSync(script, "utf8");
        assert.ok(code.length > 1_000_000, `only ${code.length} bytes: Mermaid is not bundled`);
        assert.ok(code.includes(`"${MERMAID_SOURCE_ID}"`) && code.includes(`"${DIAGRAM_ID}"`), "the ids of plan.ts");
        assert.ok(code.includes("securityLevel") && code.includes("flowchart"), "Mermaid's code");
        // (lodash's guarded `module.require("util")` inside try/catch is a method call, not a module load)
        assert.ok(!/(?<![.\w$])require\(["']/.test(code), "a require() the webview cannot satisfy");
        assert.ok(!/(?<![.\w$])import\(["']/.test(code), "a dynamic import() of a chunk that is not shipped");
        assert.ok(!/(cdn\.jsdelivr|unpkg\.com|cdnjs)/.test(code), "a CDN address");
    });
});
