// The child process of runInParallel (parallel.ts): start the backend, run the jobs it is sent, send results back.
import { initBackend } from "./backend";
import type { FromWorker, JobFunction, ToWorker } from "./parallel";
import { wasmThreadsRunning } from "./wasm-threads";

function reply(message: FromWorker): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

async function runJob(message: ToWorker): Promise<void> {
  try {
    const backend = await initBackend(message.backend);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const loaded = require(message.module) as Record<string, unknown> & { default?: Record<string, unknown> };
    const fn = (loaded[message.exportName] ?? loaded.default?.[message.exportName]) as JobFunction<unknown, unknown> | undefined;
    if (typeof fn !== "function") {
      throw new Error(`${message.module} exports no function "${message.exportName}" (exports: ${Object.keys(loaded).join(", ") || "none"}).`);
    }
    const threads = backend === "wasm" ? wasmThreadsRunning() : undefined;
    const result = await fn(message.job, { index: message.index, backend, threads });
    await reply({ type: "result", index: message.index, result });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    await reply({ type: "error", index: message.index, message: e.message, stack: e.stack });
  }
}

if (!process.send) {
  console.error("parallel-worker: start me through runInParallel (parallel.ts), not directly.");
  process.exit(2);
}
let queue = Promise.resolve();
process.on("message", (message: ToWorker) => {
  if (message.type === "run") queue = queue.then(() => runJob(message));
});
process.on("disconnect", () => {
  void queue.then(() => process.exit(0));
});
