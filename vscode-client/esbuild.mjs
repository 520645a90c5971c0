// Bundles the extension (and its runtime dependencies) into dist/extension.js, so that the
// .vsix ships without node_modules (`vsce package --no-dependencies`), and the plan view's
// webview script with Mermaid into dist/webview/planView.js (loaded from the extension, never
// from a CDN).
import * as esbuild from "esbuild";

const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

const common = {
    bundle: true,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: "info",
};

const builds = [
    {
        ...common,
        entryPoints: ["src/extension.ts"],
        outfile: "dist/extension.js",
        external: ["vscode"],
        format: "cjs",
        platform: "node",
        target: "node18",
    },
    {
        ...common,
        entryPoints: ["src/webview/planView.ts"],
        outfile: "dist/webview/planView.js",
        format: "iife",
        platform: "browser",
        target: "es2022",
        // Mermaid is large: minified even in development builds, so that the test of the .vsix
        // contents and the size printed by ci.sh describe what ships.
        minify: true,
        sourcemap: false,
    },
];

if (watch) {
    for (const options of builds) {
        const context = await esbuild.context(options);
        await context.watch();
    }
} else {
    await Promise.all(builds.map((options) => esbuild.build(options)));
}
