-- The waiting line's estimate counts learner sessions that stopped in the last minutes (places that
-- freed), at every move of the line: a partial index keeps that read off the whole table's history.
-- (Partial: Prisma's schema cannot spell it, so it lives here only.)
CREATE INDEX "LabSession_freed_idx" ON "LabSession" ("stoppedAt") WHERE "workerId" IS NOT NULL AND "pooledAt" IS NULL;
