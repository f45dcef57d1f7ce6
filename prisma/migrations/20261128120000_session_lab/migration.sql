-- The lab spec travels with the session: the validated lab at start and its content hash.
-- Nullable: rows written before this migration have neither: src/core/labs/sessionLab.ts reads
-- those from the catalog (their lab as it is now), as every reader did before.
ALTER TABLE "LabSession" ADD COLUMN     "lab" JSONB,
ADD COLUMN     "labHash" TEXT;

-- Sessions from before per-session params (20261127030000_grading) were read with the constant
-- token "netlab", which their set-up already wrote into their containers: params are now required
-- on read, so such a row gets that token spelled out (a running session keeps passing its checks).
UPDATE "LabSession" SET "params" = jsonb_build_object('token', 'netlab') WHERE "params" IS NULL;
