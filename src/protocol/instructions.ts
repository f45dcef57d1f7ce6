// The small, safe Markdown subset of lab instructions and solutions, as data: the page only
// renders it, and lab validation (src/core/labs/validate.ts) reads the same blocks. Nothing here is
// ever HTML: tags in the text stay text, and React escapes every string. Browser-safe.
//
// Supported: paragraphs (separated by a blank line), fenced code blocks (```sh busybox1: the word
// after the language names the container whose terminal the block is typed into), bulleted (- or *)
// and numbered (1. or 1)) lists, `inline code`, **bold**, *emphasis* and [links](https://…) to
// http(s) addresses only. Anything else is shown as written. In a code block, `<ADDRESS>` (upper
// case, digits and '_') is a placeholder the learner fills in before the command is typed.

export type Inline =
  | { kind: "text"; text: string }
  | { kind: "code"; text: string }
  | { kind: "strong"; text: string }
  | { kind: "em"; text: string }
  | { kind: "link"; text: string; href: string };

export type Block =
  | { kind: "paragraph"; content: Inline[] }
  | { kind: "list"; ordered: boolean; start: number; items: Inline[][] }
  /**
   * `terminal`: the container whose terminal `code` is typed into (null: it is only shown);
   * `placeholders`: the names of its `<PLACEHOLDER>`s, in order of first use.
   */
  | { kind: "code"; language: string | null; terminal: string | null; code: string; placeholders: string[] };

/** A value the learner must supply, written `<ADDRESS>` in a command. */
const PLACEHOLDER = /<([A-Z][A-Z0-9_]{0,31})>/g;

/** The placeholders of a command, each once, in order of first use. */
export function placeholdersOf(code: string): string[] {
  return [...new Set([...code.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Why a value cannot stand for a placeholder (a control character would run or edit the line), or null. */
export function placeholderValueProblem(name: string, value: string): string | null {
  if (!value.trim()) return `fill in ${name} first`;
  // C0 and C1 controls (xterm.js runs U+009B as CSI when the shell echoes it), Unicode line and
  // paragraph separators, and bidi overrides (the command would show as something it is not).
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(value))
    return `${name} must be one line of printable text`;
  if (value.length > 200) return `${name} is longer than 200 characters`;
  return null;
}

/**
 * The command with every placeholder replaced by the learner's value, or the first problem (a
 * placeholder left empty, or a value that is not one printable line): a command is never typed
 * with a placeholder in it.
 */
export function fillPlaceholders(
  code: string,
  values: Readonly<Record<string, string>>,
): { command: string } | { problem: string } {
  for (const name of placeholdersOf(code)) {
    const problem = placeholderValueProblem(name, values[name] ?? "");
    if (problem) return { problem };
  }
  return { command: code.replace(PLACEHOLDER, (_, name: string) => values[name]!.trim()) };
}

const FENCE_OPEN = /^```(.*)$/;
const FENCE_CLOSE = /^```\s*$/;
const LIST_ITEM = /^\s*(?:([-*+])|(\d{1,9})[.)])\s+(.*)$/;

export function parseInstructions(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  // (Cast: TypeScript does not see flush() assign it, and would narrow it to null.)
  let list = null as { ordered: boolean; start: number; items: string[][] } | null;

  const flush = () => {
    if (paragraph.length) blocks.push({ kind: "paragraph", content: parseInline(paragraph.join("\n")) });
    if (list)
      blocks.push({
        kind: "list",
        ordered: list.ordered,
        start: list.start,
        items: list.items.map((item) => parseInline(item.join("\n"))),
      });
    paragraph = [];
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE_OPEN.exec(line);
    const close = fence ? lines.findIndex((l, j) => j > i && FENCE_CLOSE.test(l)) : -1;
    if (fence && close > i) {
      flush();
      const [language, terminal] = fence[1]!.trim().split(/\s+/);
      const code = lines.slice(i + 1, close).join("\n");
      blocks.push({
        kind: "code",
        language: language || null,
        terminal: terminal ?? null,
        code,
        placeholders: placeholdersOf(code),
      });
      i = close;
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    const item = LIST_ITEM.exec(line);
    // As in CommonMark, a numbered line inside a paragraph starts a list only at 1: a wrapped
    // sentence may begin with "10. where…".
    if (item && !(paragraph.length > 0 && item[2] !== undefined && Number(item[2]) !== 1)) {
      const ordered = item[2] !== undefined;
      if (list?.ordered !== ordered) {
        flush();
        list = { ordered, start: ordered ? Number(item[2]) : 1, items: [] };
      }
      list.items.push([item[3]!]);
    } else if (list) {
      list.items.at(-1)!.push(line.trim()); // a wrapped item goes on
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

// One pattern, tried left to right; code comes first so nothing inside backticks is formatted.
// Emphasis must hug its text (`2 * 3 * 4` stays arithmetic).
const INLINE = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*|\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/gi;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push({ kind: "text", text: text.slice(last, m.index) });
    const [, code, strong, em, linkText, href] = m;
    if (code !== undefined) out.push({ kind: "code", text: code });
    else if (strong !== undefined) out.push({ kind: "strong", text: strong });
    else if (em !== undefined) out.push({ kind: "em", text: em });
    else out.push({ kind: "link", text: linkText!, href: href! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: "text", text: text.slice(last) });
  return out;
}
