// Stopping a lab as a learner does: "Stop lab", then "Stop" in the dialog that asks to confirm.
import type { Page } from "@playwright/test";

export async function stopLab(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Stop lab" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Stop", exact: true }).click();
}
