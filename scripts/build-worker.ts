// Bundles the worker into dist/worker/main.js (npm run build:worker): our TypeScript (worker/, src/,
// Prisma's generated client in src/generated) in one ES module, and its check thread
// (worker/checks/thread.ts) beside it as dist/worker/checkThread.js, which worker/checks/pool.ts
// starts (`tsx scripts/build-worker.ts <folder>` builds elsewhere); every package stays an import from
// node_modules, as Node resolves it at run time (native parts, Prisma's query compiler, pino's
// transports). The app image runs it with plain `node`, without tsx.
import { readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const outdir = process.argv[2] ?? "dist/worker";
const started = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: "worker/main.ts", checkThread: "worker/checks/thread.ts" },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  sourcemap: true,
  // `~/…` resolves through tsconfig.json's paths; each package (and its subpaths) stays external.
  tsconfig: "tsconfig.json",
  external: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).flatMap((name) => [name, `${name}/*`]),
  // Packages written as CommonJS still call require() for Node's built-ins.
  banner: {
    js: 'import { createRequire as __wireroomRequire } from "node:module"; const require = __wireroomRequire(import.meta.url);',
  },
  logLevel: "warning",
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
console.log(
  `${outdir}/main.js and checkThread.js: ${(bytes / 1024).toFixed(0)} KiB with their maps, in ${Math.round(performance.now() - started)} ms`,
);
