// Issue 12, "Done when": the whole classroom in Chromium, one person per browser context. The run's
// admin (made with the setup token) makes an instructor; the instructor creates a class and assigns
// Bridge basics; a learner joins with the code, starts the lab, passes the first step's check and
// raises "needs help"; the instructor's dashboard, open all along, shows the progress and the flag
// without a reload; the instructor watches the learner's terminal read-only, takes over, types and
// hands back; the learner submits, stops, and sees the score on the stopped page and at home; the
// gradebook shows it, and its CSV download parses (RFC 4180) with the learner's row in it.
// (The keyboard alone leaving the terminal and pressing Check is a11y.spec's test.)
import type { Browser, Locator } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { signInAsAdmin, signUp } from "./admin";
import { trackSessions } from "./engine";
import { expect, test, type Page } from "./fixtures";
import { check } from "./labSteps";
import { GRADEBOOK_CSV_HEADER } from "../src/core/grades/bookCsv";

const sessionIdOf = trackSessions();

const LAB_TITLE = "Bridge basics: docker network ls and your first container";

/** RFC 4180: records end with CRLF; a quoted field may hold commas, CR, LF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let at = 0;
  while (at < text.length) {
    if (text[at] === '"' && field === "") {
      // A quoted field: up to the quote that is not doubled.
      at += 1;
      for (;;) {
        if (at >= text.length) throw new Error("a quoted field is never closed");
        if (text[at] !== '"') field += text[at++];
        else if (text[at + 1] === '"') {
          field += '"';
          at += 2;
        } else break;
      }
      at += 1;
      if (at < text.length && text[at] !== "," && !text.startsWith("\r\n", at))
        throw new Error(`text after a closing quote at character ${at}`);
      continue;
    }
    if (text[at] === ",") {
      record.push(field);
      field = "";
      at += 1;
    } else if (text.startsWith("\r\n", at)) {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      at += 2;
    } else {
      if (text[at] === '"' || text[at] === "\r" || text[at] === "\n")
        throw new Error(`a bare ${JSON.stringify(text[at])} at character ${at}`);
      field += text[at];
      at += 1;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("the last record does not end with CRLF");
  return records;
}

/**
 * A new browser context signed up as a new account named `name`. Its guest identity is made first and
 * waited for: a sign-up that lands while the page still makes the guest is overwritten by the guest's cookie.
 */
async function person(browser: Browser, name: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/");
  await expect(page.getByRole("link", { name: "Sign in / Sign up" })).toBeVisible();
  const credentials = await signUp(page, name);
  await page.reload();
  await expect(page.getByRole("navigation", { name: "Account" })).toContainText(name);
  return { page, ...credentials };
}

/** Clicks into a terminal and types a line (Enter included). */
async function typeLine(page: Page, terminal: Locator, line: string) {
  await terminal.click();
  await page.keyboard.type(`${line}\n`);
}

test("a class from start to grades: admin, instructor, learner, live dashboard, watch and take over, submit, gradebook and its CSV", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const suffix = Date.now().toString(36);
  const instructorName = `Ines Instructor ${suffix}`;
  const learnerName = `Lee Learner ${suffix}`;
  // A comma and quotes in the class's name: the CSV must quote it.
  const className = `Networks, "room ${suffix}"`;

  const instructor = await person(browser, instructorName);
  const teacher = instructor.page;
  const learner = await person(browser, learnerName);
  const me = learner.page;

  await test.step("1. the admin (made with the setup token) makes an instructor", async () => {
    const admin = await (await browser.newContext()).newPage();
    await admin.goto("/");
    await expect(admin.getByRole("link", { name: "Sign in / Sign up" })).toBeVisible(); // the guest made (see person)
    await signInAsAdmin(admin);
    await admin.goto("/admin");
    await admin.getByLabel("Search by email or name").fill(instructor.email);
    await admin.getByRole("button", { name: "Search" }).click();
    const row = admin.getByRole("row", { name: new RegExp(instructorName) });
    await expect(row.getByRole("cell").nth(1)).toHaveText("learner");
    await row.getByRole("button", { name: `Make instructor ${instructorName}` }).click();
    await expect(admin.getByRole("status").filter({ hasText: "is now an instructor" })).toContainText(
      `${instructorName} (${instructor.email}) is now an instructor.`,
    );
    await expect(row.getByRole("cell").nth(1)).toHaveText("instructor");
    await admin.context().close();
  });

  let classUrl = "";
  let joinCode = "";
  await test.step("2. the instructor creates a class and assigns a lab", async () => {
    await teacher.goto("/classes");
    await teacher.getByLabel("Class name").fill(className);
    await teacher.getByRole("button", { name: "Create class" }).click();
    await expect(teacher.getByRole("status").filter({ hasText: "Created" })).toContainText(className);
    await teacher.getByRole("status").getByRole("link", { name: className }).click();
    await expect(teacher.getByRole("heading", { level: 1, name: className })).toBeVisible();
    classUrl = teacher.url();
    const joinLink = await teacher.getByLabel("Join link").inputValue();
    joinCode = /\/join\/([0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5})$/.exec(joinLink)![1]!;
    await teacher.getByLabel("Lab", { exact: true }).selectOption("bridge-basics");
    await teacher.getByRole("button", { name: "Assign", exact: true }).click();
    await expect(teacher.getByRole("status").filter({ hasText: "Assigned" })).toHaveText(`Assigned ${LAB_TITLE}.`);
  });

  // The dashboard stays open from here on; this mark is lost if the page reloads or navigates.
  const dashboard = teacher.getByRole("region", { name: "Live dashboard" });
  await teacher.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  const learnerRow = dashboard.getByRole("row", { name: new RegExp(learnerName) });

  let sessionId = "";
  const terminal = me.getByTestId("terminal");
  await test.step("3. a learner joins with the code, starts the lab, passes a check and raises 'needs help'", async () => {
    await me.goto("/");
    // The code as a person might type it: lower case, a space for the dash.
    await me.getByLabel("Join a class with its code").fill(joinCode.toLowerCase().replace("-", " "));
    await me.getByRole("button", { name: "Join", exact: true }).click();
    await expect(me.getByRole("status").filter({ hasText: "You joined" })).toHaveText(`You joined ${className}.`);
    const card = me.getByRole("article", { name: className });
    await card.getByRole("button", { name: `Start ${LAB_TITLE}`, exact: true }).click();
    sessionId = await sessionIdOf(me);
    await expect(me.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
    await expect(terminal).toContainText("/ #");
    await expect(me.getByRole("region", { name: "Class" })).toContainText(className);

    await typeLine(me, terminal, "docker network ls");
    await expect(terminal).toContainText(/none\s+null\s+local/);
    await me.keyboard.type("echo null > /tmp/none-driver\n");
    await check(me, "builtin-networks");
    await expect(me.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "true");
    await expect(me.getByTestId("step-builtin-networks")).toHaveAttribute("data-passed", "true");

    const bar = me.getByRole("region", { name: "Class" });
    await bar.getByLabel(/What do you need help with/).fill("Which network is busybox1 on?");
    await bar.getByRole("button", { name: "Ask for help" }).click();
    await expect(bar.getByRole("status")).toContainText("Your instructor can see that you asked for help");
  });

  await test.step("4. the instructor's dashboard shows the progress and the flag without a reload", async () => {
    await expect(learnerRow).toContainText("Bridge basics");
    await expect(learnerRow).toContainText("1 / 4 checks");
    await expect(learnerRow).toContainText("A container on the default bridge");
    await expect(learnerRow).toContainText("Needs help");
    await expect(learnerRow).toContainText("Which network is busybox1 on?");
    expect(await teacher.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  await test.step("5. the instructor watches the learner's terminal read-only, takes over, types and hands back", async () => {
    await learnerRow.getByRole("link", { name: `Watch ${learnerName}'s terminal` }).click();
    await teacher.waitForURL(new RegExp(`/sessions/${sessionId}$`));
    const watched = teacher.getByTestId("terminal");
    await expect(teacher.getByTestId("terminal-state")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
    await expect(teacher.getByTestId("read-only")).toBeVisible();
    await expect(teacher.getByRole("status").filter({ hasText: "You are watching" })).toHaveText("You are watching (read-only).");
    await expect(watched).toContainText("none-driver"); // the screen so far, restored

    // What the learner types, the instructor sees; what the instructor types while watching goes nowhere.
    await typeLine(me, terminal, "echo learner-types-$((6*7))");
    await expect(watched).toContainText("learner-types-42");
    await typeLine(teacher, watched, "echo watcher-typed");
    await typeLine(me, terminal, "echo learner-again-$((6*7))");
    await expect(watched).toContainText("learner-again-42");
    await expect(terminal).not.toContainText("watcher-typed");

    // Take over: the instructor types, the learner sees it and is read-only meanwhile.
    await teacher.getByRole("button", { name: "Take over" }).click();
    await expect(teacher.getByRole("status").filter({ hasText: "You have taken over" })).toHaveText(
      "You have taken over: the learner is read-only.",
    );
    await expect(teacher.getByTestId("read-only")).toHaveCount(0);
    await expect(me.getByTestId("presence")).toContainText(`${instructorName} (instructor) has taken over`);
    await typeLine(teacher, watched, "echo instructor-types-$((6*7))");
    await expect(terminal).toContainText("instructor-types-42");
    await typeLine(me, terminal, "echo learner-while-taken");
    await expect(me.getByRole("status").filter({ hasText: "has taken over this terminal" })).toContainText("typing is paused");
    await typeLine(teacher, watched, "echo instructor-still-$((6*7))");
    await expect(terminal).toContainText("instructor-still-42");
    await expect(terminal).not.toContainText("learner-while-taken");
    await expect(watched).not.toContainText("learner-while-taken");

    // Hand back: the learner types again, and the instructor watches.
    await teacher.getByRole("button", { name: "Hand back" }).click();
    await expect(teacher.getByTestId("read-only")).toBeVisible();
    await expect(teacher.getByRole("status").filter({ hasText: "You are watching" })).toHaveText("You are watching (read-only).");
    await typeLine(me, terminal, "echo learner-back-$((6*7))");
    await expect(watched).toContainText("learner-back-42");
    await expect(me.getByTestId("presence")).not.toContainText("has taken over");
  });

  await test.step("6. the learner submits, stops, and still sees the score on the stopped page and at home", async () => {
    await me.getByRole("button", { name: "Submit" }).click();
    const score = me.getByTestId("score");
    await expect(score).toContainText("1 / 5", { timeout: 30_000 });
    await me.getByRole("button", { name: "Stop lab" }).click();
    await me
      .getByRole("dialog", { name: `Stop ${LAB_TITLE}?` })
      .getByRole("button", { name: "Stop", exact: true })
      .click();
    await expect(me.getByTestId("session-status")).toHaveAttribute("data-status", "STOPPED", { timeout: 30_000 });
    await expect(me.getByTestId("session-status")).toContainText("You ended this session.");
    await expect(score).toContainText("1 / 5");
    await expect(me.getByTestId("check-none-driver")).toHaveAttribute("data-passed", "true");

    await me.getByRole("link", { name: "Back to home" }).click();
    const result = me.getByTestId("result-bridge-basics");
    await expect(result).toContainText(className);
    await expect(result.getByTestId("result-score")).toHaveText("1 / 5 points");
  });

  await test.step("7. the gradebook shows the score, and the downloaded CSV parses and holds the row", async () => {
    await teacher.goto(classUrl);
    await teacher.getByRole("link", { name: "Gradebook" }).click();
    await expect(teacher.getByRole("heading", { level: 1, name: `Gradebook: ${className}` })).toBeVisible();
    const row = teacher.getByRole("row", { name: new RegExp(learnerName) });
    await expect(row.getByRole("cell")).toHaveText([/^1\/5 · 1 attempt(?!s)/]);

    const downloading = teacher.waitForEvent("download");
    await teacher.getByRole("link", { name: "Download CSV" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`Networks-room-${suffix}-gradebook.csv`);
    const records = parseCsv(await readFile((await download.path())!, "utf8"));
    expect(records[0]).toEqual([...GRADEBOOK_CSV_HEADER]);
    expect(records).toHaveLength(2); // the header and the one learner × the one lab
    const [klass, name, email, lab, best, max, attempts, late, revealed, last] = records[1]!;
    expect([klass, name, email, lab, best, max, attempts, late, revealed]).toEqual([
      className,
      learnerName,
      learner.email,
      "bridge-basics",
      "1",
      "5",
      "1",
      "no",
      "0",
    ]);
    expect(Date.parse(last!)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  await learner.page.context().close();
  await teacher.context().close();
});
