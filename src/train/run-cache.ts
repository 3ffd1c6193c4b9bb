// Fine-tuning, content-addressed: a run whose key (run-key.ts) has an entry in the cache folder is loaded instead
// of trained. When several processes want the same run at once, one trains (holding <key>.lock) and the others wait
// for it, then load its entry. An entry that cannot be read is trained again and replaced.
import * as path from "path";
import { Mixture } from "../data/mixtures";
import { Tokenizer } from "../io/tokenizer";
import { adapterNames } from "../model/lora";
import { T5Model } from "../model/t5";
import { FineTuneOptions, FineTuneResult, fineTuneModel } from "./finetune";
import { readRunEntry, writeRunEntry } from "./run-entry";
import { runIngredients, runKey } from "./run-key";
import { LockWaitOptions, acquireLock } from "./run-lock";

/** Where and how cachedFineTune keeps runs. */
export interface RunCacheOptions {
  /** The cache folder: one entry folder per key. */
  dir: string;
  /** The run's short name in messages, e.g. "full" or "lora r8". */
  label?: string;
  /** Written to the entry's meta.json for people (e.g. the caller's spec). */
  describe?: unknown;
  /** Train even when the run is cached, and replace its entry. */
  refresh?: boolean;
  /** Where the one-line messages go; default console.log. */
  log?: (line: string) => void;
  /** Paths in messages are relative to this folder; default the working directory. */
  showPathsFrom?: string;
  /** How long to wait for another process training the same run (default two hours), and how often to look. */
  wait?: Omit<LockWaitOptions, "onWait">;
}

/** A fine-tuning result and where the cache has it. */
export interface CachedFineTuneResult extends FineTuneResult {
  /** The run's key and entry folder; null when the run could not be cached (the message said why). */
  cache: { key: string; entry: string; reused: boolean } | null;
}

/** Why a run cannot be cached, or undefined: the cache holds what a run's key fully decides, nothing else. */
export function uncacheableReason(base: T5Model, options: FineTuneOptions): string | undefined {
  if (options.evaluate) return "it evaluates while training (early stopping, best checkpoints)";
  if (options.outDir) return "it keeps its own run folder (checkpoints, resume)";
  if (options.inPlace) return "it trains the given model in place";
  if (adapterNames(base).length > 0) return "its base holds LoRA adapters";
  return undefined;
}

/** The first 12 hex digits of a key, for messages. */
export const shortKey = (key: string): string => key.slice(0, 12);

/** Train as fineTuneModel does, or load the cached result of an equal run; the model returned is the caller's to dispose. */
export async function cachedFineTune(base: T5Model, data: { mixture: Mixture; tokenizer: Tokenizer }, options: FineTuneOptions, cache: RunCacheOptions): Promise<CachedFineTuneResult> {
  const log = cache.log ?? ((line: string) => console.log(line));
  const reason = uncacheableReason(base, options);
  if (reason) {
    log(`fine-tuning ${cache.label ?? "run"} without the run cache: ${reason}`);
    return { ...(await fineTuneModel(base, data, options)), cache: null };
  }
  const ingredients = runIngredients(base, data, options);
  const key = runKey(ingredients);
  const entry = path.join(cache.dir, key);
  const show = (file: string) => path.relative(cache.showPathsFrom ?? process.cwd(), file) || ".";
  const name = `fine-tuning run ${shortKey(key)}${cache.label ? ` (${cache.label})` : ""}`;
  /** The cached run, if its entry reads whole; a broken one is reported when `report` (then trained again). */
  const reuse = (report: boolean): CachedFineTuneResult | undefined => {
    let run: FineTuneResult | undefined;
    try {
      run = readRunEntry(entry, key, base);
    } catch (error) {
      if (report) log(`ignoring the broken cache entry ${show(entry)} of ${name}: ${(error as Error).message}`);
    }
    if (run) log(`reused ${name} from ${show(entry)} (trained in ${run.result.seconds.toFixed(0)} s)`);
    return run && { ...run, cache: { key, entry, reused: true } };
  };

  const early = cache.refresh ? undefined : reuse(false);
  if (early) return early;
  const release = await acquireLock(`${entry}.lock`, {
    ...cache.wait,
    onWait: (owner) => log(`waiting for ${owner ? `process ${owner.pid} (since ${owner.started})` : "another process"}, which is training ${name}`),
  });
  try {
    const waited = cache.refresh ? undefined : reuse(true); // the process we waited for may have cached it
    if (waited) return waited;
    const run = await fineTuneModel(base, data, options);
    try {
      writeRunEntry(cache.dir, key, run, { describe: cache.describe, ingredients });
    } catch (error) {
      log(`trained ${name} but could not cache it in ${show(entry)}: ${(error as Error).message}`);
      return { ...run, cache: null }; // the run itself is fine: a full disk should not cost it
    }
    log(`trained and cached ${name} in ${show(entry)} (${run.result.seconds.toFixed(0)} s)`);
    return { ...run, cache: { key, entry, reused: false } };
  } finally {
    release();
  }
}
