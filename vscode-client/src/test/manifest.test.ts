import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { toServerSettings } from "../launch";
import { DEFAULT_SHOW_NOTIFICATIONS, IMPORT_STRATEGIES, normalizeImportStrategy, SHOW_NOTIFICATIONS } from "../strategy";

// out/test/manifest.test.js -> the package root
const root = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const properties: Record<string, { default?: unknown; enum?: string[] }> = manifest.contributes.configuration.properties;

function version(spec: string): number[] {
    return spec.replace(/^[\^~]/, "").split(".").map(Number);
}

describe("package.json", () => {
    it("targets VS Code ^1.93.0 with @types/vscode no newer than that", () => {
        assert.equal(manifest.engines.vscode, "^1.93.0");
        const types = version(manifest.devDependencies["@types/vscode"]);
        const engine = version(manifest.engines.vscode);
        assert.ok(types[0] === engine[0] && types[1] <= engine[1], `@types/vscode ${types} > engine ${engine}`);
    });

    it("loads the esbuild bundle and activates on Python files and notebooks", () => {
        assert.equal(manifest.main, "./dist/extension.js");
        assert.deepEqual(manifest.activationEvents,
            ["onLanguage:python", "workspaceContains:*.py", "onNotebook:jupyter-notebook", "onNotebook:interactive"]);
    });

    it("contributes the two commands", () => {
        const commands = Object.fromEntries(manifest.contributes.commands.map((c: { command: string; title: string; category: string }) =>
            [c.command, `${c.category}: ${c.title}`]));
        assert.deepEqual(commands, { "mllint.restart": "mllint: Restart Server", "mllint.showPlan": "mllint: Show Pipeline Plan" });
    });

    it("contributes every server setting plus the template's launch settings and trace", () => {
        assert.deepEqual(Object.keys(properties).sort(), [
            "mllint.args", "mllint.cwd", "mllint.enable", "mllint.extendSensitiveColumns", "mllint.ignore",
            "mllint.importStrategy", "mllint.interpreter", "mllint.path", "mllint.select",
            "mllint.sensitiveColumns", "mllint.severity", "mllint.showNotifications", "mllint.trace.server",
        ]);
        assert.deepEqual(properties["mllint.trace.server"].enum, ["off", "messages", "verbose"]);
    });

    it("matches strategy.ts for importStrategy and showNotifications", () => {
        assert.deepEqual(properties["mllint.importStrategy"].enum, [...IMPORT_STRATEGIES]);
        assert.equal(properties["mllint.importStrategy"].default, normalizeImportStrategy(undefined));
        assert.deepEqual(properties["mllint.showNotifications"].enum, [...SHOW_NOTIFICATIONS]);
        assert.equal(properties["mllint.showNotifications"].default, DEFAULT_SHOW_NOTIFICATIONS);
    });

    it("restricts every setting that picks what runs in untrusted workspaces", () => {
        assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
            ["mllint.args", "mllint.cwd", "mllint.importStrategy", "mllint.interpreter", "mllint.path"]);
    });

    it("names the repository, the issue tracker and a homepage (no --allow-missing-repository)", () => {
        assert.match(manifest.repository.url, /^https:\/\/github\.com\/[\w-]+\/[\w-]+\.git$/);
        assert.match(manifest.bugs.url, /^https:\/\/github\.com\/.+\/issues$/);
        assert.match(manifest.homepage, /^https:\/\//);
        const scripts = JSON.stringify(manifest.scripts) + fs.readFileSync(path.join(root, "package.mjs"), "utf8")
            + fs.readFileSync(path.join(root, "ci.sh"), "utf8");
        assert.ok(!scripts.includes("--allow-missing-repository"));
    });

    it("never tells users to pip install mllint-plan from PyPI", () => {
        for (const file of ["README.md", "package.json", path.join("src", "launch.ts")]) {
            const text = fs.readFileSync(path.join(root, file), "utf8");
            assert.ok(!/pip install (--upgrade )?mllint(-plan)?\b(?!\/)/.test(text), `${file} names a PyPI install`);
        }
    });

    it("has defaults that send nothing but enable to the server", () => {
        const defaults = Object.fromEntries(Object.entries(properties)
            .filter(([key]) => !key.startsWith("mllint.trace."))
            .map(([key, value]) => [key.slice("mllint.".length), value.default]));
        assert.deepEqual(toServerSettings(defaults), { enable: true });
    });

    it("ships no dependencies in the .vsix (the bundle has them)", () => {
        assert.equal(manifest.scripts.package, "node package.mjs");
        assert.match(fs.readFileSync(path.join(root, "package.mjs"), "utf8"), /\["package", "--no-dependencies"\]/);
        const ignore = fs.readFileSync(path.join(root, ".vscodeignore"), "utf8");
        for (const entry of ["node_modules/**", "src/**", "out/**"]) {
            assert.ok(ignore.split(/\r?\n/).includes(entry), `.vscodeignore lacks ${entry}`);
        }
        assert.ok(!/^bundled/m.test(ignore), ".vscodeignore must keep bundled/ (the launcher and the Python libraries)");
        const gitignore = fs.readFileSync(path.join(root, ".gitignore"), "utf8").split(/\r?\n/);
        assert.ok(gitignore.includes("bundled/libs/") && gitignore.includes("bundled/bundle.json"), "bundled/libs must stay out of git");
    });
});
