// Run independent jobs (seeds, methods, mixtures of one experiment) in child processes, up to `workers` at a time.
// Why processes: independent jobs need no synchronisation, so two processes on two cores do twice the work, while
// wasm's thread pool (src/wasm-threads.ts) waits for its slowest thread on every product. Each child has its own
// backend, and the cores are shared out between the children (FLANLAB_THREADS per child) so that processes x threads
// never exceeds them. A job is a function exported by a module (the child requires it); its argument and result
// cross the process boundary by structured clone (plain data, typed arrays).
import { ChildProcess, fork } from "child_process";
import * as path from "path";
import { pathToFileURL } from "url";
import { wasmThreadsWanted } from "./backend";
import { machineCores } from "./wasm-threads";

/** How runInParallel runs jobs: number of worker processes, export name, backend, wasm threads per worker. */
export interface ParallelOptions {
  /** Processes at once (default 2, at most the number of jobs). */
  workers?: number;
  /** Name of the exported job function (default "run"). */
  exportName?: string;
  /** Backend each child starts (as FLANLAB_BACKEND; default: the parent's FLANLAB_BACKEND, else automatic). */
  backend?: string;
  /** One process for each job (default true): a job then starts from a clean tfjs state and frees its memory on exit. */
  freshProcess?: boolean;
  /**
   * wasm threads of each child (as FLANLAB_THREADS). Default: the cores shared out, floor(cores / workers), at
   * least 1 and at most the parent's FLANLAB_THREADS, so that workers x threads <= cores. FLANLAB_THREADS in `env`
   * also overrides it.
   */
  threadsPerWorker?: number;
  /** Extra environment for the children. */
  env?: Record<string, string>;
  /** Called as each job finishes (results still come back in job order). */
  onResult?: (index: number, result: unknown) => void;
}

/** What a job function receives besides its job. */
export interface JobContext {
  index: number;
  /** The backend the child started (wasm, cpu, tensorflow...). */
  backend: string;
  /** The wasm backend's threads in the child (undefined on other backends). */
  threads?: number;
}

/** What a job module exports: a function of the job's plain data and its context. */
export type JobFunction<J, R> = (job: J, context: JobContext) => R | Promise<R>;

/** Messages between parent and child (see parallel-worker.ts). */
export type ToWorker = { type: "run"; index: number; job: unknown; module: string; exportName: string; backend?: string };
export type FromWorker =
  | { type: "result"; index: number; result: unknown }
  | { type: "error"; index: number; message: string; stack?: string };

/** A job's failure, naming the job. */
export class JobError extends Error {
  constructor(
    readonly index: number,
    readonly jobName: string,
    message: string,
    readonly workerStack?: string,
  ) {
    super(`runInParallel: job ${jobName} failed: ${message}`);
  }
}

function jobName(job: unknown, index: number): string {
  const named = job && typeof job === "object" && "name" in job ? String((job as { name: unknown }).name) : undefined;
  return named ? `${index} (${named})` : String(index);
}

/** Threads for each of `workers` children: the cores shared out, never more than this process's FLANLAB_THREADS. */
export function defaultThreadsPerWorker(workers: number, cores = machineCores(), wanted = wasmThreadsWanted()): number {
  return Math.max(1, Math.min(wanted, Math.floor(cores / workers)));
}

/** The worker entry next to this file: parallel-worker.js in dist/, parallel-worker.ts when run from source. */
function workerEntry(): string {
  return path.join(__dirname, `parallel-worker${path.extname(__filename) === ".ts" ? ".ts" : ".js"}`);
}

/**
 * Run `jobs` through `jobModule`'s exported function, at most `workers` at a time, each in its own process with its
 * own tfjs backend. Each child's wasm backend gets defaultThreadsPerWorker(workers) threads unless told otherwise
 * (options.threadsPerWorker), so N workers x T threads <= the machine's cores. Resolves with the results in job
 * order; rejects with a JobError naming the first job that failed (other running jobs are stopped).
 */
export function runInParallel<J, R>(jobModule: string, jobs: J[], options: ParallelOptions = {}): Promise<R[]> {
  if (!Number.isInteger(options.workers ?? 2) || (options.workers ?? 2) < 1) {
    return Promise.reject(new Error(`runInParallel: workers must be a positive integer, got ${options.workers}.`));
  }
  if (jobs.length === 0) return Promise.resolve([]);
  const workers = Math.min(options.workers ?? 2, jobs.length);
  const modulePath = path.resolve(jobModule);
  const entry = workerEntry();
  const needsTsx = entry.endsWith(".ts") || /\.[cm]?ts$/.test(modulePath);
  const exportName = options.exportName ?? "run";
  const fresh = options.freshProcess ?? true;
  const backend = options.backend ?? process.env.FLANLAB_BACKEND;
  let threads: number;
  try {
    threads = options.threadsPerWorker ?? defaultThreadsPerWorker(workers);
  } catch (error) {
    return Promise.reject(error); // a bad FLANLAB_THREADS in this process
  }

  return new Promise<R[]>((resolve, reject) => {
    const results: R[] = new Array(jobs.length);
    let next = 0;
    let done = 0;
    let failed = false;
    const children = new Set<ChildProcess>();

    const stopAll = () => {
      for (const child of children) child.kill();
      children.clear();
    };
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      stopAll();
      reject(error);
    };

    const startChild = (): ChildProcess => {
      const child = fork(entry, [], {
        execArgv: needsTsx ? ["--import", pathToFileURL(require.resolve("tsx")).href] : [],
        env: { ...process.env, FLANLAB_THREADS: String(threads), ...options.env, ...(backend ? { FLANLAB_BACKEND: backend } : {}) },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        serialization: "advanced",
      });
      children.add(child);
      let current = -1;
      const send = () => {
        if (failed) return;
        if (next >= jobs.length) {
          children.delete(child);
          child.disconnect();
          return;
        }
        current = next++;
        const message: ToWorker = { type: "run", index: current, job: jobs[current], module: modulePath, exportName, backend };
        child.send(message);
      };
      child.on("message", (raw) => {
        const message = raw as FromWorker;
        if (message.type === "error") {
          fail(new JobError(message.index, jobName(jobs[message.index], message.index), message.message, message.stack));
          return;
        }
        results[message.index] = message.result as R;
        options.onResult?.(message.index, message.result);
        current = -1;
        if (++done === jobs.length) {
          stopAll();
          resolve(results);
          return;
        }
        if (fresh) {
          children.delete(child);
          child.disconnect();
          if (next < jobs.length) startChild();
        } else {
          send();
        }
      });
      child.on("error", (error) => fail(new Error(`runInParallel: a worker process failed to start: ${error.message}`)));
      child.on("exit", (code, signal) => {
        children.delete(child);
        if (current >= 0 && !failed) {
          const why = signal ? `signal ${signal}` : `exit code ${code}`;
          fail(new JobError(current, jobName(jobs[current], current), `its worker process ended (${why}) before returning a result (out of memory?)`));
        }
      });
      send();
      return child;
    };

    for (let i = 0; i < workers; i++) startChild();
  });
}
