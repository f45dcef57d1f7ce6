// The linter: typescript-eslint's checks, React's hook rules for the page, and the import
// boundaries of the architecture, each a rule of its own (`boundary/<name>`) whose message names
// it, so a failure says which line of the architecture was crossed and where the code belongs.
import { builtinModules } from "node:module";
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
// Node strips the types of this browser-safe, dependency-free module; reading the statuses from
// the status machine itself keeps the status-literal rule in step with it.
import { SESSION_STATUSES } from "./src/protocol/sessionStatus.ts";

const TESTS = ["**/*.test.ts", "**/*.test.tsx", "**/*.int.test.ts"];
const CODE = ["**/*.{ts,tsx,js,mjs,cjs}"];

const nodeBuiltins = builtinModules
  .filter((name) => !name.startsWith("_"))
  .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

/**
 * One boundary: files matching `files` (less `ignores`) must not import a module whose specifier
 * matches one of `forbid` (regular expressions over the specifier as written: `~/…` aliases,
 * relative paths, package names). With `allowTypeImports`, `import type` may still cross it.
 */
const BOUNDARIES = [
  {
    name: "worker-imports-web",
    files: ["worker/**"],
    forbid: [String.raw`^~/(server|app|trpc)(/|$)`, String.raw`^(\.\./)+src/(server|app|trpc)(/|$)`],
    message:
      "worker/ must not import src/server, src/app or src/trpc: the domain it needs is in src/core (~/core/...), wire types in src/protocol",
  },
  {
    name: "browser-imports-node",
    // Browser code: client components live in src/app/_components (pages, layouts and route
    // handlers elsewhere in src/app run on the server), plus what they share with the page.
    // Tests beside it run in Node.
    files: ["src/app/_components/**", "src/protocol/**", "src/trpc/**"],
    ignores: TESTS,
    allowTypeImports: true,
    forbid: [
      String.raw`^node:`,
      String.raw`^(${nodeBuiltins.join("|")})(/|$)`,
      String.raw`^~/(core|server|generated)(/|$)`,
      String.raw`^(\.\./)+(core|server|generated)(/|$)`,
      String.raw`^(dockerode|pg|pg-boss|socket\.io|server-only)(/|$)`,
      String.raw`^@prisma/`,
    ],
    message:
      "browser code (src/app/_components, src/protocol, src/trpc) must not import Node built-ins, src/core, src/server, src/generated, dockerode, pg, pg-boss, @prisma/*, socket.io or server-only: ask the server through tRPC, share types with `import type`, or move browser-safe code into src/protocol",
  },
  {
    name: "dockerode-outside-adapter",
    files: CODE,
    // The integration tests and benchmarks assert on the real engine beside the adapter.
    ignores: ["worker/provisioner/docker/**", "test/**", "bench/**"],
    forbid: [String.raw`^(dockerode|docker-modem)(/|$)`],
    message:
      "only the Docker adapter (worker/provisioner/docker/) may import dockerode: depend on the provisioner port (~/core/provisioner/port) instead",
  },
  {
    name: "core-purity",
    files: ["src/core/**"],
    forbid: [
      String.raw`^(next|react)(-[\w.-]+)?(/|$)`,
      String.raw`^socket\.io(-[\w.-]+)?(/|$)`,
      String.raw`^dockerode(/|$)`,
      String.raw`^~/(server|app|trpc)(/|$)`,
      String.raw`^(\.\./)+(server|app|trpc)(/|$)`,
    ],
    message:
      "src/core is the domain shared by web and worker: it must not import Next, React, socket.io, dockerode or the web app (src/server, src/app, src/trpc); take what it needs as a parameter (e.g. the provisioner port)",
  },
  {
    name: "src-imports-worker",
    files: ["src/**"],
    forbid: [String.raw`^(\.\./)+worker(/|$)`],
    message:
      "src/ must not import worker/: the worker depends on src/core, never the reverse; move what both need into src/core or src/protocol",
  },
];

const typescriptRestrictedImports = tseslint.plugin.rules["no-restricted-imports"];

// typescript-eslint's no-restricted-imports (which knows `import type`) under another name, so each
// boundary is its own rule with its own files; it also sees `import("…")`, which the original lets
// through (`require` is refused everywhere by typescript-eslint's no-require-imports).
const boundaryRule = {
  meta: typescriptRestrictedImports.meta,
  create(context) {
    const handlers = typescriptRestrictedImports.create(context);
    const check = (node, source) => {
      if (source?.type !== "Literal" || typeof source.value !== "string") return;
      handlers.ImportDeclaration({
        ...node,
        type: "ImportDeclaration",
        importKind: "value",
        specifiers: [],
        attributes: [],
        source,
      });
    };
    return {
      ...handlers,
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

const boundaries = {
  plugins: { boundary: { rules: Object.fromEntries(BOUNDARIES.map((b) => [b.name, boundaryRule])) } },
};

const boundaryConfigs = BOUNDARIES.map((b) => ({
  name: `boundary/${b.name}`,
  files: b.files,
  ignores: b.ignores ?? [],
  rules: {
    [`boundary/${b.name}`]: [
      "error",
      {
        patterns: [
          {
            regex: b.forbid.join("|"),
            caseSensitive: true,
            allowTypeImports: b.allowTypeImports ?? false,
            message: `[boundary:${b.name}] ${b.message}`,
          },
        ],
      },
    ],
  },
}));

const statusPattern = `^(${SESSION_STATUSES.join("|")})$`;
const statusMessage = "[status-literal] name a status through Status from ~/protocol/sessionStatus";

export default defineConfig(
  {
    name: "ignored",
    ignores: [
      "node_modules/",
      ".tools/",
      ".data/",
      ".next/",
      "dist/",
      "src/generated/",
      "test-results/",
      "playwright-report/",
      "next-env.d.ts",
      // Each fixture breaks one rule on purpose; test/lint/boundaries.test.ts lints them.
      "test/lint/fixtures/",
    ],
  },
  {
    name: "javascript",
    files: CODE,
    extends: [js.configs.recommended],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    name: "typescript",
    files: ["**/*.{ts,tsx}"],
    // No rule that needs type information (no-floating-promises and kin): building the type
    // program again after tsc made the run about four times slower (12 s of CPU to 47 s).
    extends: [tseslint.configs.recommended],
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    name: "terminal escapes",
    // The terminal gateway reads and writes escape sequences: control characters in its regular
    // expressions are the point, not a typo.
    files: ["worker/gateway/**"],
    rules: { "no-control-regex": "off" },
  },
  {
    name: "page",
    files: ["src/app/**/*.{ts,tsx}", "src/trpc/**/*.{ts,tsx}"],
    extends: [reactHooks.configs.flat["recommended-latest"]],
    languageOptions: { globals: { ...globals.browser } },
  },
  boundaries,
  ...boundaryConfigs,
  {
    name: "status-literal",
    files: ["src/**/*.{ts,tsx}", "worker/**/*.{ts,tsx}"],
    ignores: [...TESTS, "src/protocol/sessionStatus.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: `Literal[value=/${statusPattern}/]`, message: statusMessage },
        { selector: `TemplateElement[value.cooked=/${statusPattern}/]`, message: statusMessage },
      ],
    },
  },
);
