import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { toServerSettings } from "../launch";

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
        assert.deepEqual(manifest.activationEvents, ["onLanguage:python", "onNotebook:jupyter-notebook"]);
    });

    it("contributes the two commands", () => {
        const commands = Object.fromEntries(manifest.contributes.commands.map((c: { command: string; title: string; category: string }) =>
            [c.command, `${c.category}: ${c.title}`]));
        assert.deepEqual(commands, { "mllint.restart": "mllint: Restart Server", "mllint.showPlan": "mllint: Show Pipeline Plan" });
    });

    it("contributes every server setting plus interpreter and trace", () => {
        assert.deepEqual(Object.keys(properties).sort(), [
            "mllint.enable", "mllint.extendSensitiveColumns", "mllint.ignore", "mllint.interpreter", "mllint.select",
            "mllint.sensitiveColumns", "mllint.severity", "mllint.trace.server",
        ]);
        assert.deepEqual(properties["mllint.trace.server"].enum, ["off", "messages", "verbose"]);
    });

    it("has defaults that send nothing but enable to the server", () => {
        const defaults = Object.fromEntries(Object.entries(properties)
            .filter(([key]) => !key.startsWith("mllint.trace."))
            .map(([key, value]) => [key.slice("mllint.".length), value.default]));
        assert.deepEqual(toServerSettings(defaults), { enable: true });
    });

    it("ships no dependencies in the .vsix (the bundle has them)", () => {
        assert.match(manifest.scripts.package, /vsce package --no-dependencies/);
        const ignore = fs.readFileSync(path.join(root, ".vscodeignore"), "utf8");
        for (const entry of ["node_modules/**", "src/**", "out/**"]) {
            assert.ok(ignore.split(/\r?\n/).includes(entry), `.vscodeignore lacks ${entry}`);
        }
    });
});
