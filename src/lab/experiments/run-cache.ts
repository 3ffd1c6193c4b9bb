// The lab's run cache: fineTune's runs are kept in build/run-cache/<key>/ and reused by every notebook, kernel and
// worker that asks for an equal run (train/run-cache.ts; the key is train/run-key.ts's). FLANLAB_NO_CACHE=1 trains
// anyway and replaces the entry; FLANLAB_RUN_CACHE=<folder> keeps the cache elsewhere; FLANLAB_RUN_KEYS_LOG=<file>
// (or 1: build/run-keys.jsonl) appends a line per run, its key and whether it trained, to measure what is reused.
import * as fs from "fs";
import * as path from "path";
import { CachedFineTuneResult, RunCacheOptions } from "../../train/run-cache";
import { readEntryScores, writeEntryScores } from "../../train/run-entry";
import { PACKAGE_ROOT } from "../paths";
import type { FineTuneSpec, FineTuned } from "./finetune";

/** The run cache's folder: FLANLAB_RUN_CACHE, else <package root>/build/run-cache. Clear it with clearRunCache() or `rm -rf build/run-cache`. */
export function runCacheDir(): string {
  return path.resolve(PACKAGE_ROOT, process.env.FLANLAB_RUN_CACHE || path.join("build", "run-cache"));
}

/** How the lab's fineTune uses the cache for a spec: its folder, its messages, and FLANLAB_NO_CACHE. */
export function labRunCache(spec: FineTuneSpec): RunCacheOptions {
  return { dir: runCacheDir(), label: spec.name, describe: spec, refresh: process.env.FLANLAB_NO_CACHE === "1", showPathsFrom: PACKAGE_ROOT };
}

/** Delete every cached run (the next fineTune of each trains again). */
export function clearRunCache(): void {
  fs.rmSync(runCacheDir(), { recursive: true, force: true });
}

function keysLogFile(): string | undefined {
  const value = process.env.FLANLAB_RUN_KEYS_LOG;
  if (!value || value === "0") return undefined;
  return path.resolve(PACKAGE_ROOT, value === "1" ? path.join("build", "run-keys.jsonl") : value);
}

/** With FLANLAB_RUN_KEYS_LOG set: append what one fineTune call did (key, trained or reused, seconds) as a JSON line. */
export function logRunKey(spec: FineTuneSpec, run: CachedFineTuneResult, callSeconds: number): void {
  const file = keysLogFile();
  if (!file) return;
  const line = {
    at: new Date().toISOString(),
    pid: process.pid,
    key: run.cache?.key ?? null,
    name: spec.name,
    method: spec.method,
    seed: spec.seed,
    steps: spec.steps,
    reused: run.cache?.reused ?? false,
    trainSeconds: run.result.seconds,
    callSeconds,
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, JSON.stringify(line) + "\n");
}

/** Keep JSON about a cached run (e.g. its scores) in its cache entry under a name; nothing for an uncached run. */
export function cacheScores(tuned: FineTuned, name: string, scores: unknown): void {
  if (tuned.cacheEntry) writeEntryScores(tuned.cacheEntry, name, scores);
}

/** JSON kept with cacheScores for this run under a name, or undefined. */
export function cachedScores<T = unknown>(tuned: FineTuned, name: string): T | undefined {
  return tuned.cacheEntry ? readEntryScores<T>(tuned.cacheEntry, name) : undefined;
}
