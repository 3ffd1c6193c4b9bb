// Keep a run's results for readers: copy build/results/<notebook>.json to docs/results/, with the closing findings
// the executed notebook wrote (its last Markdown output, derived there from the numbers) as <notebook>.md, and the
// runner's timings.json as timings-<profile>.json; for a full-profile run, also the executed notebook and its HTML
// page to docs/tutorials/, for readers on GitHub or nbviewer (their figures show as static drawings there). Then
// `scripts/findings-readme.ts` rewrites the README's section.
//
//   node --import tsx scripts/save-results.ts [--build build] [--to docs/results] [--tutorials docs/tutorials] [NOTEBOOK ...]
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { NotebookResults } from "../src/lab/experiments/results";

interface NotebookJson {
  cells: { cell_type: string; outputs?: { data?: Record<string, unknown> }[] }[];
}

/** The last Markdown a notebook displayed: by the project's convention, what the numbers showed. */
export function closingMarkdown(notebook: NotebookJson): string | undefined {
  let last: string | undefined;
  for (const cell of notebook.cells) {
    for (const output of cell.outputs ?? []) {
      const markdown = output.data?.["text/markdown"];
      if (typeof markdown === "string") last = markdown;
      else if (Array.isArray(markdown)) last = markdown.join("");
    }
  }
  return last;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** The executed notebook and its HTML page, as the runner wrote them, for readers (full-profile runs only). */
function publishTutorial(name: string, build: string, tutorials: string): void {
  fs.mkdirSync(tutorials, { recursive: true });
  for (const extension of [".ipynb", ".html"]) {
    const file = path.join(build, "notebooks", `${name}${extension}`);
    if (!fs.existsSync(file)) throw new Error(`${file} not found: run the notebooks first (npm run notebooks).`);
    fs.copyFileSync(file, path.join(tutorials, `${name}${extension}`));
  }
  const kB = (extension: string) => (fs.statSync(path.join(tutorials, `${name}${extension}`)).size / 1024).toFixed(0);
  console.log(`${name}: executed notebook (${kB(".ipynb")} kB) and HTML (${kB(".html")} kB) -> ${tutorials}/`);
}

function saveNotebook(name: string, build: string, to: string, tutorials: string): void {
  const resultsFile = path.join(build, "results", `${name}.json`);
  const executedFile = path.join(build, "notebooks", `${name}.ipynb`);
  const results = readJson<NotebookResults>(resultsFile);
  if (results.notebook !== name) throw new Error(`${resultsFile}: written by notebook "${results.notebook}", expected "${name}".`);
  const findings = closingMarkdown(readJson<NotebookJson>(executedFile));
  if (findings === undefined) throw new Error(`${executedFile}: no Markdown output, so no findings to keep (did it run to the end?).`);
  fs.copyFileSync(resultsFile, path.join(to, `${name}.json`));
  fs.writeFileSync(path.join(to, `${name}.md`), findings.trimEnd() + "\n");
  console.log(`${name}: ${results.profile} profile, ${results.runs.length} runs, ${(results.seconds / 60).toFixed(1)} min -> ${to}/`);
  if (results.profile === "full") publishTutorial(name, build, tutorials);
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      build: { type: "string", default: "build" },
      to: { type: "string", default: path.join("docs", "results") },
      tutorials: { type: "string", default: path.join("docs", "tutorials") },
    },
  });
  const build = values.build!;
  const to = values.to!;
  fs.mkdirSync(to, { recursive: true });
  const names = positionals.length > 0 ? positionals : fs.readdirSync(path.join(build, "results")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
  for (const name of names) saveNotebook(name, build, to, values.tutorials!);
  const timingsFile = path.join(build, "notebooks", "timings.json");
  if (fs.existsSync(timingsFile)) {
    const timings = readJson<{ profile: string }>(timingsFile);
    fs.copyFileSync(timingsFile, path.join(to, `timings-${timings.profile}.json`));
    console.log(`run times (${timings.profile} profile) -> ${to}/timings-${timings.profile}.json`);
  }
}

if (require.main === module) main();
