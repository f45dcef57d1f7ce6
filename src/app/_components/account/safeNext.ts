// Where to go after signing in: the `next` parameter when it is a path on this site, else home.
// Never another origin ("//evil.example", "https://…", "/\\evil.example"), never a control character.

export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > 2000) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  if ([...next].some((c) => c < " " || c === "\u007f")) return "/";
  // Resolved against a stand-in origin: anything that leaves it is refused.
  const base = "http://wireroom.invalid";
  const url = new URL(next, base);
  if (url.origin !== base) return "/";
  if (url.pathname === "/sign-in") return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
