// Check latency: 20 sessions press Check on the same step at once, 10 rounds; the time from the
// request (job enqueued, as the Check button does) to every result of the step being stored.
// Baseline in the same run: the same checks evaluated directly (no queue, no database).
//   npm run bench:checks [-- --sessions 20 --rounds 10]
// Prints a table, then one JSON line.
import os from "node:os";
import { startBoss } from "~/core/jobs/boss";
import { enqueueUnlessInFlight } from "~/core/jobs/enqueue";
import { runChecks } from "~/core/grading/runChecks";
import { startBenchPlatform } from "./platform";
import { printTable, summary } from "./stats";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const sessionsCount = arg("sessions", 20);
const rounds = arg("rounds", 10);
const STEP = "same-identity";

async function main() {
  const platform = await startBenchPlatform();
  const boss = await startBoss(platform.url, { worker: false });
  try {
    const sessions = await Promise.all(Array.from({ length: sessionsCount }, () => platform.session("joined", "bench-user")));
    for (const { sessionId } of sessions) {
      await platform.provisioner.run(sessionId, "busybox2", ["sh", "-c", "ifconfig eth0 | sed -n 's/.*HWaddr //p' > /tmp/mac"]);
    }
    const checksInStep = sessions[0]!.lab.steps.find((s) => s.id === STEP)!.checks.length;

    const queued: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        sessions.map(async ({ sessionId }) => {
          const since = new Date();
          const t0 = performance.now();
          await enqueueUnlessInFlight(boss, "checkStep", { sessionId, stepId: STEP }); // never coalesced here: each round waits for the last
          for (;;) {
            const fresh = await platform.db.checkResult.count({ where: { sessionId, stepId: STEP, updatedAt: { gte: since } } });
            if (fresh === checksInStep) break;
            await new Promise((r) => setTimeout(r, 5));
          }
          queued.push(performance.now() - t0);
        }),
      );
    }

    const direct: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        sessions.map(async ({ sessionId, lab, params }) => {
          const t0 = performance.now();
          await runChecks(platform.provisioner, sessionId, lab, params, STEP);
          direct.push(performance.now() - t0);
        }),
      );
    }

    const q = summary(queued);
    const d = summary(direct);
    printTable([
      { path: `Check through the queue (${sessionsCount} sessions at once)`, ...q },
      { path: "the same checks run directly (no queue, no database)", ...d },
    ]);
    const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}`;
    console.log(
      JSON.stringify({
        benchmark: "check-latency",
        sessions: sessionsCount,
        rounds,
        checksPerStep: checksInStep,
        unit: "ms",
        queued: q,
        direct: d,
        ratioP50: Math.round((q.p50 / d.p50) * 100) / 100,
        machine,
      }),
    );
  } finally {
    await boss.stop({ graceful: false });
    await platform.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
