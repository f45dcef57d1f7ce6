-- Lab hosts (issue 13): each worker registers itself and writes a heartbeat, and the web places
-- sessions on the least-loaded live one. Times are the database's now(), never a process clock.

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "publicUrl" TEXT NOT NULL,
    "engineId" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "containers" INTEGER NOT NULL DEFAULT 0,
    "terminals" INTEGER NOT NULL DEFAULT 0,
    "draining" BOOLEAN NOT NULL DEFAULT false,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Worker_heartbeatAt_idx" ON "Worker"("heartbeatAt");
