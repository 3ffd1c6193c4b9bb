// metrics.jsonl, the run's log: one JSON line per logged step or evaluation, appended as training goes. A run killed
// mid-write leaves a torn last line; a resumed run first cuts the log back to its checkpoint's step, so that every
// step appears once and the log equals an uninterrupted run's.
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "./durable-files";

/** metrics.jsonl of a run folder. */
export const metricsFile = (runDir: string) => path.join(runDir, "metrics.jsonl");

/** Append one JSON line to metrics.jsonl. */
export function appendMetrics(runDir: string, line: Record<string, unknown>): void {
  fs.appendFileSync(metricsFile(runDir), JSON.stringify(line) + "\n");
}

/** What cutting the log back did. */
export interface MetricsCut {
  kept: number;
  /** Lines past the step (written after the checkpoint that the run resumes from). */
  dropped: number;
  /** Whether the last line was torn (no newline and not JSON: the run was killed while writing it). */
  torn: boolean;
}

/**
 * Keep the lines of metrics.jsonl up to `step` (all lines go for step 0). A torn last line is dropped; any other
 * line that is not JSON with a step is an error naming file and line, since the log was then damaged by something else.
 */
export function truncateMetrics(runDir: string, step: number): MetricsCut {
  const file = metricsFile(runDir);
  if (!fs.existsSync(file)) return { kept: 0, dropped: 0, torn: false };
  const text = fs.readFileSync(file, "utf8");
  const lines = text.split("\n");
  const tail = lines.pop() as string; // after the last newline: "" when the file ends with one
  const tornTail = tail.trim() !== "" && !isJsonWithStep(tail);
  if (tail.trim() !== "" && !tornTail) lines.push(tail); // complete but for its newline
  const kept: string[] = [];
  let dropped = 0;
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const parsed = parseLine(line, `${file}:${index + 1}`);
    if (parsed.step <= step) kept.push(line);
    else dropped++;
  });
  writeFileAtomic(file, kept.map((line) => line + "\n").join(""));
  return { kept: kept.length, dropped, torn: tornTail };
}

function isJsonWithStep(line: string): boolean {
  try {
    return typeof (JSON.parse(line) as { step?: unknown })?.step === "number";
  } catch {
    return false;
  }
}

function parseLine(line: string, where: string): { step: number } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`${where}: not valid JSON (${(error as Error).message}); the log is damaged: remove that line, or start the run over (--overwrite).`);
  }
  const step = (value as { step?: unknown } | null)?.step;
  if (typeof step !== "number") throw new Error(`${where}: a metrics line without a numeric "step"; remove that line, or start the run over (--overwrite).`);
  return { step };
}
