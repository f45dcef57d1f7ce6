-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('QUEUED', 'PROVISIONING', 'READY', 'STOPPING', 'STOPPED', 'FAILED');

-- CreateTable
CREATE TABLE "LabSession" (
    "id" UUID NOT NULL,
    "labSlug" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "status" "SessionStatus" NOT NULL DEFAULT 'QUEUED',
    "statusReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "readyAt" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),

    CONSTRAINT "LabSession_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LabSession_ownerId_createdAt_idx" ON "LabSession"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "LabSession_status_idx" ON "LabSession"("status");

