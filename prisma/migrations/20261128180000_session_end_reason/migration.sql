-- Why a session ended, kept once it is stopped (statusReason is progress, cleared at STOPPED):
-- 'owner' (its owner stopped it) or 'expired'. The page says it in words to each viewer.
ALTER TABLE "LabSession" ADD COLUMN "endReason" TEXT;
