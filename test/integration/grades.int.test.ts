// The gradebook through tRPC with real cookies: best score, attempts, late and revealed steps per
// learner × assignment; a submission's checks for its learner and the class's instructor only; a
// learner's own grades across classes and labs started alone; the CSV download through its route
// (escaped against formula injection). Submissions are written to the database as the submit task
// writes them (no worker runs).
import { beforeAll, describe, expect, it } from "vitest";
import * as csvRoute from "~/app/classes/[classId]/gradebook.csv/route";
import { ADMIN, TEACHER } from "~/protocol/accountRoles";
import { db } from "../support/harness";
import { person, type Person } from "../support/people";
import { refused } from "../support/refused";

const LAB = "bridge-basics";
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

async function submit(sessionId: string, score: number, createdAt: Date, revealedSteps: string[] = []) {
  const session = await db().labSession.findUniqueOrThrow({ where: { id: sessionId } });
  const attempt = (await db().submission.count({ where: { sessionId } })) + 1;
  const passed = score > 0;
  const results = [
    {
      checkId: "none-driver",
      stepId: "builtin-networks",
      passed,
      points: 1,
      earned: passed ? 1 : 0,
      message: passed ? "ok" : "none is missing",
    },
  ];
  const row = await db().submission.create({
    data: {
      sessionId,
      userId: session.ownerId,
      labSlug: session.labSlug,
      attempt,
      score,
      maxScore: 6,
      results,
      revealedSteps,
      createdAt,
    },
  });
  return row.id;
}

let instructor: Person, otherInstructor: Person, admin: Person, ada: Person, bob: Person, outsider: Person;
let classId: string, assignmentId: string, bestId: string;

beforeAll(async () => {
  [instructor, otherInstructor, admin, ada, bob, outsider] = await Promise.all([
    person({ role: TEACHER }),
    person({ role: TEACHER }),
    person({ role: ADMIN }),
    person({ account: true }),
    person(),
    person(),
  ]);
  classId = (await instructor.api.classes.create({ name: "Nets, 101" })).id;
  const view = await instructor.api.classes.get({ classId });
  if (view.access !== "teacher") throw new Error("not the teacher's view");
  await ada.api.classes.join({ code: view.joinCode });
  await bob.api.classes.join({ code: view.joinCode });
  assignmentId = (await instructor.api.classes.assign({ classId, labSlug: LAB })).id;
  // Due 30 minutes ago: Ada's best came after it.
  await db().assignment.update({ where: { id: assignmentId }, data: { dueAt: minutesAgo(30) } });
  // A display name a spreadsheet would run: the CSV must keep it text.
  await db().user.update({ where: { id: ada.id }, data: { name: '=HYPERLINK("http://x","Ada")' } });

  const first = (await ada.api.classes.startAssignment({ assignmentId })).id;
  await submit(first, 2, minutesAgo(50));
  bestId = await submit(first, 5, minutesAgo(20), ["builtin-networks"]);
  await submit(first, 5, minutesAgo(10));
  await submit(first, 3, minutesAgo(5));
});

describe("a class's gradebook", () => {
  it("grades each learner × assignment: best score, attempts, late, the best's revealed steps", async () => {
    const book = await instructor.api.grades.classBook({ classId });
    expect(book.className).toBe("Nets, 101");
    expect(book.assignments.map((a) => a.labSlug)).toEqual([LAB]);
    const byId = Object.fromEntries(book.learners.map((l) => [l.userId, l]));
    expect(byId[ada.id]!.email).toMatch(/@accounts\.test$/);
    expect(byId[ada.id]!.grades[0]).toMatchObject({
      assignmentId,
      attempts: 4,
      late: true,
      best: { submissionId: bestId, score: 5, maxScore: 6, revealedSteps: ["builtin-networks"] },
    });
    expect(byId[bob.id]!.email).toBeNull();
    expect(byId[bob.id]!.grades[0]).toMatchObject({ attempts: 0, late: false, best: null, lastSubmittedAt: null });
  });

  it("is the instructor's (and an admin's): its learners are refused, another instructor is told it does not exist", async () => {
    expect((await admin.api.grades.classBook({ classId })).learners).toHaveLength(2);
    expect((await refused(ada.api.grades.classBook({ classId }))).code).toBe("FORBIDDEN");
    expect(await refused(otherInstructor.api.grades.classBook({ classId }))).toEqual({
      code: "NOT_FOUND",
      message: "This class does not exist or is not yours.",
    });
    expect((await refused(outsider.api.grades.classBook({ classId }))).code).toBe("NOT_FOUND");
  });
});

describe("a submission's detail", () => {
  it("shows each check's result and message to its learner and to the class's instructor", async () => {
    for (const who of [ada, instructor, admin]) {
      const detail = await who.api.grades.submission({ submissionId: bestId });
      expect(detail).toMatchObject({
        labTitle: "Bridge basics",
        className: "Nets, 101",
        score: 5,
        late: true,
        revealedSteps: ["Docker's three built-in networks"],
      });
      expect(detail.checks).toEqual([
        expect.objectContaining({
          checkId: "none-driver",
          stepTitle: "Docker's three built-in networks",
          passed: true,
          message: "ok",
        }),
      ]);
    }
  });

  it("is NOT_FOUND to a classmate, another instructor and a stranger", async () => {
    const notFound = { code: "NOT_FOUND", message: "This submission does not exist or is not yours." };
    for (const who of [bob, otherInstructor, outsider])
      expect(await refused(who.api.grades.submission({ submissionId: bestId }))).toEqual(notFound);
  });
});

describe("my grades", () => {
  it("lists my labs across classes and labs started alone, each with its best, attempts and late flag", async () => {
    const alone = await ada.api.session.start({ labSlug: "joined" });
    await submit(alone.id, 4, minutesAgo(1));
    const mine = await ada.api.grades.mine();
    expect(mine.map((r) => [r.labSlug, r.className, r.best?.score, r.attempts, r.late])).toEqual([
      ["joined", null, 4, 1, false],
      [LAB, "Nets, 101", 5, 4, true],
    ]);
    expect(mine[1]!.submissions.map((s) => s.late)).toEqual([true, true, true, false]);
    expect(await bob.api.grades.mine()).toEqual([]);
  });
});

describe("the CSV download", () => {
  const download = (cookie?: string, id = classId) =>
    csvRoute.GET(new Request(`http://127.0.0.1:3000/classes/${id}/gradebook.csv`, { headers: cookie ? { cookie } : {} }), {
      params: Promise.resolve({ classId: id }),
    });

  it("is an attachment, one row per learner per lab, with cells kept as text", async () => {
    const res = await download(instructor.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="Nets-101-gradebook.csv"');
    const lines = (await res.text()).split("\r\n");
    expect(lines[0]).toBe("class,learner,email,lab,best score,max score,attempts,late,steps revealed,last submitted");
    expect(lines).toHaveLength(4); // header, two learners, the final CRLF
    const adaLine = lines.find((l) => l.includes("HYPERLINK"))!;
    expect(adaLine).toMatch(
      /^"Nets, 101","'=HYPERLINK\(""http:\/\/x"",""Ada""\)",[^,]+@accounts\.test,bridge-basics,5,6,4,yes,1,\d{4}-/,
    );
    expect(lines.find((l) => l.includes(bob.handle))).toBe(`"Nets, 101",${bob.handle},,bridge-basics,,,0,no,,`);
  });

  it("answers as the page does: 401 without a cookie, 403 to a learner, 404 to another instructor", async () => {
    expect((await download()).status).toBe(401);
    expect((await download(ada.cookie)).status).toBe(403);
    const other = await download(otherInstructor.cookie);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe("This class does not exist or is not yours.\n");
    expect((await download(instructor.cookie, "not-a-uuid")).status).toBe(400);
  });
});
