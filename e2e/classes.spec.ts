// Issue 12, items 2 and 4 (the pages): /classes, a class's page (the instructor's and a learner's),
// its gradebook, /grades and a join link pass axe at 1440 and 390 px; an instructor (the run's admin)
// creates a class and assigns a lab with the forms, a learner joins with the link and sees the lab
// with Start, a wrong code says what to do.
import { expect, test } from "./fixtures";
import { expectAccessibleAtBothSizes } from "./a11y";
import { signInAsAdmin } from "./admin";

test("classes: create, assign, join by link, gradebook and grades pass axe at 1440 and 390 px", async ({ browser }) => {
  const teacherContext = await browser.newContext();
  const teacher = await teacherContext.newPage();
  await teacher.goto("/");
  await signInAsAdmin(teacher);

  await teacher.goto("/classes");
  await expect(teacher.getByRole("heading", { level: 1, name: "Classes" })).toBeVisible();
  const className = `Networks ${Date.now()}`;
  await teacher.getByLabel("Class name").fill(className);
  await teacher.getByRole("button", { name: "Create class" }).click();
  await expect(teacher.getByRole("status").filter({ hasText: "Created" })).toContainText(className);
  await expectAccessibleAtBothSizes(teacher, "classes");

  await teacher.getByRole("status").getByRole("link", { name: className }).click();
  await expect(teacher.getByRole("heading", { level: 1, name: className })).toBeVisible();
  const joinLink = await teacher.getByLabel("Join link").inputValue();
  expect(joinLink).toMatch(/\/join\/[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  await teacher.getByLabel("Lab", { exact: true }).selectOption("bridge-basics");
  await teacher.getByLabel("Time limit in minutes (optional, 5–480)").fill("45");
  await teacher.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(teacher.getByRole("status").filter({ hasText: "Assigned" })).toHaveText(/^Assigned Bridge basics: .+\.$/);
  await expectAccessibleAtBothSizes(teacher, "a class (instructor)");

  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  await learner.goto("/join/ZZZZZ-ZZZZZ");
  await expectAccessibleAtBothSizes(learner, "a join link, before joining");
  await learner.getByRole("button", { name: "Join the class" }).click();
  await expect(learner.getByRole("alert").filter({ hasText: /join code/ })).toHaveText(
    /This join code is not valid or has expired\. Check it with your instructor/,
  );
  await expectAccessibleAtBothSizes(learner, "a join link with a wrong code");

  await learner.goto(new URL(joinLink).pathname);
  await learner.getByRole("button", { name: "Join the class" }).click();
  await expect(learner.getByRole("heading", { level: 1, name: className })).toBeVisible();
  await expect(learner.getByRole("button", { name: "Start Bridge basics" })).toBeVisible();
  await expectAccessibleAtBothSizes(learner, "a class (learner)");

  await learner.goto("/grades");
  await expect(learner.getByRole("heading", { level: 1, name: "My grades" })).toBeVisible();
  await expect(learner.getByText("Nothing submitted yet.")).toBeVisible();
  await expectAccessibleAtBothSizes(learner, "my grades");

  await teacher.reload();
  await expect(teacher.getByRole("heading", { name: "Learners (1)" })).toBeVisible();
  await teacher.getByRole("link", { name: "Gradebook" }).click();
  await expect(teacher.getByRole("heading", { level: 1, name: `Gradebook: ${className}` })).toBeVisible();
  await expect(teacher.getByRole("table")).toContainText("not submitted");
  await expect(teacher.getByRole("link", { name: "Download CSV" })).toHaveAttribute("href", /\/gradebook\.csv$/);
  await expectAccessibleAtBothSizes(teacher, "a gradebook");

  await learnerContext.close();
  await teacherContext.close();
});

test("no page can be framed by another site (a join link, a lab, the admin page), and none leaks its address to another", async ({
  page,
}) => {
  for (const path of ["/join/ABCDE-FGHJK", "/", "/admin", "/classes"]) {
    const response = await page.goto(path);
    const headers = response!.headers();
    expect(headers["x-frame-options"], path).toBe("DENY");
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["referrer-policy"], path).toBe("same-origin");
  }
});
