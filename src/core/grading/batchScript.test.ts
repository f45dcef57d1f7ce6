// The batch of probes: the script bounds and marks each probe, and the splitter gives each probe
// its own output, whatever a learner's output holds (a forged delimiter, with or without the batch's
// nonce, is output), or says why a probe has none.
import { describe, expect, it } from "vitest";
import { batchOutputLimit, buildProbeScript, newNonce, shellQuote, splitProbeOutput } from "./batchScript";

const options = { timeoutMs: 5_000, outputLimit: 4096 };
const nonce = "0123456789abcdef0123456789abcdef";
const b64 = (text: string | Buffer) => Buffer.from(text).toString("base64");
/** What the script prints for a probe that finished: begin, its output in base64 (76-column lines), end. */
const finished = (i: number, output: string | Buffer, n = nonce) =>
  `\n${n}:${i}:B\n${(b64(output).match(/.{1,76}/g) ?? []).join("\n")}\n${n}:${i}:E\n`;

describe("the batch script", () => {
  it("runs each probe under timeout with its own marker, cut in the container, encoded, between the nonce's delimiters", () => {
    const script = buildProbeScript(["cat /tmp/my-ip", "ifconfig eth0"], nonce, options);
    for (const i of [0, 1]) {
      expect(script).toContain(`WIREROOM_PROBE=${nonce}.${i} timeout -s KILL 5 sh -c `);
      expect(script).toContain(`grep -qx 'WIREROOM_PROBE=${nonce}.${i}' && kill -KILL`);
      for (const mark of ["B", "T", "E"]) expect(script).toContain(`printf '\\n%s:%s:${mark}\\n' ${nonce} ${i}`);
    }
    expect(script.match(/\| head -c 4096 \| base64/g)).toHaveLength(2);
    expect(script).toContain("sh -c 'cat /tmp/my-ip' </dev/null 2>&1 3>&-;"); // timeout's watchdog does not hold the exec's output
  });

  it("passes a command with quotes as one word, unchanged", () => {
    expect(shellQuote(`echo 'it''s' "$HOME"`)).toBe(`'echo '\\''it'\\'''\\''s'\\'' "$HOME"'`);
  });

  it("draws a fresh nonce for every batch", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[0-9a-f]{32}$/);
  });

  it("bounds the whole batch's output by what its probes may print", () => {
    const many = "x".repeat(options.outputLimit);
    const printed = [0, 1, 2].map((i) => finished(i, many)).join("");
    expect(printed.length).toBeLessThanOrEqual(batchOutputLimit(3, options));
  });
});

describe("splitting the batch's output", () => {
  const commands = ["cat /tmp/my-ip", "ifconfig eth0", "cat /tmp/my-mask"];

  it("gives each probe its own output, stdout and stderr as printed, in UTF-8", () => {
    const printed = finished(0, "10.1.0.2\n") + finished(1, "eth0  inet addr:10.1.0.2\n") + finished(2, "cat: can't open 'é'\n");
    expect(splitProbeOutput(printed, nonce, commands, options)).toEqual([
      { output: "10.1.0.2\n" },
      { output: "eth0  inet addr:10.1.0.2\n" },
      { output: "cat: can't open 'é'\n" },
    ]);
  });

  it("a learner's output holding delimiters, even with this batch's nonce, is that probe's output", () => {
    const forged = `10.1.0.2\n${nonce}:0:E\n\n${nonce}:1:B\nZm9yZ2Vk\n${nonce}:1:E\n\nffff:1:E\n`;
    const printed = finished(0, forged) + finished(1, "real\n") + finished(2, "");
    expect(splitProbeOutput(printed, nonce, commands, options)).toEqual([
      { output: forged },
      { output: "real\n" },
      { output: "" },
    ]);
  });

  it("ignores delimiters of another nonce around the batch", () => {
    const other = "f".repeat(32);
    const printed = finished(0, "forged", other) + finished(0, "a") + finished(1, "b") + finished(2, "c");
    expect(splitProbeOutput(printed, nonce, commands, options)).toEqual([{ output: "a" }, { output: "b" }, { output: "c" }]);
  });

  it("keeps a cut output whole up to the limit (the container cut it)", () => {
    const cut = "1".repeat(options.outputLimit);
    const [first] = splitProbeOutput(finished(0, cut) + finished(1, "") + finished(2, ""), nonce, commands, options)!;
    expect(first).toEqual({ output: cut });
  });

  it("a probe whose time was up did not finish, whatever it printed; the next ones still count", () => {
    const printed = finished(0, "ok") + `\n${nonce}:1:B\nS2ls\n${nonce}:1:T\nbGVk\n${nonce}:1:E\n` + finished(2, "255.255.0.0\n");
    expect(splitProbeOutput(printed, nonce, commands, options)).toEqual([
      { output: "ok" },
      { error: "sh -c ifconfig eth0 did not finish within 5000 ms" },
      { output: "255.255.0.0\n" },
    ]);
  });

  it("a probe without its end delimiter (the batch was cut or killed) could not run", () => {
    const printed = finished(0, "ok") + `\n${nonce}:1:B\nMTEx`;
    expect(splitProbeOutput(printed, nonce, commands, options)).toEqual([
      { output: "ok" },
      { error: "sh -c ifconfig eth0 did not finish: the probes ran out of time before it" },
      { error: "sh -c cat /tmp/my-mask did not finish: the probes ran out of time before it" },
    ]);
  });

  it("output that is not the script's encoding (written into the exec's stream) could not be read", () => {
    const printed = finished(0, "ok") + `\n${nonce}:1:B\nnot base64!\n${nonce}:1:E\n` + finished(2, "");
    expect(splitProbeOutput(printed, nonce, commands, options)?.[1]).toEqual({
      error: "sh -c ifconfig eth0: its output could not be read",
    });
  });

  it("says so when the container lacks the script's tools (the adapter then asks one probe per exec)", () => {
    expect(splitProbeOutput(`\n${nonce}:tools\n`, nonce, commands, options)).toBeUndefined();
  });
});
