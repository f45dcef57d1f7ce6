"use client";

import { Fragment } from "react";
import { type Block, type Inline, parseInstructions } from "~/protocol/instructions";

/**
 * A lab step's instructions (see parseInstructions for the Markdown it reads). A code block tagged
 * with a container (```sh busybox1) gets a button that runs the command in that container's
 * terminal. Every string is rendered as text, never as HTML.
 */
export function Instructions({ text, onRun }: { text: string; onRun?: (terminal: string, command: string) => void }) {
  return (
    <div className="instructions">
      {parseInstructions(text).map((block, i) => (
        <BlockView key={i} block={block} onRun={onRun} />
      ))}
    </div>
  );
}

function BlockView({ block, onRun }: { block: Block; onRun?: (terminal: string, command: string) => void }) {
  switch (block.kind) {
    case "paragraph":
      return <p>{inlines(block.content)}</p>;
    case "list": {
      const items = block.items.map((item, i) => <li key={i}>{inlines(item)}</li>);
      return block.ordered ? <ol start={block.start}>{items}</ol> : <ul>{items}</ul>;
    }
    case "code": {
      const { terminal, code } = block;
      return (
        <div className="code-block">
          <pre>
            <code>{code}</code>
          </pre>
          {terminal && onRun && (
            <button className="tab run" onClick={() => onRun(terminal, code)} title={`Type this in ${terminal}`}>
              Run in {terminal}
            </button>
          )}
        </div>
      );
    }
  }
}

function inlines(content: Inline[]) {
  return content.map((piece, i) => {
    switch (piece.kind) {
      case "text":
        return <Fragment key={i}>{piece.text}</Fragment>;
      case "code":
        return <code key={i}>{piece.text}</code>;
      case "strong":
        return <strong key={i}>{piece.text}</strong>;
      case "em":
        return <em key={i}>{piece.text}</em>;
      case "link":
        return (
          <a key={i} href={piece.href} target="_blank" rel="noopener noreferrer">
            {piece.text}
          </a>
        );
    }
  });
}
