-- The lab spec travels with the session: the validated lab at start and its content hash.
-- Nullable: rows written before this migration have neither: src/core/labs/sessionLab.ts reads
-- those from the catalog (their lab as it is now), as every reader did before.
ALTER TABLE "LabSession" ADD COLUMN     "lab" JSONB,
ADD COLUMN     "labHash" TEXT;

-- Sessions from before per-session params (20261127030000_grading) were read with a shared
-- constant token: params are now required on read, so give each such row its own random one.
UPDATE "LabSession" SET "params" = jsonb_build_object('token', substr(md5(random()::text || "id"::text), 1, 8)) WHERE "params" IS NULL;
