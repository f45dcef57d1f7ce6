// The web process is up (src/server/ops.ts).
import { healthResponse } from "~/server/ops";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET() {
  return healthResponse();
}
