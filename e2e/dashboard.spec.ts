// The class page's live dashboard (issue 12): axe (WCAG 2.1 A/AA) at 1440 and 390 px with a
// learner's row in it, before and after the learner raises "needs help", which the dashboard shows
// (as text, not colour alone) and reads out politely, without a reload.
import { expectAccessibleAtBothSizes } from "./a11y";
import { signInAsAdmin, signUp } from "./admin";
import { trackSessions } from "./engine";
import { expect, test } from "./fixtures";

const sessionIdOf = trackSessions();

test("the live dashboard is accessible, and shows a raised 'needs help' without a reload", async ({ browser }) => {
  test.setTimeout(180_000);
  const suffix = Date.now().toString(36);
  const instructorName = `Dana Dashboard ${suffix}`;
  const learnerName = `Lou Learner ${suffix}`;
  const teacher = await (await browser.newContext()).newPage();
  await teacher.goto("/");
  const instructor = await signUp(teacher, instructorName);
  const me = await (await browser.newContext()).newPage();
  await me.goto("/");
  await signUp(me, learnerName);

  const admin = await (await browser.newContext()).newPage();
  await admin.goto("/");
  await signInAsAdmin(admin);
  await admin.goto("/admin");
  await admin.getByLabel("Search by email or name").fill(instructor.email);
  await admin.getByRole("button", { name: "Search" }).click();
  await admin
    .getByRole("row", { name: new RegExp(instructorName) })
    .getByRole("button", { name: `Make instructor ${instructorName}` })
    .click();
  await expect(admin.getByRole("status").filter({ hasText: "is now an instructor" })).toBeVisible();
  await admin.context().close();

  const className = `Dashboard room ${suffix}`;
  await teacher.goto("/classes");
  await teacher.getByLabel("Class name").fill(className);
  await teacher.getByRole("button", { name: "Create class" }).click();
  await teacher.getByRole("status").getByRole("link", { name: className }).click();
  await expect(teacher.getByRole("heading", { level: 1, name: className })).toBeVisible();
  const joinLink = await teacher.getByLabel("Join link").inputValue();
  await teacher.getByLabel("Lab", { exact: true }).selectOption("bridge-basics");
  await teacher.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(teacher.getByRole("status").filter({ hasText: "Assigned" })).toBeVisible();

  const dashboard = teacher.getByRole("region", { name: "Live dashboard" });
  await teacher.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  const joinCode = /\/join\/([0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5})$/.exec(joinLink)![1]!;
  await me.goto("/");
  await me.getByLabel("Join a class with its code").fill(joinCode);
  await me.getByRole("button", { name: "Join", exact: true }).click();
  await expect(me.getByRole("status").filter({ hasText: "You joined" })).toBeVisible();
  const row = dashboard.getByRole("row", { name: new RegExp(learnerName) });
  await expect(row).toContainText("not started");
  await expect(dashboard.getByRole("table")).toHaveAccessibleName(new RegExp(className));
  await expectAccessibleAtBothSizes(teacher, "the class page's live dashboard");

  await me.goto("/");
  await me.getByRole("article", { name: className }).getByRole("button", { name: "Start Bridge basics" }).click();
  await sessionIdOf(me);
  const bar = me.getByRole("region", { name: "Class" });
  await bar.getByLabel(/What do you need help with/).fill("The bridge has no address");
  await bar.getByRole("button", { name: "Ask for help" }).click();
  await expect(row).toContainText("Needs help: The bridge has no address", { timeout: 30_000 });
  await expect(teacher.getByTestId("dashboard-announcement")).toContainText(`${learnerName} raised needs help`);
  expect(await teacher.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expectAccessibleAtBothSizes(teacher, "the live dashboard with a learner who needs help");
  await expectAccessibleAtBothSizes(me, "the lab page's class bar with help asked");

  await me.context().close();
  await teacher.context().close();
});
