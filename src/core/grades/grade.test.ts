import { describe, expect, it } from "vitest";
import { gradeOf } from "./grade";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 12, minute));
const sub = (id: string, score: number, minute: number, revealedSteps: string[] = []) => ({
  id,
  score,
  maxScore: 10,
  createdAt: at(minute),
  revealedSteps,
});

describe("a learner's grade for one lab", () => {
  it("is empty before any submission", () => {
    expect(gradeOf([], at(30))).toEqual({ best: null, attempts: 0, late: false, lastSubmittedAt: null });
  });

  it("takes the best score (the earliest of equals), counts attempts and keeps the best's revealed steps", () => {
    const grade = gradeOf([sub("a", 4, 1), sub("b", 8, 2, ["one"]), sub("c", 8, 3), sub("d", 6, 4)], null);
    expect(grade.best).toMatchObject({ submissionId: "b", score: 8, maxScore: 10, revealedSteps: ["one"] });
    expect(grade.attempts).toBe(4);
    expect(grade.late).toBe(false);
    expect(grade.lastSubmittedAt).toEqual(at(4));
  });

  it("is late when the best submission came after the due date, not when only a worse one did", () => {
    expect(gradeOf([sub("a", 8, 10), sub("b", 5, 40)], at(30)).late).toBe(false);
    expect(gradeOf([sub("a", 5, 10), sub("b", 8, 40)], at(30)).late).toBe(true);
  });
});
