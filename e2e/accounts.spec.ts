// Issue 12, item 1 (the pages): sign-in, setup and admin pass axe at 1440 and 390 px; a guest signs
// up through the form and lands where `next` said; an admin makes an instructor and hears what changed.
import { expect, test } from "./fixtures";
import { expectAccessibleAtBothSizes } from "./a11y";
import { signInAsAdmin, signUp } from "./admin";

test("sign-in: a guest creates an account with the form and goes back to `next`", async ({ page }) => {
  await page.goto("/sign-in?next=/setup");
  await expect(page.getByRole("heading", { level: 1, name: "Sign in or create an account" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in / Sign up" })).toBeVisible(); // a guest
  await expectAccessibleAtBothSizes(page, "sign-in");

  // A refusal is said next to the form.
  const signUpForm = page.getByRole("region", { name: "Create an account" });
  await signUpForm.getByLabel("Display name").fill("Grace Hopper");
  await signUpForm.getByLabel("Email").fill(`grace-${Date.now()}@example.test`);
  await signUpForm.getByLabel("Password").fill("short");
  await signUpForm.getByLabel("Password").evaluate((input: HTMLInputElement) => input.removeAttribute("minlength"));
  await signUpForm.getByRole("button", { name: "Create account" }).click();
  await expect(signUpForm.getByRole("alert")).toHaveText(/at least 10 characters/);

  await signUpForm.getByLabel("Password").fill("a long enough password");
  await signUpForm.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("button", { name: /Grace Hopper/ })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Set up this platform" })).toBeVisible();
  await expect(page.getByLabel("Setup token")).toBeVisible();
  await expectAccessibleAtBothSizes(page, "setup");
});

test("admin: the users table passes axe, and making an instructor is announced", async ({ browser }) => {
  const learnerContext = await browser.newContext();
  const learnerPage = await learnerContext.newPage();
  await learnerPage.goto("/");
  const learner = await signUp(learnerPage, "Lin Learner");
  await learnerContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/");
  await signInAsAdmin(page);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Admin: accounts" })).toBeVisible();
  await page.getByLabel("Search by email or name").fill(learner.email);
  await page.getByRole("button", { name: "Search" }).click();
  const row = page.getByRole("row", { name: /Lin Learner/ });
  await expect(row.getByRole("cell").nth(1)).toHaveText("learner");
  await expectAccessibleAtBothSizes(page, "admin");

  await row.getByRole("button", { name: "Make instructor Lin Learner" }).click();
  await expect(page.getByRole("status").filter({ hasText: "is now an instructor" })).toContainText(
    `Lin Learner (${learner.email}) is now an instructor.`,
  );
  await expect(row.getByRole("cell").nth(1)).toHaveText("instructor");
  await expect(row.getByRole("button", { name: "Make learner Lin Learner" })).toBeVisible();
  await context.close();
});
