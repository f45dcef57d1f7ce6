"use client";

import { Fragment } from "react";

/**
 * A small, safe Markdown subset for lab instructions: paragraphs, `code`, **bold**, and fenced
 * code blocks. A block tagged with a container (```sh busybox1) becomes a button that runs the
 * command in that container's terminal. Nothing is rendered as HTML.
 */
export function Instructions({ text, onRun }: { text: string; onRun?: (terminal: string, command: string) => void }) {
  const parts = text.split(/^```([^\n]*)\n([\s\S]*?)^```\s*$/m);
  const nodes = [];
  for (let i = 0; i < parts.length; i += 3) {
    const prose = parts[i] ?? "";
    for (const [j, paragraph] of prose.split(/\n\s*\n/).entries()) {
      if (paragraph.trim()) nodes.push(<p key={`p${i}-${j}`}>{inline(paragraph)}</p>);
    }
    const info = parts[i + 1];
    const code = parts[i + 2]?.replace(/\n$/, "");
    if (info === undefined || code === undefined) continue;
    const terminal = info.trim().split(/\s+/)[1];
    nodes.push(
      <div key={`c${i}`} className="code-block">
        <pre>
          <code>{code}</code>
        </pre>
        {terminal && onRun && (
          <button className="tab run" onClick={() => onRun(terminal, code)} title={`Type this in ${terminal}`}>
            Run in {terminal}
          </button>
        )}
      </div>,
    );
  }
  return <div className="instructions">{nodes}</div>;
}

function inline(text: string) {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/).map((piece, i) => {
    if (piece.startsWith("`") && piece.endsWith("`")) return <code key={i}>{piece.slice(1, -1)}</code>;
    if (piece.startsWith("**") && piece.endsWith("**")) return <strong key={i}>{piece.slice(2, -2)}</strong>;
    return <Fragment key={i}>{piece}</Fragment>;
  });
}
