// The JSON a run and a Submission store: one entry per check. Parsed on write and on read, so a
// row written by another version cannot reach the page unchecked.
import { z } from "zod";

export const checkOutcomeSchema = z.object({
  checkId: z.string(),
  stepId: z.string(),
  passed: z.boolean(),
  points: z.number().int(),
  message: z.string(),
});
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

/** CheckRun.results. */
export const runResultsSchema = z.array(checkOutcomeSchema);

/** Submission.results: each check with the points it earned (it passes now or has passed before). */
export const submissionResultsSchema = z.array(checkOutcomeSchema.extend({ earned: z.number().int() }));
export type SubmissionResult = z.infer<typeof submissionResultsSchema>[number];
