import { describe, expect, it } from "vitest";
import { fillPlaceholders, parseInline, parseInstructions, placeholdersOf, type Block } from "./instructions";

const text = (t: string) => ({ kind: "text", text: t }) as const;

describe("parseInstructions", () => {
  it("splits prose into paragraphs at blank lines, keeping wrapped lines together", () => {
    expect(parseInstructions("First line\nstill first.\n\n  \nSecond.")).toEqual<Block[]>([
      { kind: "paragraph", content: [text("First line\nstill first.")] },
      { kind: "paragraph", content: [text("Second.")] },
    ]);
  });

  it("returns no blocks for empty or blank text", () => {
    expect(parseInstructions("")).toEqual([]);
    expect(parseInstructions("\n \n\t\n")).toEqual([]);
  });

  it("turns a fenced block tagged with a container into a command for that container's terminal", () => {
    const blocks = parseInstructions("Compare:\n\n```sh busybox1\nifconfig eth0\nip route\n```\nAfter.");
    expect(blocks).toEqual<Block[]>([
      { kind: "paragraph", content: [text("Compare:")] },
      { kind: "code", language: "sh", terminal: "busybox1", code: "ifconfig eth0\nip route", placeholders: [] },
      { kind: "paragraph", content: [text("After.")] },
    ]);
  });

  it("shows a fenced block without a container, or without a language, as code that cannot be run", () => {
    expect(parseInstructions("```sh\nls\n```")).toEqual([
      { kind: "code", language: "sh", terminal: null, code: "ls", placeholders: [] },
    ]);
    expect(parseInstructions("```\nls\n```")).toEqual([
      { kind: "code", language: null, terminal: null, code: "ls", placeholders: [] },
    ]);
  });

  it("keeps a code block's contents verbatim: no formatting, lists or paragraphs inside", () => {
    const code = "- not a list\n\n**not bold** `not code`\n<b>not html</b>";
    expect(parseInstructions("```sh host\n" + code + "\n```")).toEqual([
      { kind: "code", language: "sh", terminal: "host", code, placeholders: [] },
    ]);
  });

  it("closes a fence only on a line of its own, and reads Windows line endings", () => {
    expect(parseInstructions("```sh b1\r\necho ```x```\r\n```  \r\ntail")).toEqual<Block[]>([
      { kind: "code", language: "sh", terminal: "b1", code: "echo ```x```", placeholders: [] },
      { kind: "paragraph", content: [text("tail")] },
    ]);
  });

  it("leaves an unclosed fence as text rather than swallowing the rest of the step", () => {
    const blocks = parseInstructions("```sh busybox1\nls");
    expect(blocks.some((b) => b.kind === "code")).toBe(false);
    expect(blocks).toEqual([{ kind: "paragraph", content: [text("```sh busybox1\nls")] }]);
  });

  it("reads bulleted and numbered lists, including wrapped items and a list right after a sentence", () => {
    expect(parseInstructions("Try:\n- one `a`\n* two\n  continued\n\n3. third\n4) fourth")).toEqual<Block[]>([
      { kind: "paragraph", content: [text("Try:")] },
      {
        kind: "list",
        ordered: false,
        start: 1,
        items: [[text("one "), { kind: "code", text: "a" }], [text("two\ncontinued")]],
      },
      { kind: "list", ordered: true, start: 3, items: [[text("third")], [text("fourth")]] },
    ]);
  });

  it("starts a new list when bullets switch to numbers", () => {
    const blocks = parseInstructions("- a\n1. b");
    expect(blocks.map((b) => b.kind === "list" && b.ordered)).toEqual([false, true]);
  });

  it("renders hostile HTML as text, never as markup", () => {
    const hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a>';
    expect(parseInstructions(hostile)).toEqual([{ kind: "paragraph", content: [text(hostile)] }]);
    const kinds = JSON.stringify(parseInstructions("```html b1\n<script>x</script>\n```\n**<b>**"));
    expect(kinds).not.toMatch(/"kind":"(html|raw)"/);
  });
});

describe("parseInline", () => {
  it("reads inline code, bold and emphasis", () => {
    expect(parseInline("Run `ip a` **now**, on *its* host")).toEqual([
      text("Run "),
      { kind: "code", text: "ip a" },
      text(" "),
      { kind: "strong", text: "now" },
      text(", on "),
      { kind: "em", text: "its" },
      text(" host"),
    ]);
  });

  it("formats nothing inside inline code", () => {
    expect(parseInline("`**x** *y*`")).toEqual([{ kind: "code", text: "**x** *y*" }]);
  });

  it("leaves arithmetic, lone stars and unmatched backticks alone", () => {
    for (const plain of ["2 * 3 * 4", "a ** b", "one ` tick", "s/.* //", "**"]) expect(parseInline(plain)).toEqual([text(plain)]);
  });

  it("makes links only to http(s) addresses; any other scheme stays text", () => {
    expect(parseInline("See [the docs](https://docs.docker.com/network/).")).toEqual([
      text("See "),
      { kind: "link", text: "the docs", href: "https://docs.docker.com/network/" },
      text("."),
    ]);
    for (const hostile of ["[x](javascript:alert(1))", "[x](data:text/html,hi)", "[x](//evil.example)", "[x](/relative)"]) {
      expect(parseInline(hostile)).toEqual([text(hostile)]);
    }
  });
});

describe("placeholders", () => {
  it("lists each <PLACEHOLDER> of a command once, in order; shell redirections are not placeholders", () => {
    expect(placeholdersOf("ping -c 1 <ADDRESS> > /tmp/ping.txt 2>&1; echo <ADDRESS> <MY_NAME2>")).toEqual([
      "ADDRESS",
      "MY_NAME2",
    ]);
    expect(placeholdersOf("cat </tmp/x; echo <lower> <1X> a<b>c")).toEqual([]);
    expect(parseInstructions("```sh host\necho <DRIVER> > /tmp/none-driver\n```")).toEqual([
      { kind: "code", language: "sh", terminal: "host", code: "echo <DRIVER> > /tmp/none-driver", placeholders: ["DRIVER"] },
    ]);
  });

  it("fills every placeholder, or says which one is missing or unusable; never returns a command with one left", () => {
    expect(fillPlaceholders("ping -c 1 <ADDRESS>", { ADDRESS: " 10.1.0.2 " })).toEqual({ command: "ping -c 1 10.1.0.2" });
    expect(fillPlaceholders("ping <ADDRESS>", {})).toEqual({ problem: "fill in ADDRESS first" });
    expect(fillPlaceholders("ping <ADDRESS>", { ADDRESS: "  " })).toEqual({ problem: "fill in ADDRESS first" });
    expect(fillPlaceholders("ping <ADDRESS>", { ADDRESS: "1.2.3.4\rreboot" })).toEqual({
      problem: "ADDRESS must be one line of printable text",
    });
    expect(fillPlaceholders("ls", {})).toEqual({ command: "ls" });
  });
});

describe("numbered lines", () => {
  it("keeps a wrapped line that starts with a number in its paragraph, unless it is 1. (CommonMark)", () => {
    expect(parseInstructions("Your address starts with\n10. where the tutorial's was 172.17.0.2.")).toEqual([
      { kind: "paragraph", content: [text("Your address starts with\n10. where the tutorial's was 172.17.0.2.")] },
    ]);
    expect(parseInstructions("Steps:\n1. one\n2. two")).toEqual([
      { kind: "paragraph", content: [text("Steps:")] },
      { kind: "list", ordered: true, start: 1, items: [[text("one")], [text("two")]] },
    ]);
  });
});
