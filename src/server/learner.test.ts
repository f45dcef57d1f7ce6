import { describe, expect, it } from "vitest";
import { LEARNER_COOKIE, learnerFromCookies } from "./learner";

describe("learnerFromCookies", () => {
  it("keeps a valid learner id from the cookie", () => {
    const id = "0b6f8a52-54f4-4c4f-8a42-6d2f8f6f9e10";
    expect(learnerFromCookies(`a=1; ${LEARNER_COOKIE}=${id}; b=2`)).toEqual({ learner: { id } });
  });

  it("issues a new random id in an http-only cookie when there is none or it is not a UUID", () => {
    for (const header of [null, "", `${LEARNER_COOKIE}=admin`]) {
      const { learner, setCookie } = learnerFromCookies(header);
      expect(learner.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(setCookie).toContain(`${LEARNER_COOKIE}=${learner.id}`);
      expect(setCookie).toContain("HttpOnly");
      expect(setCookie).toContain("SameSite=Lax");
    }
    expect(learnerFromCookies(null).learner.id).not.toBe(learnerFromCookies(null).learner.id);
  });
});
