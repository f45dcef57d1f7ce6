-- Check and Submit get a request id: one CheckRun row per press, with its outcome.
CREATE TYPE "CheckRunKind" AS ENUM ('check', 'submit');

CREATE TYPE "CheckRunStatus" AS ENUM ('queued', 'running', 'passed', 'failed', 'error');

CREATE TABLE "CheckRun" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "kind" "CheckRunKind" NOT NULL,
    "stepId" TEXT,
    "requestedBy" TEXT NOT NULL,
    "status" "CheckRunStatus" NOT NULL DEFAULT 'queued',
    "reason" TEXT,
    "results" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "CheckRun_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "CheckRun_sessionId_createdAt_idx" ON "CheckRun"("sessionId", "createdAt");
CREATE INDEX "CheckRun_status_createdAt_idx" ON "CheckRun"("status", "createdAt");

ALTER TABLE "CheckRun" ADD CONSTRAINT "CheckRun_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LabSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The push channel (src/core/push): every change a session's page shows is announced on
-- 'wireroom_session' by the database itself, so the worker, the reaper and any other writer notify
-- without remembering to. The payload is ids only, never data: readers re-read through the
-- access-checked services. NOTIFY is sent at commit, and identical payloads of one transaction
-- are sent once.
-- The bodies are E-strings with \073 for each semicolon: the migration runner (Prisma's pg
-- adapter) splits a script at every semicolon, even inside quotes, and no comment here has one.
CREATE FUNCTION wireroom_notify_session_status() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''wireroom_session'', json_build_object(''sessionId'', NEW."id", ''kind'', ''status'')::text)\073
  RETURN NULL\073
END';

CREATE TRIGGER "LabSession_notify" AFTER UPDATE ON "LabSession" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status"
     OR OLD."statusReason" IS DISTINCT FROM NEW."statusReason"
     OR OLD."engineView" IS DISTINCT FROM NEW."engineView")
  EXECUTE FUNCTION wireroom_notify_session_status();

-- TG_ARGV[0] names what changed: run (with its id), result, submission (with its id).
CREATE FUNCTION wireroom_notify_session_grading() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''wireroom_session'', json_build_object(
    ''sessionId'', NEW."sessionId",
    ''kind'', TG_ARGV[0],
    ''id'', CASE WHEN TG_ARGV[0] = ''result'' THEN NULL ELSE to_jsonb(NEW)->>''id'' END
  )::text)\073
  RETURN NULL\073
END';

CREATE TRIGGER "CheckRun_notify" AFTER INSERT OR UPDATE ON "CheckRun" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_session_grading('run');

CREATE TRIGGER "CheckResult_notify" AFTER INSERT OR UPDATE ON "CheckResult" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_session_grading('result');

CREATE TRIGGER "Submission_notify" AFTER INSERT OR UPDATE ON "Submission" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_session_grading('submission');
