import { describe, expect, it } from "vitest";
import { formatLinkSpec, linkSpecProblem, LinkWordsError, parseLinkWords } from "./linkSpec";

describe("link words", () => {
  it("reads delay, jitter, loss and rate in any order, with units", () => {
    expect(parseLinkWords(["rate", "1mbit", "delay", "0.2s", "jitter", "20ms", "loss", "5%"])).toEqual({
      delayMs: 200,
      jitterMs: 20,
      lossPct: 5,
      rateKbit: 1000,
    });
    expect(parseLinkWords(["delay", "200"])).toEqual({ delayMs: 200, jitterMs: 0, lossPct: 0, rateKbit: null });
    expect(parseLinkWords(["loss", "0.5", "rate", "512kbit"])).toEqual({ delayMs: 0, jitterMs: 0, lossPct: 0.5, rateKbit: 512 });
    expect(parseLinkWords(["rate", "1GBIT"]).rateKbit).toBe(1_000_000);
  });

  it("refuses in one line what it cannot read, saying what is accepted", () => {
    const problem = (words: string[]) => {
      try {
        parseLinkWords(words);
      } catch (error) {
        expect(error).toBeInstanceOf(LinkWordsError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${words.join(" ")}`);
    };
    const accepted = "(accepted: delay 0-5000ms, jitter 0-delay, loss 0-100%, rate 8kbit-1gbit or none)";
    expect(problem(["delay", "5001ms"])).toBe(`delay is at most 5000ms ${accepted}`);
    expect(problem(["delay", "1.5ms"])).toBe(`delay is a whole number of milliseconds, got 1.5ms ${accepted}`);
    expect(problem(["delay", "10ms", "delay", "20ms"])).toBe("delay is given twice: give each setting once");
    expect(problem(["delay"])).toBe("delay needs a value, e.g. delay 200ms");
    expect(problem(["rate", "2gbit"])).toBe(`rate is at most 1gbit ${accepted}`);
    expect(problem(["rate", "fast"])).toBe(
      `rate "fast" is not a rate: write e.g. rate 1mbit, rate 512kbit or rate none ${accepted}`,
    );
    expect(problem(["loss", "101%"])).toBe(`loss is at most 100% ${accepted}`);
    expect(problem(["loss", "0.125%"])).toBe(`loss has at most two decimals, e.g. 0.5% ${accepted}`);
    expect(problem(["jitter", "5ms"])).toBe(`jitter cannot be larger than the delay ${accepted}`);
    expect(problem(["rate", "none"])).toMatch(/^give at least one of delay, loss or rate/);
    expect(problem(["bandwidth", "1mbit"])).toBe(`unknown setting "bandwidth": use delay, jitter, loss or rate ${accepted}`);
  });

  it("accepts a loss with up to two decimals, however floating point writes it", () => {
    // 1.1 * 100 is 110.00000000000001 and 0.07 * 100 is 7.000000000000001: still two decimals.
    for (const lossPct of [1.1, 2.3, 0.07, 4.35, 0.01, 99.99, 100]) {
      expect(linkSpecProblem({ delayMs: 0, jitterMs: 0, lossPct, rateKbit: null }), String(lossPct)).toBeUndefined();
      expect(parseLinkWords(["loss", `${lossPct}%`]).lossPct).toBe(lossPct);
    }
    for (const lossPct of [0.125, 1.001, 0.005])
      expect(linkSpecProblem({ delayMs: 0, jitterMs: 0, lossPct, rateKbit: null }), String(lossPct)).toMatch(
        /^loss has at most two decimals/,
      );
  });

  it("says a spec back in the same words", () => {
    expect(formatLinkSpec({ delayMs: 200, jitterMs: 20, lossPct: 5, rateKbit: 1000 })).toBe(
      "delay 200ms jitter 20ms loss 5% rate 1mbit",
    );
    expect(formatLinkSpec({ delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 1500 })).toBe("rate 1500kbit");
    expect(formatLinkSpec({ delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: null })).toBe("no impairment");
  });
});
