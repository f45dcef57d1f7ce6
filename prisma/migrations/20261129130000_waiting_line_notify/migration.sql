-- Issue 14: the line of WAITING sessions moves when one leaves it (admitted, or stopped while in
-- line, or deleted). Every waiting page then shows its new position: one notification on its own
-- channel, wireroom_line, which each web process reads once for all its waiting pages (src/core/queue/).
-- No payload: the line is read again whole.
CREATE FUNCTION wireroom_notify_line() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM pg_notify(''wireroom_line'', '''')\073
  RETURN NULL\073
END';

CREATE TRIGGER "LabSession_notify_line" AFTER UPDATE ON "LabSession" FOR EACH ROW
  WHEN (OLD."status" = 'WAITING' AND NEW."status" IS DISTINCT FROM OLD."status")
  EXECUTE FUNCTION wireroom_notify_line();

CREATE TRIGGER "LabSession_notify_line_delete" AFTER DELETE ON "LabSession" FOR EACH ROW
  WHEN (OLD."status" = 'WAITING')
  EXECUTE FUNCTION wireroom_notify_line();
