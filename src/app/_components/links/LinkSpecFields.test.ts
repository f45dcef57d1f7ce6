import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { FormOutcome } from "./FormOutcome";
import { EMPTY_FORM, invalidFields } from "./linkForm";
import { LinkSpecFields } from "./LinkSpecFields";

const fields = (error?: string) =>
  renderToStaticMarkup(
    createElement(LinkSpecFields, { id: "f", values: EMPTY_FORM, onChange: () => {}, error, errorId: "f-error" }),
  );
/** The attributes of the input with this id. */
const inputOf = (html: string, id: string) => new RegExp(`<input[^>]*id="${id}"[^>]*>`).exec(html)![0];

describe("the link form's errors", () => {
  it("name the inputs they are about", () => {
    expect(invalidFields("jitter cannot be larger than the delay (accepted: …)")).toEqual(["jitter"]);
    expect(invalidFields("loss must be a number, e.g. 5")).toEqual(["loss"]);
    expect(invalidFields("rate is at least 8kbit (accepted: …)")).toEqual(["rate"]);
    expect(invalidFields("give at least one of delay, loss or rate (to remove…)")).toEqual(["delay", "loss", "rate"]);
    expect(invalidFields("The lab is not running: link settings need its containers.")).toEqual([]);
    expect(invalidFields("")).toEqual([]);
  });

  it("mark those inputs invalid, described by the inline error, and no other", () => {
    const html = fields("jitter cannot be larger than the delay");
    expect(inputOf(html, "f-jitter")).toContain('aria-invalid="true"');
    expect(inputOf(html, "f-jitter")).toContain('aria-describedby="f-error"');
    for (const other of ["f-delay", "f-loss", "f-rate"]) {
      expect(inputOf(html, other)).not.toContain("aria-invalid");
      expect(inputOf(html, other)).not.toContain("aria-describedby");
    }
    expect(fields()).not.toMatch(/aria-invalid|aria-describedby/);
  });

  it("show in one block: a polite status, and the alert the inputs point at", () => {
    const html = renderToStaticMarkup(
      createElement(FormOutcome, { done: "", error: "loss is at most 100%", errorId: "f-error" }),
    );
    expect(html).toBe(
      '<p role="status" aria-live="polite"></p><p id="f-error" role="alert" class="error">loss is at most 100%</p>',
    );
    expect(renderToStaticMarkup(createElement(FormOutcome, { done: "Applied.", error: "", errorId: "f-error" }))).toBe(
      '<p role="status" aria-live="polite">Applied.</p>',
    );
  });
});
