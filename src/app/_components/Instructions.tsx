"use client";

import { Fragment } from "react";
import { type Block, type Inline, parseInstructions } from "~/protocol/instructions";
import { CommandBlock, type TypeCommand } from "./lab/CommandBlock";

/**
 * A lab step's instructions or solution (see parseInstructions for the Markdown it reads). A code
 * block tagged with a terminal (```sh busybox1) gets a button that types the command into that
 * terminal without Enter; placeholders are filled in first (CommandBlock). Every string is
 * rendered as text, never as HTML.
 */
export function Instructions({ text, onType }: { text: string; onType?: TypeCommand }) {
  return (
    <div className="instructions">
      {parseInstructions(text).map((block, i) => (
        <BlockView key={i} block={block} onType={onType} />
      ))}
    </div>
  );
}

function BlockView({ block, onType }: { block: Block; onType?: TypeCommand }) {
  switch (block.kind) {
    case "paragraph":
      return (
        <p>
          <InlineText content={block.content} />
        </p>
      );
    case "list": {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <InlineText content={item} />
        </li>
      ));
      return block.ordered ? <ol start={block.start}>{items}</ol> : <ul>{items}</ul>;
    }
    case "code":
      return <CommandBlock code={block.code} terminal={block.terminal} placeholders={block.placeholders} onType={onType} />;
  }
}

/** A line of inline Markdown (parseInline's pieces): code, bold, emphasis, http(s) links; text stays text. */
export function InlineText({ content }: { content: Inline[] }) {
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
