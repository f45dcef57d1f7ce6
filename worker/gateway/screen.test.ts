import headless from "@xterm/headless";
import serialize from "@xterm/addon-serialize";
import { describe, expect, it } from "vitest";
import { FeedScheduler } from "./screenFeeder";
import { Screen } from "./screen";

const SIZE = { cols: 80, rows: 24 };
const SCROLLBACK = 1000;

/** What a headless terminal holds after parsing every character of `chunks` (the reference). */
function parsedFully(chunks: string[], size = SIZE): string {
  const terminal = new headless.Terminal({ ...size, scrollback: SCROLLBACK, allowProposedApi: true, logLevel: "off" });
  const serializer = new serialize.SerializeAddon();
  terminal.loadAddon(serializer);
  const core = (terminal as unknown as { _core: { writeSync(data: string): void } })._core;
  for (const chunk of chunks) core.writeSync(chunk);
  const out = serializer.serialize({ scrollback: SCROLLBACK });
  terminal.dispose();
  return out;
}

/** What the server's screen holds after `chunks` (fed by its feeder, which may skip), and how much it skipped. */
async function throughScreen(chunks: string[], size = SIZE) {
  const scheduler = new FeedScheduler();
  const screen = new Screen(size, SCROLLBACK, () => {}, scheduler);
  let offset = 0;
  for (const chunk of chunks) {
    screen.write(chunk, () => {});
    offset += chunk.length;
  }
  await screen.settled();
  const out = screen.serialize(offset);
  screen.dispose();
  return { out, skipped: scheduler.stats.skipped };
}

const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}\r\n`).join("");
const cut = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

describe("Screen: floods of plain output", () => {
  const cases: { name: string; chunks: string[]; skips: boolean; size?: { cols: number; rows: number } }[] = [
    {
      name: "a stream without newlines after coloured text, in odd chunks",
      chunks: ["\x1b[31mred\x1b[0m prompt$ ", ...cut("a".repeat(400_000) + "b".repeat(1234), 65_531), "\r\nend$ "],
      skips: true,
    },
    {
      name: "printable characters of every kind, no newline, at 133 columns",
      chunks: cut(Array.from({ length: 600_000 }, (_, i) => String.fromCharCode(0x20 + ((i * 7) % 95))).join(""), 40_000),
      skips: true,
      size: { cols: 133, rows: 41 },
    },
    {
      name: "numbered lines (seq), with tabs and a long wrapped line inside",
      chunks: cut(lines(0, 5000) + "x\ty\t".repeat(300) + "\r\n" + lines(5000, 9000), 16_384),
      skips: true,
    },
    {
      name: "lines written with LF alone (no CR) keep their columns",
      chunks: ["start", ...cut("ab\n".repeat(20_000), 30_000), "done"],
      skips: false,
    },
    {
      name: "a scroll region set before the flood",
      chunks: ["\x1b[5;10r", ...cut(lines(0, 6000), 20_000)],
      skips: false,
    },
    {
      name: "insert mode on during the flood",
      chunks: ["\x1b[4h", ...cut("q".repeat(120_000), 50_000), "\x1b[4l"],
      skips: false,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: the same screen and scrollback as parsing every character`, async () => {
      const { out, skipped } = await throughScreen(c.chunks, c.size);
      expect(out).toBe(parsedFully(c.chunks, c.size));
      if (c.skips) expect(skipped).toBeGreaterThan(50_000);
      else expect(skipped).toBe(0);
    }, 60_000); // the parse-time budget paces the reference's work too on a loaded machine
  }

  it("short output is parsed whole: nothing is skipped", async () => {
    const chunks = [lines(0, 800), "a".repeat(50_000)];
    const { out, skipped } = await throughScreen(chunks);
    expect(skipped).toBe(0);
    expect(out).toBe(parsedFully(chunks));
  });
});

describe("Screen: an idle screen sleeps small and wakes when output comes", () => {
  const prompt = "\x1b[1;32m/ #\x1b[0m ";
  const listing = lines(0, 20) + prompt;

  it("sleeps after idleMs with nothing queued, keeping only its serialisation, and serialises the same", async () => {
    const scheduler = new FeedScheduler();
    const screen = new Screen(SIZE, SCROLLBACK, () => {}, scheduler);
    screen.write(listing, () => {});
    await screen.settled();
    const before = screen.serialize(listing.length);
    expect(screen.sleepIfIdle(performance.now(), 60_000)).toBe(false); // not idle for long enough
    expect(screen.sleepIfIdle(performance.now() + 1, 0)).toBe(true);
    expect(screen.sleeping).toBe(true);
    expect(screen.serialize(listing.length)).toBe(before);
    expect(before.length).toBeLessThan(2_000); // what it keeps for a screen of output
    screen.dispose();
  });

  it("wakes at the next output, restored: the same screen as parsing everything, the scroll region and modes included", async () => {
    const scheduler = new FeedScheduler();
    const screen = new Screen(SIZE, SCROLLBACK, () => {}, scheduler);
    const chunks = [lines(0, 1500), "\x1b[?2004h\x1b[4h\x1b[3;20r\x1b[10;5H", "inserted"];
    const after = ["more\r\n", lines(1500, 1530), "\x1b[4lend"];
    for (const c of chunks) screen.write(c, () => {});
    await screen.settled();
    expect(screen.sleepIfIdle(performance.now() + 1, 0)).toBe(true);
    for (const c of after) screen.write(c, () => {});
    await screen.settled();
    expect(screen.sleeping).toBe(false);
    const offset = [...chunks, ...after].join("").length;
    expect(screen.serialize(offset)).toBe(parsedFully([...chunks, ...after]));
    screen.dispose();
  });

  it("answers the shell's cursor query after waking (busybox asks at every prompt)", async () => {
    const replies: string[] = [];
    const screen = new Screen(SIZE, SCROLLBACK, (r) => replies.push(r), new FeedScheduler());
    screen.write("ab\r\ncd", () => {});
    await screen.settled();
    screen.sleepIfIdle(performance.now() + 1, 0);
    screen.write("\x1b[6n", () => {});
    await screen.settled();
    expect(replies).toEqual(["\x1b[2;3R"]);
    screen.dispose();
  });

  it("does not sleep with output queued", () => {
    const screen = new Screen(SIZE, SCROLLBACK, () => {}, new FeedScheduler());
    screen.write("queued", () => {});
    expect(screen.sleepIfIdle(performance.now() + 1, 0)).toBe(false);
    screen.dispose();
  });
});
