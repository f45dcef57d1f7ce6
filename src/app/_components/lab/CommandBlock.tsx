"use client";

import { useId, useRef, useState } from "react";
import { fillPlaceholders, placeholderValueProblem } from "~/protocol/instructions";
import { commandPieces } from "./commandPieces";

/**
 * Types a command into a terminal without pressing Enter (the learner edits it there, then presses
 * Enter). Returns why it could not (e.g. the container does not exist yet), or nothing.
 */
export type TypeCommand = (terminal: string, command: string) => string | undefined;

/**
 * One code block of a step. Tagged with a terminal, it has a button that types the command into
 * that terminal (never with Enter). A command with `<PLACEHOLDER>`s shows each one marked and an
 * input for it; it is typed only once every placeholder holds one printable line, otherwise
 * nothing is sent and the message says which placeholder to fill.
 */
export function CommandBlock({
  code,
  terminal,
  placeholders,
  onType,
}: {
  code: string;
  terminal: string | null;
  placeholders: string[];
  onType?: TypeCommand;
}) {
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  /** Why the last press typed nothing: a placeholder to fill (`name`), or the terminal's refusal. */
  const [problem, setProblem] = useState<{ name: string | null; message: string } | null>(null);
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const runnable = terminal !== null && onType !== undefined;
  const inputId = (name: string) => `${id}-${name}`;

  const typeIt = (event: React.FormEvent) => {
    event.preventDefault();
    if (!runnable) return;
    const filled = fillPlaceholders(code, values);
    if ("command" in filled) {
      const refused = onType(terminal, filled.command);
      setProblem(refused ? { name: null, message: `Not typed: ${refused}.` } : null);
      return;
    }
    const name = placeholders.find((p) => placeholderValueProblem(p, values[p] ?? "")) ?? placeholders[0]!;
    setProblem({ name, message: `Not typed: ${filled.problem}.` });
    inputs.current.get(name)?.focus();
  };

  const pre = (
    <pre>
      <code>
        {commandPieces(code, placeholders).map((piece, i) =>
          piece.kind === "text" ? (
            piece.text
          ) : (
            <mark key={i} className="placeholder" title={`Placeholder: fill in ${piece.name}`}>
              {`<${piece.name}>`}
            </mark>
          ),
        )}
      </code>
    </pre>
  );
  if (!runnable) return <div className="code-block">{pre}</div>;
  return (
    <form className="code-block command" onSubmit={typeIt} noValidate>
      {pre}
      {placeholders.length > 0 && (
        <div className="placeholders">
          {placeholders.map((name) => (
            <label key={name} htmlFor={inputId(name)}>
              {name}
              <input
                id={inputId(name)}
                ref={(el) => {
                  if (el) inputs.current.set(name, el);
                  else inputs.current.delete(name);
                }}
                value={values[name] ?? ""}
                onChange={(e) => {
                  setValues((v) => ({ ...v, [name]: e.target.value }));
                  if (problem?.name === name) setProblem(null);
                }}
                aria-invalid={problem?.name === name}
                aria-describedby={`${id}-problem`}
                autoComplete="off"
                spellCheck={false}
                data-testid={`placeholder-${name}`}
              />
            </label>
          ))}
        </div>
      )}
      <button
        type="submit"
        className="tab run"
        title={`Types the command into ${terminal} without pressing Enter`}
        aria-describedby={`${id}-problem`}
      >
        Type in {terminal}
      </button>
      <span id={`${id}-problem`} role="status" aria-live="polite" className="error">
        {problem?.message}
      </span>
    </form>
  );
}
