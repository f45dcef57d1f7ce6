-- AlterTable
ALTER TABLE "LabSession" ADD COLUMN     "engineView" JSONB,
ADD COLUMN     "params" JSONB;

-- CreateTable
CREATE TABLE "CheckResult" (
    "sessionId" UUID NOT NULL,
    "checkId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "everPassed" BOOLEAN NOT NULL,
    "message" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CheckResult_pkey" PRIMARY KEY ("sessionId","checkId")
);

-- CreateTable
CREATE TABLE "Submission" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "labSlug" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "score" INTEGER NOT NULL,
    "maxScore" INTEGER NOT NULL,
    "results" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Submission_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Submission_userId_createdAt_idx" ON "Submission"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Submission_sessionId_attempt_key" ON "Submission"("sessionId", "attempt");

-- AddForeignKey
ALTER TABLE "CheckResult" ADD CONSTRAINT "CheckResult_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LabSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Submission" ADD CONSTRAINT "Submission_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LabSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

