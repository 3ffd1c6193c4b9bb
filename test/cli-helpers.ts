// Helpers of the tests that run flanlab in their own process and compare run folders.
import * as fs from "fs";
import * as path from "path";
import { main } from "../src/cli";

/** Run flanlab in this process (main()), capturing what it prints: console lines and progress written to stderr. */
export async function flanlabInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const { log, error } = console;
  const write = process.stderr.write;
  console.log = (...parts: unknown[]) => stdout.push(parts.join(" "));
  console.error = (...parts: unknown[]) => stderr.push(parts.join(" "));
  process.stderr.write = ((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  } finally {
    Object.assign(console, { log, error });
    process.stderr.write = write;
  }
}

/** A run folder's metrics.jsonl without its timing field (tokens_per_s): the part a resumed run must reproduce exactly. */
export function metricsWithoutTiming(runDir: string): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(runDir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const { tokens_per_s: _, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return rest;
    });
}
