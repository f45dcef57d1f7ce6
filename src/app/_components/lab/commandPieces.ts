// A command's text cut into what is typed as written and the placeholders the learner fills in,
// so the page can mark each placeholder. The placeholders are the parser's (a code block's
// `placeholders`, from src/protocol/instructions.ts); this only finds where they are.

export type CommandPiece = { kind: "text"; text: string } | { kind: "placeholder"; name: string };

export function commandPieces(code: string, placeholders: readonly string[]): CommandPiece[] {
  const pieces: CommandPiece[] = [];
  let text = "";
  for (let i = 0; i < code.length;) {
    const name = code[i] === "<" ? placeholders.find((p) => code.startsWith(`<${p}>`, i)) : undefined;
    if (name === undefined) {
      text += code[i++];
      continue;
    }
    if (text) pieces.push({ kind: "text", text });
    text = "";
    pieces.push({ kind: "placeholder", name });
    i += name.length + 2;
  }
  if (text) pieces.push({ kind: "text", text });
  return pieces;
}
