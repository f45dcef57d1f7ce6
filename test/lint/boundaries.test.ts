// The import boundaries and the status-literal rule, each proved on a fixture that breaks it,
// linted as if it sat where the break is forbidden (the fixtures folder itself is not linted),
// and on an allowed import at the same place.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ESLint, type Linter } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const fixtures = path.join(import.meta.dirname, "fixtures");

let eslint: ESLint;
// Loading the config and its plugins (React's compiler among them) is most of the cost, paid once
// here rather than by whichever case runs first; the bound is generous for a busy machine.
beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  await eslint.lintText("export {};\n", { filePath: path.join(root, "src/app/_components/Warm.tsx") });
}, 60_000);

async function lint(text: string, at: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(text, { filePath: path.join(root, at), warnIgnored: true });
  return result!.messages;
}

const component = "src/app/_components/Fixture.tsx";
const task = "worker/tasks/fixture.ts";

const broken: { fixture: string; at: string; rule: string; tag: string }[] = [
  { fixture: "worker-imports-web.ts", at: task, rule: "boundary/worker-imports-web", tag: "[boundary:worker-imports-web]" },
  {
    fixture: "worker-imports-web-relative.ts",
    at: task,
    rule: "boundary/worker-imports-web",
    tag: "[boundary:worker-imports-web]",
  },
  {
    fixture: "browser-imports-node-fs.tsx",
    at: component,
    rule: "boundary/browser-imports-node",
    tag: "[boundary:browser-imports-node]",
  },
  {
    fixture: "browser-imports-core.tsx",
    at: component,
    rule: "boundary/browser-imports-node",
    tag: "[boundary:browser-imports-node]",
  },
  {
    fixture: "browser-imports-node-dynamic.tsx",
    at: component,
    rule: "boundary/browser-imports-node",
    tag: "[boundary:browser-imports-node]",
  },
  {
    fixture: "dockerode-outside-adapter.ts",
    at: task,
    rule: "boundary/dockerode-outside-adapter",
    tag: "[boundary:dockerode-outside-adapter]",
  },
  { fixture: "core-purity.ts", at: "src/core/sessions/fixture.ts", rule: "boundary/core-purity", tag: "[boundary:core-purity]" },
  {
    fixture: "src-imports-worker.ts",
    at: "src/core/provisioner/fixture.ts",
    rule: "boundary/src-imports-worker",
    tag: "[boundary:src-imports-worker]",
  },
  { fixture: "status-literal.ts", at: task, rule: "no-restricted-syntax", tag: "[status-literal]" },
];

describe("each fixture breaks exactly its rule, and the message names it", () => {
  it.each(broken)("$fixture at $at: $rule", async ({ fixture, at, rule, tag }) => {
    const messages = await lint(readFileSync(path.join(fixtures, fixture), "utf8"), at);
    expect(messages.map((m) => m.ruleId)).toEqual([rule]);
    expect(messages[0]!.message).toContain(tag);
  });

  it("every fixture has a case above", () => {
    expect(readdirSync(fixtures).sort()).toEqual(broken.map((b) => b.fixture).sort());
  });

  it("the normal run leaves the fixtures folder out", async () => {
    expect(await eslint.isPathIgnored(path.join(fixtures, "worker-imports-web.ts"))).toBe(true);
  });
});

const allowed: { what: string; at: string; text: string }[] = [
  {
    what: "the worker importing the core",
    at: task,
    text: 'import { db } from "~/core/db";\nexport const count = () => db.labSession.count();\n',
  },
  {
    what: "a client component importing a server type",
    at: component,
    text: 'import type { AppRouter } from "~/server/api/root";\nexport type Router = AppRouter;\n',
  },
  {
    what: "a client component importing the socket.io client",
    at: component,
    text: 'import { io } from "socket.io-client";\nexport const connect = () => io("/terminal");\n',
  },
  {
    what: "a route handler (server code) reading the disk",
    at: "src/app/api/fixture/route.ts",
    text: 'import { readFileSync } from "node:fs";\nexport const GET = () => new Response(readFileSync("/etc/hostname"));\n',
  },
  {
    what: "the Docker adapter importing dockerode",
    at: "worker/provisioner/docker/fixture.ts",
    text: 'import Docker from "dockerode";\nexport const engine = () => new Docker();\n',
  },
  {
    what: "an integration test importing dockerode",
    at: "test/integration/fixture.int.test.ts",
    text: 'import Docker from "dockerode";\nexport const engine = () => new Docker();\n',
  },
  {
    what: "the core importing the protocol",
    at: "src/core/sessions/fixture.ts",
    text: 'import { Status } from "~/protocol/sessionStatus";\nexport const isUp = (status: string) => status === Status.ready;\n',
  },
  {
    what: "the status machine spelling a status",
    at: "src/protocol/sessionStatus.ts",
    text: 'export const Status = { ready: "READY" } as const;\n',
  },
  {
    what: "a unit test spelling a status",
    at: "worker/tasks/fixture.test.ts",
    text: 'export const row = { status: "READY" };\n',
  },
];

describe("an allowed import at the same place breaks nothing", () => {
  it.each(allowed)("$what ($at)", async ({ at, text }) => {
    expect(await lint(text, at)).toEqual([]);
  });
});
