import { describe, expect, it } from "vitest";
import { encodeFilters, parseFilters, withLabels } from "./filters";

describe("filters", () => {
  it("reads both spellings and adds the session's labels, which a learner's label cannot widen", () => {
    const learner = parseFilters(JSON.stringify({ label: { "io.wireroom.session=other": true }, status: ["running"] }));
    const merged = withLabels(learner, ["io.wireroom.session=mine", "io.wireroom.kind=learner"]);
    expect(merged).toEqual({
      label: ["io.wireroom.session=other", "io.wireroom.session=mine", "io.wireroom.kind=learner"],
      status: ["running"],
    });
    expect(JSON.parse(encodeFilters(merged))).toEqual({
      label: { "io.wireroom.session=other": true, "io.wireroom.session=mine": true, "io.wireroom.kind=learner": true },
      status: { running: true },
    });
  });

  it("refuses what is not Docker's filter JSON", () => {
    expect(() => parseFilters("{")).toThrow("filters must be JSON");
    expect(() => parseFilters("[]")).toThrow("filters must be a JSON object");
    expect(() => parseFilters(JSON.stringify({ label: [1] }))).toThrow("filter label must be a list of strings");
    expect(parseFilters(null)).toEqual({});
  });
});
