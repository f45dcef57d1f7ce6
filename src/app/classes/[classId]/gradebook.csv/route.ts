import { getDb } from "~/core/db";
import { AppError, type AppErrorCode } from "~/core/errors";
import { classBook } from "~/core/grades/classBook";
import { gradebookCsv, gradebookFileName } from "~/core/grades/bookCsv";
import { learnerFromHeaders } from "~/server/auth/learner";
import { NOT_SIGNED_IN } from "~/server/api/trpc";
import { webEnv } from "~/server/env";

export const dynamic = "force-dynamic";

const httpStatus: Record<AppErrorCode, number> = {
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  CONFLICT: 409,
  FORBIDDEN: 403,
  LIMIT_EXCEEDED: 429,
  UNAVAILABLE: 503,
};

const text = (status: number, body: string) =>
  new Response(`${body}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * The class's gradebook as a CSV download: the same service, access rule and rows as the page
 * (grades.classBook), for whoever the cookie belongs to.
 */
export async function GET(request: Request, { params }: { params: Promise<{ classId: string }> }) {
  const { classId } = await params;
  const learner = await learnerFromHeaders(request.headers);
  if (!learner) return text(401, NOT_SIGNED_IN);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(classId))
    return text(400, "classId must be a class id (a UUID)");
  try {
    const book = await classBook({ db: getDb(webEnv().DATABASE_URL), actor: { id: learner.id, role: learner.role }, classId });
    return new Response(gradebookCsv(book), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${gradebookFileName(book.className)}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof AppError) return text(httpStatus[error.code], error.message);
    throw error;
  }
}
