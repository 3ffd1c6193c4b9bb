// What reading and tokenizing did to a user's data, in words for the terminal and as JSON for run.json: rows
// skipped, fields cut to the character limit, ids read as text, bytes that were not UTF-8, inputs and targets cut
// to their token budgets. Nothing is changed without one of these lines.
import { ReadResult } from "../data/formats";
import { TruncationTotals } from "../train/batches";

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? "" : "s"}`;

/** One line per change that reading made to the file's content (none when it read it as it is). */
export function describeReadNotes(read: ReadResult): string[] {
  const notes: string[] = [];
  if (read.skipped > 0) notes.push(`${read.file}: skipped ${plural(read.skipped, "invalid row")} (--skip-invalid), the first: ${read.problems[0]}`);
  if (read.capped.count > 0) notes.push(`${read.file}: cut ${plural(read.capped.count, "text field")} to the character limit (--max-chars), the first: ${read.capped.first}`);
  if (read.coercedIds > 0) notes.push(`${read.file}: read ${plural(read.coercedIds, "id")} given as JSON numbers as text`);
  if (read.invalidUtf8Lines > 0) notes.push(`${read.file}: ${plural(read.invalidUtf8Lines, "line")} held bytes that are not UTF-8, read as U+FFFD (--accept-invalid-utf8)`);
  return notes;
}

/** What reading found, as recorded in run.json. */
export function readNotesRecord(read: ReadResult): Record<string, unknown> {
  return {
    file: read.file,
    format: read.format,
    rows: read.rows,
    examples: read.examples.length,
    skipped: read.skipped,
    regrouped: read.regrouped,
    cappedFields: read.capped.count,
    coercedIds: read.coercedIds,
    invalidUtf8Lines: read.invalidUtf8Lines,
  };
}

/** One line on a run's truncation: "3 of 80 inputs cut (3.8%, 37.2 tokens on average), no targets cut". */
export function describeTruncation(totals: TruncationTotals): string {
  const part = (cut: number, tokens: number, what: string) =>
    cut === 0 ? `no ${what} cut` : `${count(cut)} of ${count(totals.examples)} ${what} cut (${((100 * cut) / totals.examples).toFixed(1)}%, ${(tokens / cut).toFixed(1)} tokens on average)`;
  return `truncation to the token budgets (--max-input-tokens/--max-target-tokens or the task's): ${part(totals.inputs, totals.inputTokensDropped, "inputs")}, ${part(totals.targets, totals.targetTokensDropped, "targets")}`;
}
