"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { Instructions } from "./Instructions";

type Pending = { kind: "check"; stepId: string; since: number } | { kind: "submit"; count: number } | null;

/** The lab's steps, Check per step, Submit, the score, and what `docker network ls` / `docker info` show. */
export function LabGuide({
  sessionId,
  canCheck,
  canSubmit,
  onRun,
}: {
  sessionId: string;
  canCheck: boolean;
  canSubmit: boolean;
  onRun: (terminal: string, command: string) => void;
}) {
  const trpc = useTRPC();
  const [pending, setPending] = useState<Pending>(null);
  const progress = useQuery(
    trpc.grading.progress.queryOptions({ sessionId }, { refetchInterval: pending ? 300 : 5000 }),
  );
  const check = useMutation(trpc.grading.check.mutationOptions());
  const submit = useMutation(trpc.grading.submit.mutationOptions());

  const data = progress.data;
  useEffect(() => {
    if (!data || !pending) return;
    // Pending work is done once every check of the step has a result newer than the request,
    // or once a new submission is stored.
    if (pending.kind === "check") {
      const step = data.steps.find((s) => s.id === pending.stepId);
      if (step?.checks.every((c) => c.result && new Date(c.result.at).getTime() >= pending.since)) setPending(null);
    } else if (data.submissions.length > pending.count) setPending(null);
  }, [data, pending]);
  if (!data) return <p>Loading the lab's steps…</p>;
  const latest = data.submissions.at(-1);

  return (
    <aside className="guide" aria-label="Lab steps">
      {data.engine && <EnginePanels engine={data.engine} />}
      {data.steps.map((step, index) => (
        <section key={step.id} className="step" data-testid={`step-${step.id}`} data-passed={step.passed}>
          <h3>
            {index + 1}. {step.title} {step.passed && <span className="badge connected">passed</span>}
          </h3>
          <Instructions text={step.instructions} onRun={onRun} />
          {canCheck && (
            <button
              disabled={pending?.kind === "check" && pending.stepId === step.id}
              onClick={() => {
                setPending({ kind: "check", stepId: step.id, since: Date.now() - 2000 });
                check.mutate({ sessionId, stepId: step.id }, { onError: () => setPending(null) });
              }}
            >
              {pending?.kind === "check" && pending.stepId === step.id ? "Checking…" : "Check"}
            </button>
          )}
          <ul className="checks">
            {step.checks.map((c) => (
              <li key={c.id} data-testid={`check-${c.id}`} data-passed={c.result?.passed ?? "unknown"}>
                {c.result ? (c.result.passed ? "✓" : "✗") : "•"} {c.result?.message ?? c.description} ({c.points} pt)
                {c.result && !c.result.passed && c.hints.length > 0 && <div className="tagline">Hint: {c.hints.join(" ")}</div>}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {check.isError && <p className="error">{check.error.message}</p>}
      {data.totalPoints > 0 && (
        <section className="submit">
          {canSubmit && (
            <button
              disabled={pending?.kind === "submit"}
              onClick={() => {
                setPending({ kind: "submit", count: data.submissions.length });
                submit.mutate({ sessionId }, { onError: () => setPending(null) });
              }}
            >
              {pending?.kind === "submit" ? "Grading…" : "Submit"}
            </button>
          )}
          {submit.isError && <p className="error">{submit.error.message}</p>}
          {latest && (
            <p data-testid="score">
              Submitted (attempt {latest.attempt}): <strong>{latest.score} / {latest.maxScore}</strong> points
            </p>
          )}
        </section>
      )}
    </aside>
  );
}

function EnginePanels({ engine }: { engine: { networks: { id: string; name: string; driver: string; scope: string }[]; drivers: string[] } }) {
  return (
    <details className="engine">
      <summary>Networks and engine (docker network ls, docker info)</summary>
      <table data-testid="networks">
        <thead>
          <tr>
            <th>NETWORK ID</th>
            <th>NAME</th>
            <th>DRIVER</th>
            <th>SCOPE</th>
          </tr>
        </thead>
        <tbody>
          {engine.networks.map((n) => (
            <tr key={n.name}>
              <td>{n.id}</td>
              <td>{n.name}</td>
              <td>{n.driver}</td>
              <td>{n.scope}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Plugins — Network: <code data-testid="drivers">{engine.drivers.join(" ")}</code>
      </p>
    </details>
  );
}
