// Results of a notebook, in the format of docs/ARCHITECTURE.md ("Files"), written to build/results/<notebook>.json (and, for the full
// profile, saved to docs/results/ by scripts/save-results.ts so readers see the numbers without running anything).
import * as fs from "fs";
import { RESULTS_DIR } from "../paths";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";

export interface RunRecord {
  name: string;
  method: string;
  /** What it was trained on (a task, a mixture, or "none" for the base). */
  task: string;
  seed: number | null;
  scores: Record<string, Record<string, number>>;
  trainable_params: number | null;
  train_seconds: number | null;
  /** Anything else worth keeping (steps, examples, learning rate, ...). */
  details?: Record<string, unknown>;
}

export interface NotebookResults {
  notebook: string;
  profile: string;
  backend: string;
  seeds: number[];
  started: string;
  seconds: number;
  runs: RunRecord[];
  /** Settings of the run (steps, batch sizes, sample sizes) so a reader can tell the profiles apart. */
  settings?: Record<string, unknown>;
}

export { RESULTS_DIR };

/** Collects runs as a notebook goes; `write()` saves them. */
export class ResultsLog {
  readonly runs: RunRecord[] = [];
  private readonly startedAt = Date.now();

  constructor(
    readonly notebook: string,
    readonly profile: string,
    readonly seeds: number[],
    readonly settings: Record<string, unknown> = {},
  ) {}

  add(run: RunRecord): void {
    this.runs.push(run);
  }

  toJSON(): NotebookResults {
    return {
      notebook: this.notebook,
      profile: this.profile,
      backend: tf.getBackend() ?? "not started",
      seeds: this.seeds,
      started: new Date(this.startedAt).toISOString(),
      seconds: (Date.now() - this.startedAt) / 1000,
      runs: this.runs,
      settings: this.settings,
    };
  }

  write(dir: string = RESULTS_DIR): string {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.notebook}.json`);
    fs.writeFileSync(file, JSON.stringify(this.toJSON(), null, 2) + "\n");
    return file;
  }
}

/** FLANLAB_PROFILE: "quick" (the default, minutes on a laptop) or "full" (more seeds, bigger samples). */
export type Profile = "quick" | "full";

/** Pick the setting of the active profile. */
export function byProfile<T>(profile: Profile, quick: T, full: T): T {
  return profile === "full" ? full : quick;
}
