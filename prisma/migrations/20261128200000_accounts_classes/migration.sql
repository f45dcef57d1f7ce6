-- Accounts, classes and the instructor's dashboard (issue 12).

-- Roles: learner (everyone at first), instructor, admin.
ALTER TABLE "user" ADD COLUMN "role" TEXT NOT NULL DEFAULT 'learner';

-- The one-time setup token that makes the first admin (its sha256 only).
ALTER TABLE "Installation" ADD COLUMN "setupTokenHash" TEXT,
ADD COLUMN "setupTokenExpiresAt" TIMESTAMP(3);

CREATE TABLE "Class" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "instructorId" TEXT NOT NULL,
    "joinCode" TEXT NOT NULL,
    "joinCodeExpiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Class_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Class_joinCode_key" ON "Class"("joinCode");
CREATE INDEX "Class_instructorId_idx" ON "Class"("instructorId");

CREATE TABLE "ClassMember" (
    "classId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClassMember_pkey" PRIMARY KEY ("classId","userId")
);
CREATE INDEX "ClassMember_userId_idx" ON "ClassMember"("userId");
ALTER TABLE "ClassMember" ADD CONSTRAINT "ClassMember_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "Assignment" (
    "id" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "labSlug" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "timeLimitMinutes" INTEGER,
    "extendAllowed" BOOLEAN NOT NULL DEFAULT false,
    "maxExtensionMinutes" INTEGER NOT NULL DEFAULT 30,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Assignment_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Assignment_classId_labSlug_key" ON "Assignment"("classId", "labSlug");
ALTER TABLE "Assignment" ADD CONSTRAINT "Assignment_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ClassMessage" (
    "id" UUID NOT NULL,
    "classId" UUID NOT NULL,
    "toUserId" TEXT,
    "fromId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClassMessage_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ClassMessage_classId_createdAt_idx" ON "ClassMessage"("classId", "createdAt");
ALTER TABLE "ClassMessage" ADD CONSTRAINT "ClassMessage_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "LabSession" ADD COLUMN "classId" UUID,
ADD COLUMN "assignmentId" UUID,
ADD COLUMN "helpRequestedAt" TIMESTAMP(3),
ADD COLUMN "helpMessage" TEXT,
ADD COLUMN "lastActivityAt" TIMESTAMP(3),
ADD COLUMN "extendedMinutes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "resetToId" UUID;
CREATE INDEX "LabSession_classId_idx" ON "LabSession"("classId");
CREATE INDEX "LabSession_assignmentId_ownerId_idx" ON "LabSession"("assignmentId", "ownerId");
ALTER TABLE "LabSession" ADD CONSTRAINT "LabSession_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The push channel learns the class: a session's notification names its class (null for a lab
-- started on its own), so a class's dashboard hears its sessions without a join per event.
-- The status trigger also fires on what the dashboard and the page show: help, activity, time, end.
CREATE OR REPLACE FUNCTION wireroom_notify_session_status() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''wireroom_session'', json_build_object(''sessionId'', NEW."id", ''kind'', ''status'', ''classId'', NEW."classId")::text)\073
  RETURN NULL\073
END';

DROP TRIGGER "LabSession_notify" ON "LabSession";
CREATE TRIGGER "LabSession_notify" AFTER UPDATE ON "LabSession" FOR EACH ROW
  WHEN (OLD."status" IS DISTINCT FROM NEW."status"
     OR OLD."statusReason" IS DISTINCT FROM NEW."statusReason"
     OR OLD."engineView" IS DISTINCT FROM NEW."engineView"
     OR OLD."endReason" IS DISTINCT FROM NEW."endReason"
     OR OLD."helpRequestedAt" IS DISTINCT FROM NEW."helpRequestedAt"
     OR OLD."helpMessage" IS DISTINCT FROM NEW."helpMessage"
     OR OLD."lastActivityAt" IS DISTINCT FROM NEW."lastActivityAt"
     OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt"
     OR OLD."resetToId" IS DISTINCT FROM NEW."resetToId")
  EXECUTE FUNCTION wireroom_notify_session_status();

-- A new session of a class is announced too (its dashboard gains a row).
CREATE TRIGGER "LabSession_notify_insert" AFTER INSERT ON "LabSession" FOR EACH ROW
  WHEN (NEW."classId" IS NOT NULL)
  EXECUTE FUNCTION wireroom_notify_session_status();

CREATE OR REPLACE FUNCTION wireroom_notify_session_grading() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''wireroom_session'', json_build_object(
    ''sessionId'', NEW."sessionId",
    ''kind'', TG_ARGV[0],
    ''id'', CASE WHEN TG_ARGV[0] = ''result'' THEN NULL ELSE to_jsonb(NEW)->>''id'' END,
    ''classId'', (SELECT s."classId" FROM "LabSession" s WHERE s."id" = NEW."sessionId")
  )::text)\073
  RETURN NULL\073
END';

-- A class's own changes, on their own channel: 'roster' (a learner joined or left), 'assignment'
-- (a lab assigned, changed or removed), 'class' (its name or join code), 'message' (a banner, with
-- its recipient: null for the whole class). Ids only, like the session channel.
CREATE FUNCTION wireroom_notify_class() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  row_json jsonb\073
BEGIN
  IF TG_OP = ''DELETE'' THEN row_json := to_jsonb(OLD)\073 ELSE row_json := to_jsonb(NEW)\073 END IF\073
  PERFORM pg_notify(''wireroom_class'', json_build_object(
    ''classId'', CASE WHEN TG_ARGV[0] = ''class'' THEN row_json->>''id'' ELSE row_json->>''classId'' END,
    ''kind'', TG_ARGV[0],
    ''userId'', CASE WHEN TG_ARGV[0] = ''message'' THEN row_json->>''toUserId'' WHEN TG_ARGV[0] = ''roster'' THEN row_json->>''userId'' ELSE NULL END
  )::text)\073
  RETURN NULL\073
END';

CREATE TRIGGER "Class_notify" AFTER UPDATE OR DELETE ON "Class" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_class('class');
CREATE TRIGGER "ClassMember_notify" AFTER INSERT OR DELETE ON "ClassMember" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_class('roster');
CREATE TRIGGER "Assignment_notify" AFTER INSERT OR UPDATE OR DELETE ON "Assignment" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_class('assignment');
CREATE TRIGGER "ClassMessage_notify" AFTER INSERT ON "ClassMessage" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_class('message');
