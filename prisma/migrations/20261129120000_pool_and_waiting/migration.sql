-- Issue 14: pools of ready sessions per lab (pooledAt: unclaimed, in the pool) and a line of
-- sessions waiting for a place when every lab host is full (status WAITING, in waitingSince order).

-- AlterEnum
ALTER TYPE "SessionStatus" ADD VALUE 'WAITING' BEFORE 'QUEUED';

-- AlterTable
ALTER TABLE "LabSession" ADD COLUMN "pooledAt" TIMESTAMP(3),
ADD COLUMN "waitingSince" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "LabSession_labSlug_pooledAt_idx" ON "LabSession"("labSlug", "pooledAt");

-- CreateIndex
CREATE INDEX "LabSession_status_waitingSince_idx" ON "LabSession"("status", "waitingSince");
