-- AlterTable
ALTER TABLE "LabSession" ADD COLUMN     "workerId" TEXT;

-- CreateTable
CREATE TABLE "Installation" (
    "id" UUID NOT NULL,
    "singleton" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Installation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Installation_singleton_key" ON "Installation"("singleton");

-- CreateIndex
CREATE INDEX "LabSession_workerId_status_idx" ON "LabSession"("workerId", "status");

