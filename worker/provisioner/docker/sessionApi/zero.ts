// Whether a field of a Docker API body carries nothing: what the CLI sends for a flag not given.

/** null, "", 0, false, an empty list, or an object whose every field is zero. */
export function isZero(value: unknown): boolean {
  if (value === null || value === undefined || value === "" || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.values(value).every(isZero);
  return false;
}
