"use client";

import type { RunView } from "~/protocol/checkRun";
import type { TypeCommand } from "./lab/CommandBlock";
import { ContainerGuide, type GuidedContainer } from "./lab/ContainerGuide";
import { EnginePanels } from "./lab/EnginePanels";
import { StepCard } from "./lab/StepCard";
import { SubmitPanel } from "./lab/SubmitPanel";
import type { LiveProgress } from "./session/useSessionLive";

/**
 * The lab's steps, Check per step, Submit, the score, and what `docker network ls` / `docker info`
 * show. Everything it shows is pushed (the session page's subscription): it never polls.
 */
export function LabGuide({
  sessionId,
  progress,
  runs,
  canCheck,
  canSubmit,
  onType,
  containerGuide,
}: {
  sessionId: string;
  progress: LiveProgress | undefined;
  runs: ReadonlyMap<string, RunView>;
  canCheck: boolean;
  canSubmit: boolean;
  /** Types a command into a terminal; absent for someone who may not type (a viewer): commands are only shown. */
  onType?: TypeCommand;
  /** What the lab's containers are (a playground's), from the session view. */
  containerGuide: readonly GuidedContainer[];
}) {
  if (!progress) return <p role="status">Loading the lab's steps…</p>;
  return (
    <aside className="guide" aria-label="Lab steps">
      <ContainerGuide containers={containerGuide} />
      {progress.engine && <EnginePanels engine={progress.engine} />}
      {progress.steps.map((step, index) => (
        <StepCard key={step.id} sessionId={sessionId} step={step} index={index} runs={runs} canCheck={canCheck} onType={onType} />
      ))}
      {progress.totalPoints > 0 && (
        <SubmitPanel
          sessionId={sessionId}
          steps={progress.steps}
          submissions={progress.submissions}
          runs={runs}
          canSubmit={canSubmit}
        />
      )}
    </aside>
  );
}
