// The web can serve: its database answers (src/server/ops.ts). 503 naming what is wrong otherwise.
import { readyResponse } from "~/server/ops";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export function GET() {
  return readyResponse();
}
