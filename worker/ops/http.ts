// The worker's operations endpoints on its terminal port: /metrics (Prometheus), /healthz (the process is up),
// /readyz (it can take work: database and engine answer, not draining). Everything else is 404; socket.io
// answers its own path before this handler runs.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { healthAnswer, metricsAnswer, readyAnswer, type OpsAnswer } from "~/core/metrics/answers";
import type { Readiness } from "~/core/metrics/readiness";
import { logger } from "~/core/log";

const log = logger.child({ component: "ops" });

export type OpsHttpOptions = {
  registry: Registry;
  /** This worker's readiness, asked at every /readyz. */
  ready: () => Promise<Readiness>;
  /** METRICS_TOKEN: /metrics then needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
};

const ROUTES = new Map<string, (req: IncomingMessage, options: OpsHttpOptions) => Promise<OpsAnswer>>([
  ["/healthz", async () => healthAnswer()],
  ["/readyz", async (_req, options) => readyAnswer(await options.ready())],
  ["/metrics", (req, options) => metricsAnswer(options.registry, req.headers.authorization, options.metricsToken)],
]);

/** The request handler for `http.createServer`. */
export function opsHttpHandler(options: OpsHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // Anyone who reaches the gateway port chooses the request target: one that is not a URL is a 400, never a
    // throw (a throw here is an uncaught exception: the worker would exit).
    const path = URL.parse(req.url ?? "/", "http://worker")?.pathname;
    if (path === undefined) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("the request target is not a URL path\n");
      return;
    }
    const route = ROUTES.get(path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end(`${path} answers GET only\n`);
      return;
    }
    route(req, options).then(
      (answer) => res.writeHead(answer.status, answer.headers).end(req.method === "HEAD" ? undefined : answer.body),
      (error: unknown) => {
        // Anyone may ask: the error's text (addresses, paths) goes to the log only.
        log.error({ err: error, path }, `${path} failed`);
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`${path} failed; details in the worker's log\n`);
      },
    );
  };
}
