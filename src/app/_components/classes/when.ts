// How dates read on the class pages: the reader's own time zone and language. Pure.

export function formatWhen(date: Date | string | null | undefined): string {
  if (!date) return "";
  return new Date(date).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "due 3 Dec 2026, 17:00", or "no due date". */
export function dueLine(dueAt: Date | string | null | undefined): string {
  return dueAt ? `due ${formatWhen(dueAt)}` : "no due date";
}

/** A `<input type="datetime-local">` value (local time) from a date, and back. */
export function toLocalInput(date: Date | string | null | undefined): string {
  if (!date) return "";
  const d = new Date(date);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
