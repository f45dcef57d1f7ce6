-- Link impairments (issue 15): delay, jitter, loss and rate on one interface of a session's
-- container, and a class-wide one on every class session's default bridge (src/core/links/).
CREATE TABLE "LinkImpairment" (
    "id" UUID NOT NULL,
    "sessionId" UUID NOT NULL,
    "container" TEXT NOT NULL,
    "iface" TEXT NOT NULL,
    "delayMs" INTEGER NOT NULL DEFAULT 0,
    "jitterMs" INTEGER NOT NULL DEFAULT 0,
    "lossPct" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "rateKbit" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkImpairment_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "ClassImpairment" (
    "classId" UUID NOT NULL,
    "delayMs" INTEGER NOT NULL DEFAULT 0,
    "jitterMs" INTEGER NOT NULL DEFAULT 0,
    "lossPct" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "rateKbit" INTEGER,
    "setBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClassImpairment_pkey" PRIMARY KEY ("classId")
);

CREATE UNIQUE INDEX "LinkImpairment_sessionId_container_iface_key" ON "LinkImpairment"("sessionId", "container", "iface");

ALTER TABLE "LinkImpairment" ADD CONSTRAINT "LinkImpairment_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "LabSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "ClassImpairment" ADD CONSTRAINT "ClassImpairment_classId_fkey" FOREIGN KEY ("classId") REFERENCES "Class"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The session page shows its impairments (the topology's badge): a change to a session's rows is
-- announced on wireroom_session as a status change, like an engine view's (ids only).
CREATE FUNCTION wireroom_notify_link() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  sid uuid\073
BEGIN
  IF TG_OP = ''DELETE'' THEN sid := OLD."sessionId"\073 ELSE sid := NEW."sessionId"\073 END IF\073
  PERFORM pg_notify(''wireroom_session'', json_build_object(
    ''sessionId'', sid,
    ''kind'', ''status'',
    ''classId'', (SELECT s."classId" FROM "LabSession" s WHERE s."id" = sid)
  )::text)\073
  RETURN NULL\073
END';

CREATE TRIGGER "LinkImpairment_notify" AFTER INSERT OR UPDATE OR DELETE ON "LinkImpairment" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_link();

-- A class-wide impairment changes the view of every session of the class that has not ended, and
-- the class's own row on the dashboard (wireroom_class, kind class).
CREATE FUNCTION wireroom_notify_class_link() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  cid uuid\073
BEGIN
  IF TG_OP = ''DELETE'' THEN cid := OLD."classId"\073 ELSE cid := NEW."classId"\073 END IF\073
  PERFORM pg_notify(''wireroom_class'', json_build_object(''classId'', cid, ''kind'', ''class'', ''userId'', NULL)::text)\073
  PERFORM pg_notify(''wireroom_session'', json_build_object(''sessionId'', s."id", ''kind'', ''status'', ''classId'', cid)::text)
    FROM "LabSession" s WHERE s."classId" = cid AND s."status" NOT IN (''STOPPED'', ''FAILED'')\073
  RETURN NULL\073
END';

CREATE TRIGGER "ClassImpairment_notify" AFTER INSERT OR UPDATE OR DELETE ON "ClassImpairment" FOR EACH ROW
  EXECUTE FUNCTION wireroom_notify_class_link();
