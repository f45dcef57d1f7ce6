// The one place where a handler's failure becomes the learner's answer. The engine's message is
// passed on only when, once the session's engine names are put in the learner's words, it names
// nothing else (no other object, engine name, label or installation); otherwise a generic line.
import { SpecError } from "~/core/provisioner/port";
import { ApiError } from "./apiError";
import { EngineError } from "./engineHttp";
import type { SessionScope } from "./scope";

export type Answer = { status: number; message: string };

const PLATFORM_WORDS = /wireroom|netlab|nlab-|io\.wireroom|io\.netlab|\/var\/lib|\/run\/|labfiles/i;

/** `known`: further ids the learner may see (their exec instances). */
export function learnerWords(
  message: string,
  scope: SessionScope | undefined,
  secrets: string[],
  known: Iterable<string> = [],
): string | undefined {
  let text = message;
  if (scope) {
    const objects = [...scope.containers, ...scope.networks.filter((n) => !n.builtIn)];
    for (const o of objects.sort((a, b) => b.engineName.length - a.engineName.length)) {
      text = text.split(o.engineName).join(o.name);
    }
  }
  const ids = new Set([...[...(scope?.containers ?? []), ...(scope?.networks ?? [])].map((o) => o.id), ...known]);
  const foreignId = (text.match(/\b[0-9a-f]{64}\b/g) ?? []).some((id) => !ids.has(id));
  if (foreignId || PLATFORM_WORDS.test(text) || secrets.some((s) => s && text.includes(s))) return undefined;
  return text.split("\n")[0]!.slice(0, 300);
}

export function toAnswer(
  error: unknown,
  scope: SessionScope | undefined,
  secrets: string[],
  known: Iterable<string> = [],
): Answer {
  if (error instanceof ApiError) return { status: error.status, message: error.message };
  if (error instanceof EngineError) {
    const status = error.status >= 400 && error.status < 600 ? error.status : 500;
    const message = learnerWords(error.message, scope, secrets, known);
    return { status, message: message ?? `the engine refused this request (HTTP ${status})` };
  }
  if (error instanceof SpecError) {
    const message = learnerWords(error.message, scope, secrets);
    return { status: 400, message: message ?? "this request is not accepted in this session" };
  }
  return { status: 500, message: "the session's Docker endpoint failed on this request; try again" };
}
