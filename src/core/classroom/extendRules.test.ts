import { describe, expect, it } from "vitest";
import { DRIVER, INSTRUCTOR, OWNER } from "~/protocol/roles";
import { Status } from "~/protocol/sessionStatus";
import { EXTEND_STEP_MINUTES, extendRefusal, extensionMinutes, type ExtendFacts } from "./extendRules";

const facts = (over: Partial<ExtendFacts> = {}): ExtendFacts => ({
  status: Status.ready,
  access: OWNER,
  extendedMinutes: 0,
  assignment: { extendAllowed: true, maxExtensionMinutes: 30 },
  ...over,
});

describe("extendRefusal", () => {
  it("lets the learner extend a running session when the assignment allows it, and the instructor always", () => {
    expect(extendRefusal(facts())).toBeUndefined();
    expect(
      extendRefusal(facts({ access: INSTRUCTOR, assignment: { extendAllowed: false, maxExtensionMinutes: 30 } })),
    ).toBeUndefined();
  });

  it("refuses the learner when the assignment does not allow it, and anyone else in the session", () => {
    expect(extendRefusal(facts({ assignment: { extendAllowed: false, maxExtensionMinutes: 30 } }))).toEqual({
      code: "FORBIDDEN",
      message: expect.stringMatching(/ask your instructor/),
    });
    expect(extendRefusal(facts({ access: DRIVER }))?.message).toMatch(/Only the session's learner or the class's instructor/);
  });

  it("refuses a session that is not running, or not an assignment's", () => {
    expect(extendRefusal(facts({ status: Status.stopped }))?.message).toMatch(/not running/);
    expect(extendRefusal(facts({ status: Status.queued }))?.message).toMatch(/not running/);
    expect(extendRefusal(facts({ assignment: null }))?.message).toMatch(/class assignment/);
  });

  it("refuses past the allowance with the class's words", () => {
    expect(extendRefusal(facts({ extendedMinutes: 30 }))).toEqual({
      code: "CONFLICT",
      message: "This session has already been extended by 30 minutes, the most this class allows.",
    });
    expect(extendRefusal(facts({ extendedMinutes: 29 }))).toBeUndefined();
  });
});

describe("extensionMinutes", () => {
  it("adds a step, or what is left of the allowance", () => {
    expect(extensionMinutes(0, 30)).toBe(EXTEND_STEP_MINUTES);
    expect(extensionMinutes(20, 30)).toBe(10);
    expect(extensionMinutes(30, 30)).toBe(0);
  });
});
