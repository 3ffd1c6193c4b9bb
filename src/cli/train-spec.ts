// What `flanlab train` records as its run's spec, keyed by flag name (run.json's spec.describe), and the check made
// before any model loads: reusing --out with another task, data file or learning rate is refused, naming the flags,
// instead of silently resuming the old run.
import * as fs from "fs";
import { fileSha256 } from "../io/content-hash";
import { parseModelName } from "../io/hub";
import { readRunJson } from "../train/checkpoints";
import { formatSpecDifferences, specDifferences, specValue } from "../train/run-spec";
import { fail } from "./common";

/** A data file by its content ("sha256:" and 16 hex digits): the same bytes elsewhere are the same data, other bytes under the old name are not. */
export function fileIdentity(file: string): string {
  return `sha256:${fileSha256(file).slice(0, 16)}`;
}

/** A model by its Hub name, or by its folder's real path (so "./models/x" and "models/x" are one model). */
export function modelIdentity(spec: string): string {
  if (!fs.existsSync(spec) && parseModelName(spec) !== undefined) return spec;
  return fs.existsSync(spec) ? fs.realpathSync(spec) : spec;
}

/** What starting over in --out removes (the rest of the folder stays). */
export const RUN_OUTPUTS = "run.json, metrics.jsonl, checkpoints/ and final/";

/**
 * Refuse to continue the run in `out` when its run.json records other flag values than `describe` (runs without a
 * recorded spec are not checked: the trainer says so).
 */
export function checkResumableRun(out: string, describe: Record<string, unknown>): void {
  const recorded = readRunJson(out);
  const recordedDescribe = (recorded?.spec as { describe?: unknown } | undefined)?.describe;
  if (recordedDescribe === undefined) return;
  const differences = specDifferences(specValue(recordedDescribe), specValue(describe));
  if (differences.length === 0) return;
  fail(
    `--out ${out} holds a run with other settings (${formatSpecDifferences(differences, (field) => field.split(".")[0])}); ` +
      `continuing it would mix two runs. Pass --overwrite to start over there (it removes ${RUN_OUTPUTS}), or give another --out.`,
  );
}
