import * as assert from "node:assert/strict";
import { escapeHtml, parseExplainResult, renderPlanHtml } from "../plan";

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
    const plan = {
        mermaid: "flowchart TD\n  n1[\"read_csv('data.csv')\"] --> n2[\"X <split>\"]\n  n2 -.-> n3",
        text: "df = read_csv(\"data.csv\")\n  <script>alert(1)</script>",
    };

    it("shows the text plan and the Mermaid source in <pre>, escaped", () => {
        const html = renderPlanHtml({ document: "src/train.py", plan });
        assert.match(html, /<pre class="plan">df = read_csv\(&quot;data.csv&quot;\)/);
        assert.match(html, /<pre class="mermaid-source">flowchart TD\n {2}n1\[&quot;read_csv\(&#39;data.csv&#39;\)&quot;\] --&gt; n2\[&quot;X &lt;split&gt;&quot;\]/);
        assert.ok(!html.includes("<script>"), "no raw script from the plan");
        assert.match(html, /<h1>Pipeline plan: src\/train.py<\/h1>/);
    });

    it("allows no scripts and no network", () => {
        const html = renderPlanHtml({ document: "a.py", plan });
        assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';"/);
        assert.ok(!/<script|https?:\/\/|<link /i.test(html));
    });

    it("says so when the plan is empty", () => {
        const html = renderPlanHtml({ document: "a.py", plan: { mermaid: "", text: " " } });
        assert.match(html, /The plan is empty/);
    });

    it("escapes the document name", () => {
        assert.match(renderPlanHtml({ document: "<b>.py", plan }), /Pipeline plan: &lt;b&gt;.py/);
        assert.equal(escapeHtml(`&<>"'`), "&amp;&lt;&gt;&quot;&#39;");
    });
});
