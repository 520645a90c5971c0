// Packages the .vsix. With the Python bundle of bundle-python.sh (bundled/bundle.json), the
// package is platform-specific -- `vsce package --target <platform>` for the platform the compiled
// wheels (libcst) are for, named mllint-<target>-<version>.vsix; without it, a universal package
// whose server always comes from the user's environment.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const bundleFile = path.join(root, "bundled", "bundle.json");

const args = ["package", "--no-dependencies"];
let out;
if (fs.existsSync(bundleFile)) {
    const bundle = JSON.parse(fs.readFileSync(bundleFile, "utf8"));
    args.push("--target", bundle.vsceTarget);
    out = `mllint-${bundle.vsceTarget}-${manifest.version}.vsix`;
    console.log(`packaging for ${bundle.vsceTarget}: bundled mllint for ${bundle.implementation} ${bundle.python} on ${bundle.platform}`);
} else {
    if (fs.existsSync(path.join(root, "bundled", "libs"))) {
        console.error("bundled/libs exists without bundled/bundle.json: run bundle-python.sh again, or remove bundled/libs for a universal package");
        process.exit(1);
    }
    out = `mllint-${manifest.version}.vsix`;
    console.log("no bundled/bundle.json (run bundle-python.sh): universal package, the server comes from the user's environment");
}
args.push("--out", out);
const vsce = path.join(root, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce");
const result = spawnSync(vsce, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
process.exit(result.status ?? 1);
