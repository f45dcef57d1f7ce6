// A tRPC error as one line for a page: an input's refusal is its zod message (the server's
// formatter sends them flattened), never the JSON list tRPC puts in `message`.
type TrpcLikeError = {
  message: string;
  data?: { zodError?: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> } | null } | null;
};

export function errorText(error: TrpcLikeError | null | undefined): string | null {
  if (!error) return null;
  const zod = error.data?.zodError;
  const first = zod ? [...zod.formErrors, ...Object.values(zod.fieldErrors).flatMap((m) => m ?? [])][0] : undefined;
  return first ?? error.message;
}
