import { describe, expect, it } from "vitest";
import { EMPTY_FORM, formOf, specOfForm } from "./linkForm";

describe("the link settings form", () => {
  it("makes a spec from what the inputs hold, empty fields being 0 or no rate", () => {
    expect(specOfForm({ ...EMPTY_FORM, delay: "200", jitter: "20", loss: "5" })).toEqual({
      spec: { delayMs: 200, jitterMs: 20, lossPct: 5, rateKbit: null },
    });
    expect(specOfForm({ ...EMPTY_FORM, rate: "1.5", rateUnit: "mbit" })).toEqual({
      spec: { delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 1500 },
    });
  });

  it("says what is wrong and what is accepted", () => {
    expect(specOfForm(EMPTY_FORM)).toEqual({ error: expect.stringMatching(/^give at least one of delay, loss or rate/) });
    expect(specOfForm({ ...EMPTY_FORM, delay: "9000" })).toEqual({
      error: expect.stringMatching(/^delay is at most 5000ms \(accepted:/),
    });
    expect(specOfForm({ ...EMPTY_FORM, delay: "100", jitter: "200" })).toEqual({
      error: expect.stringMatching(/^jitter cannot be larger than the delay/),
    });
    expect(specOfForm({ ...EMPTY_FORM, loss: "lots" })).toEqual({ error: "loss must be a number, e.g. 5" });
    expect(specOfForm({ ...EMPTY_FORM, rate: "4", rateUnit: "kbit" })).toEqual({
      error: expect.stringMatching(/^rate is at least 8kbit/),
    });
  });

  it("shows a spec back, the rate in the largest whole unit", () => {
    expect(formOf({ delayMs: 200, jitterMs: 0, lossPct: 0.5, rateKbit: 2000 })).toEqual({
      delay: "200",
      jitter: "",
      loss: "0.5",
      rate: "2",
      rateUnit: "mbit",
    });
    expect(formOf({ delayMs: 0, jitterMs: 0, lossPct: 0, rateKbit: 512 })).toMatchObject({ rate: "512", rateUnit: "kbit" });
    expect(formOf(null)).toEqual(EMPTY_FORM);
  });
});
