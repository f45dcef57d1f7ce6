-- Hints that unlock and solutions that are recorded (issue 11).
-- A check's failed results from Check presses: each one unlocks its next hint (grading.progress).
ALTER TABLE "CheckResult" ADD COLUMN "failures" INTEGER NOT NULL DEFAULT 0;

-- The steps whose solution was revealed before a submission.
ALTER TABLE "Submission" ADD COLUMN "revealedSteps" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- One row per session and step at most: who revealed its solution first, and when.
CREATE TABLE "SolutionReveal" (
    "sessionId" UUID NOT NULL,
    "stepId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SolutionReveal_pkey" PRIMARY KEY ("sessionId","stepId")
);

ALTER TABLE "SolutionReveal" ADD CONSTRAINT "SolutionReveal_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LabSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A reveal changes what grading.progress shows (the step's solution), so it is announced like a
-- check's result: kind result, and every page of the session re-reads its progress. Only an insert
-- is announced: a second reveal of the same step writes nothing (ON CONFLICT DO NOTHING).
CREATE TRIGGER "SolutionReveal_notify" AFTER INSERT ON "SolutionReveal" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_session_grading('result');
