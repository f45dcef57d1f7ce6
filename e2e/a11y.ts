// What the accessibility specs share: axe-core's WCAG 2.1 A/AA rules on a page, and the two screen sizes every page is held to.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "./fixtures";

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

type Violation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];

/** One violation as a reader wants it: the rule, its impact, what it means, and each element with what to fix. */
function describe(v: Violation): string {
  const nodes = v.nodes.map((n) => `    ${n.target.join(" ")}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`);
  return `${v.id} (${v.impact}): ${v.help} — ${v.helpUrl}\n${nodes.join("\n")}`;
}

/**
 * Runs axe (WCAG 2.0/2.1, A and AA) on the page as it is now: no serious or critical violation. A soft
 * assertion: the test goes on, and its failure lists every page's violations at once.
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect.soft(serious.map(describe).join("\n\n"), `axe on ${where} at ${page.viewportSize()?.width ?? "?"} px`).toBe("");
}

/** The page is no wider than the viewport (nothing to scroll sideways). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const width = page.viewportSize()!.width;
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect.soft(scrollWidth, `the page's width at ${width} px`).toBeLessThanOrEqual(width);
}

/** axe at 1440×900 and at 390×844 (where the page must also fit the screen's width); leaves the page at 1440. */
export async function expectAccessibleAtBothSizes(page: Page, where: string): Promise<void> {
  await page.setViewportSize(DESKTOP);
  await expectAccessible(page, where);
  await page.setViewportSize(PHONE);
  await expectAccessible(page, where);
  await expectNoSidewaysScroll(page);
  await page.setViewportSize(DESKTOP);
}
