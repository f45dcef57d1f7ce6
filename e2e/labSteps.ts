// What the specs do to a lab's steps on its page.
import { expect, type Page } from "./fixtures";

/** Presses a step's Check and waits for that press's run to finish (a run takes far longer than the click's re-render). */
export async function check(page: Page, stepId: string) {
  const step = page.getByTestId(`step-${stepId}`);
  const phase = step.getByTestId(`check-run-${stepId}`);
  await step.getByRole("button", { name: "Check" }).click();
  await expect(phase).not.toHaveAttribute("data-phase", "finished", { timeout: 1_000 });
  await expect(phase).toHaveAttribute("data-phase", "finished", { timeout: 20_000 });
}
