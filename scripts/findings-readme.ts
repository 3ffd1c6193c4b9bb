// Write the README's "What we found" section from committed results (docs/results/, saved by
// scripts/save-results.ts), so the section always shows measured numbers: each notebook's run times, its closing
// findings as the notebook derived them from its numbers, and a table with a row per run and the primary metric of
// every task it was scored on.
//
//   node --import tsx scripts/findings-readme.ts [--from docs/results] [--readme README.md]
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { TASK_NAMES, getTask } from "../src/lab/tasks/registry";
import { NotebookResults, RunRecord } from "../src/lab/experiments/results";
import { RunTimings } from "./notebook-files";

const START = "<!-- findings:start -->";
const END = "<!-- findings:end -->";

function cell(run: RunRecord, task: string): string {
  const scores = run.scores[task];
  if (!scores) return "";
  const value = scores[getTask(task).primaryMetric];
  return typeof value === "number" ? value.toFixed(3) : "";
}

export function notebookTable(results: NotebookResults, findings?: string): string {
  const tasks = TASK_NAMES.filter((t) => results.runs.some((r) => r.scores[t]));
  const header = ["run", "method", "seed", "trainable params", "train s", ...tasks.map((t) => `${t} (${getTask(t).primaryMetric})`)];
  const rows = results.runs.map((r) => [
    r.name,
    r.method,
    r.seed === null ? "" : String(r.seed),
    r.trainable_params === null ? "" : r.trainable_params.toLocaleString("en-US"),
    r.train_seconds === null ? "" : r.train_seconds.toFixed(0),
    ...tasks.map((t) => cell(r, t)),
  ]);
  return [
    `### ${results.notebook}`,
    "",
    `Profile \`${results.profile}\`, backend ${results.backend}, seeds ${results.seeds.join(", ") || "-"}, ${(results.seconds / 60).toFixed(1)} min, run ${results.started.slice(0, 10)}.`,
    "",
    ...(findings ? ["What the notebook concluded from these numbers:", "", findings.trim(), ""] : []),
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
  ].join("\n");
}

function minutes(seconds: number | undefined): string {
  return seconds === undefined ? "" : `${(seconds / 60).toFixed(1)} min`;
}

/** Each notebook's wall time per profile, from the runner's timings (or, lacking them, the results' own clock). */
export function runTimesTable(timings: RunTimings[], results: NotebookResults[]): string {
  const profiles = [...new Set([...timings.map((t) => t.profile), ...results.map((r) => r.profile)])].sort((a, b) => (a === "quick" ? -1 : b === "quick" ? 1 : a.localeCompare(b)));
  if (profiles.length === 0) return "";
  const seconds = (profile: string, notebook: string): number | undefined =>
    timings.find((t) => t.profile === profile)?.notebooks.find((n) => n.name === notebook)?.seconds ??
    results.find((r) => r.profile === profile && r.notebook === notebook)?.seconds;
  const notebooks = [...new Set([...timings.flatMap((t) => t.notebooks.map((n) => n.name)), ...results.map((r) => r.notebook)])].sort();
  const notes = timings.map(
    (t) =>
      `\`${t.profile}\`: ${t.jobs} notebook(s) at a time, ${minutes(t.wallSeconds)} wall time in all, ${t.started.slice(0, 10)} on ${t.machine}` +
      (t.loadAverage ? `; load average ${t.loadAverage.before.toFixed(1)} at the start, ${t.loadAverage.after.toFixed(1)} at the end.` : "."),
  );
  return [
    "Run times on this project's machine:",
    "",
    `| notebook | ${profiles.map((p) => `\`${p}\` profile`).join(" | ")} |`,
    `|---|${profiles.map(() => "---").join("|")}|`,
    ...notebooks.map((n) => `| ${n} | ${profiles.map((p) => minutes(seconds(p, n))).join(" | ")} |`),
    "",
    ...notes.map((line) => `- ${line}`),
    ...(notes.length > 0 ? [""] : []),
  ].join("\n");
}

export interface SavedResults {
  results: NotebookResults[];
  findings: Record<string, string>;
  timings: RunTimings[];
}

export function findingsSection(saved: SavedResults): string {
  const { results, findings, timings } = saved;
  const intro =
    results.length === 0
      ? "No results are committed yet: run the notebooks with `FLANLAB_PROFILE=full`, then `node --import tsx scripts/save-results.ts` and `node --import tsx scripts/findings-readme.ts`."
      : "Generated from `docs/results/` by `scripts/findings-readme.ts`. The sentences are the notebooks' own closing findings, derived there from the numbers they had just computed; the tables are those numbers: test examples, generated answers, each task's primary metric.";
  const timesTable = runTimesTable(timings, results);
  return [START, "", intro, "", ...(timesTable ? [timesTable] : []), ...results.map((r) => notebookTable(r, findings[r.notebook])), END].join("\n");
}

/** What docs/results holds: <notebook>.json results, <notebook>.md findings, timings-<profile>.json run times. */
export function readSavedResults(dir: string): SavedResults {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  const read = <T>(f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as T;
  const results = files.filter((f) => f.endsWith(".json") && !f.startsWith("timings-")).map((f) => read<NotebookResults>(f));
  const timings = files.filter((f) => f.startsWith("timings-") && f.endsWith(".json")).map((f) => read<RunTimings>(f));
  const findings: Record<string, string> = {};
  for (const f of files.filter((f) => f.endsWith(".md"))) findings[f.slice(0, -3)] = fs.readFileSync(path.join(dir, f), "utf8");
  return { results, findings, timings };
}

function main(): void {
  const { values } = parseArgs({ options: { from: { type: "string", default: "docs/results" }, readme: { type: "string", default: "README.md" } } });
  const saved = readSavedResults(values.from!);
  const readme = fs.readFileSync(values.readme!, "utf8");
  const section = findingsSection(saved);
  const next = readme.includes(START)
    ? readme.slice(0, readme.indexOf(START)) + section + readme.slice(readme.indexOf(END) + END.length)
    : readme.trimEnd() + "\n\n## What we found\n\n" + section + "\n";
  fs.writeFileSync(values.readme!, next);
  console.log(`${values.readme}: "What we found" written from ${saved.results.length} result file(s) in ${values.from}`);
}

if (require.main === module) main();
