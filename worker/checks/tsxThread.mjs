// The check thread's entry under tsx (npm run worker, tests, benchmarks): a worker thread starts
// without the main thread's TypeScript loader, so it registers tsx before importing thread.ts.
// The bundle runs dist/worker/checkThread.js instead (scripts/build-worker.ts).
import { register } from "tsx/esm/api";

register();
await import(new URL("./thread.ts", import.meta.url).href);
