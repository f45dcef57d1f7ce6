// A simulated learner's browser, over HTTP: an account made with better-auth's email + password
// endpoint (as the sign-up form does), its cookie, and tRPC calls (superjson bodies, as the page's
// links send them). Each learner has its own client address (x-real-ip, which the web trusts
// as TRUSTED_CLIENT_IP_HEADER here), as a class does behind its own connections.
import { randomUUID } from "node:crypto";
import superjson, { type SuperJSONResult } from "superjson";

/** A failure of one kind (the table counts errors by kind). */
export class BenchError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
  }
}

export type Browser = { baseUrl: string; address: string; cookie: string; userId: string };

function headers(browser: Pick<Browser, "baseUrl" | "address">, cookie?: string): Record<string, string> {
  return {
    origin: browser.baseUrl,
    "content-type": "application/json",
    "x-real-ip": browser.address,
    ...(cookie ? { cookie } : {}),
  };
}

/** Signs a new account up; the browser keeps its session cookie. */
export async function signUp(baseUrl: string, index: number): Promise<Browser> {
  const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const body = { name: `Learner ${index}`, email: `${randomUUID().slice(0, 12)}@example.test`, password: `pw-${randomUUID()}` };
  const res = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: "POST",
    headers: headers({ baseUrl, address }),
    body: JSON.stringify(body),
  });
  if (!res.ok)
    throw new BenchError(`sign-up ${res.status}`, `sign-up answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0]!)
    .join("; ");
  const user = ((await res.json()) as { user?: { id?: string } }).user;
  if (!user?.id || !cookie) throw new BenchError("sign-up", "sign-up gave no user or no cookie");
  return { baseUrl, address, cookie, userId: user.id };
}

/** A tRPC mutation; its data, or a BenchError named after the procedure and the server's code. */
export async function mutate<T>(browser: Browser, procedure: string, input: unknown): Promise<T> {
  const res = await fetch(`${browser.baseUrl}/api/trpc/${procedure}`, {
    method: "POST",
    headers: headers(browser, browser.cookie),
    body: JSON.stringify(superjson.serialize(input)),
  });
  const text = await res.text();
  if (!res.ok) {
    let code = String(res.status);
    try {
      const error = (JSON.parse(text) as { error?: { json?: { data?: { code?: string } } } }).error;
      code = error?.json?.data?.code ?? code;
    } catch {
      // not JSON: keep the status
    }
    throw new BenchError(`${procedure} ${code}`, `${procedure} answered ${res.status}: ${text.slice(0, 300)}`);
  }
  return superjson.deserialize((JSON.parse(text) as { result: { data: SuperJSONResult } }).result.data) as T;
}
