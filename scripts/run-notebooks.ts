// Execute notebooks/*.ipynb headlessly through the tslab kernel, the same kernel JupyterLab uses.
//
//   node --import tsx scripts/run-notebooks.ts [name-or-path ...]     (npm run notebooks builds dist/ first)
//
// Writes build/notebooks/<name>.ipynb (executed; on a failing cell, executed up to and including it),
// build/notebooks/<name>.html (self-contained but for build/notebooks/plotly.js, the one copy of the Plotly bundle
// that every executed notebook and page loads; template in jupyter/nbconvert/templates/flanlab/) and
// build/notebooks/timings.json (each notebook's wall time, for the README's table of run times).
// Exits non-zero if any notebook failed.
// Environment: FLANLAB_NOTEBOOK_JOBS (notebooks at a time, default 2), FLANLAB_CELL_TIMEOUT (seconds per cell,
// default 1800), FLANLAB_NOTEBOOK_OUT (output folder, default build/notebooks). Everything else, notebook
// parameters such as FLANLAB_PROFILE or FLANLAB_BACKEND included, passes through to the kernel.
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { listNotebooks, NOTEBOOKS_DIR, REPO_ROOT, RunTimings, runOrder } from "./notebook-files";

// Debian's interpreter: a `python3` found first on PATH (pyenv, say) usually has no Jupyter.
const PYTHON = "/usr/bin/python3";
const HELPER = path.join(REPO_ROOT, "scripts", "execute_notebook.py");
const APT_PACKAGES = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client", "python3-ipykernel"];
const INSTALL_COMMAND = `apt-get install -y --no-install-recommends ${APT_PACKAGES.join(" ")}`;

// One copy of the Plotly bundle beside the executed notebooks and their HTML pages, which all load it from there.
const SHARED_PLOTLY = "plotly.js";
const jobs = positiveNumber("FLANLAB_NOTEBOOK_JOBS", 2);
const cellTimeout = Math.ceil(positiveNumber("FLANLAB_CELL_TIMEOUT", 1800));
const outDir = path.resolve(process.env.FLANLAB_NOTEBOOK_OUT || path.join(REPO_ROOT, "build", "notebooks"));

interface Outcome {
  name: string;
  ok: boolean;
  seconds: number;
  failure?: string; // one line for the summary
  details?: string[]; // more lines, printed when the notebook fails
  warnings: string[];
}

function positiveNumber(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${variable}=${raw} should be a positive number`);
  return value;
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function nbconvertCommand(): string | undefined {
  return fs.existsSync("/usr/bin/jupyter-nbconvert") ? "/usr/bin/jupyter-nbconvert" : onPath("jupyter-nbconvert");
}

function missingJupyterPieces(): string[] {
  const missing: string[] = [];
  const imports = spawnSync(PYTHON, ["-c", "import nbclient, nbconvert, jupyter_client"], { stdio: "ignore" });
  if (imports.status !== 0) missing.push(`${PYTHON} cannot import nbclient, nbconvert and jupyter_client`);
  if (!nbconvertCommand()) missing.push("jupyter-nbconvert is not installed");
  return missing;
}

function aptInstall(): boolean {
  const run = (args: string[]) =>
    spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } })
      .status === 0;
  const install = ["install", "-y", "--no-install-recommends", ...APT_PACKAGES];
  return run(install) || (run(["update"]) && run(install));
}

/** Make sure Debian's Jupyter pieces are there; as root with apt-get, install them, else say how. */
function ensureJupyter(): void {
  let missing = missingJupyterPieces();
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && onPath("apt-get") !== undefined;
  if (canInstall) {
    console.log(`Jupyter is not ready (${missing.join("; ")}). Installing: ${INSTALL_COMMAND}`);
    if (aptInstall()) missing = missingJupyterPieces();
  }
  if (missing.length > 0) {
    console.error(
      `Cannot run notebooks: ${missing.join("; ")}.\n` +
        `Install Debian's Jupyter pieces (as root):\n  apt-get update && ${INSTALL_COMMAND}`,
    );
    process.exit(2);
  }
}

function resolveNotebook(arg: string): string {
  const candidates = [arg, path.join(NOTEBOOKS_DIR, arg), path.join(NOTEBOOKS_DIR, `${arg}.ipynb`)];
  const found = candidates.find((file) => file.endsWith(".ipynb") && fs.existsSync(file));
  if (!found) throw new Error(`No notebook "${arg}" (looked for ${candidates.join(", ")})`);
  return path.resolve(found);
}

/** Run a command, collecting stdout and stderr together. */
function capture(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ status: 127, output: output + String(error) }));
    child.on("close", (code) => resolve({ status: code ?? 1, output }));
  });
}

function kernelEnvironment(): NodeJS.ProcessEnv {
  const jupyterPath = [path.join(REPO_ROOT, "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(path.delimiter);
  // The kernel spec starts `node`: let it be the node running this script.
  const binPath = [path.dirname(process.execPath), process.env.PATH].filter(Boolean).join(path.delimiter);
  return { ...process.env, JUPYTER_PATH: jupyterPath, PATH: binPath };
}

/**
 * Scripts the page loads from files or hosts instead of carrying them, but for the shared Plotly copy beside it:
 * the page would not show its outputs elsewhere. MathJax is left out on purpose: it only typesets math in
 * markdown, which reads as TeX without it.
 */
export function externalScripts(html: string): string[] {
  const sources = [...html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi)].map((match) => match[1]);
  return sources.filter((source) => !source.startsWith("data:") && !/mathjax/i.test(source) && source !== SHARED_PLOTLY);
}

function lastLines(text: string, count: number): string[] {
  return text.trimEnd().split("\n").slice(-count);
}

interface HelperResult {
  ok: boolean;
  cell?: number | null; // index in the notebook's cells, markdown cells counted
  first_line?: string;
  error?: string;
}

function describeFailure(result: HelperResult, helperLog: string[]): { failure: string; details: string[] } {
  if (result.cell === null || result.cell === undefined) {
    return {
      failure: `before any cell: ${result.error}`,
      details: [
        `failed before any cell ran: ${result.error}`,
        "(the kernel spec jupyter/kernels/tslab starts this project's node_modules/tslab with `node`)",
        ...helperLog,
      ],
    };
  }
  return {
    failure: `cell ${result.cell}: ${result.error}`,
    details: [`failing cell: index ${result.cell}, first line: ${result.first_line}`, `error: ${result.error}`],
  };
}

async function runNotebook(file: string): Promise<Outcome> {
  const name = path.basename(file, ".ipynb");
  const executed = path.join(outDir, `${name}.ipynb`);
  const html = path.join(outDir, `${name}.html`);
  for (const stale of [executed, html]) fs.rmSync(stale, { force: true });
  const env = kernelEnvironment();
  const started = performance.now();
  console.log(`[start]  ${name}`);

  const run = await capture(
    PYTHON,
    [HELPER, file, executed, "--cwd", path.dirname(file), "--timeout", String(cellTimeout), "--plotly-src", SHARED_PLOTLY],
    env,
  );
  const outcome: Outcome = { name, ok: true, seconds: 0, warnings: [] };
  const marker = "FLANLAB_RESULT ";
  const resultAt = run.output.indexOf(marker);
  if (resultAt < 0) {
    outcome.ok = false;
    outcome.failure = "scripts/execute_notebook.py itself failed";
    outcome.details = lastLines(run.output, 20);
  } else {
    const result = JSON.parse(run.output.slice(resultAt + marker.length).split("\n")[0]) as HelperResult;
    if (!result.ok) {
      outcome.ok = false;
      const helperLog = lastLines(run.output.slice(0, resultAt), 15); // npm's or the kernel's complaint, if any
      Object.assign(outcome, describeFailure(result, helperLog));
    }
  }

  if (fs.existsSync(executed)) {
    const htmlArgs = ["--to", "html", "--template", "flanlab", "--embed-images", "--output-dir", outDir, executed];
    const convert = await capture(nbconvertCommand()!, htmlArgs, env);
    if (convert.status !== 0) {
      outcome.ok = false;
      outcome.failure ??= "HTML rendering failed";
      (outcome.details ??= []).push("HTML rendering failed:", ...lastLines(convert.output, 10));
    } else {
      const external = externalScripts(fs.readFileSync(html, "utf8"));
      if (external.length > 0) outcome.warnings.push(`HTML is not self-contained, it loads ${external.join(", ")}`);
    }
    (outcome.details ??= []).push(`executed so far: ${path.relative(process.cwd(), executed)} and .html`);
  }

  outcome.seconds = (performance.now() - started) / 1000;
  if (outcome.ok) {
    console.log(`[done]   ${name} in ${outcome.seconds.toFixed(1)} s`);
  } else {
    console.log(`[failed] ${name} after ${outcome.seconds.toFixed(1)} s`);
    for (const line of outcome.details ?? []) console.log(`         ${line}`);
  }
  for (const warning of outcome.warnings) console.log(`[warn]   ${name}: ${warning}`);
  return outcome;
}

async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function printSummary(outcomes: Outcome[]): void {
  const width = Math.max(8, ...outcomes.map((outcome) => outcome.name.length));
  console.log(`\n${"notebook".padEnd(width)}  result  seconds`);
  for (const outcome of outcomes) {
    const result = outcome.ok ? "ok" : "FAILED";
    const note = outcome.failure ? `  ${outcome.failure}` : outcome.warnings.length > 0 ? "  (warnings above)" : "";
    console.log(`${outcome.name.padEnd(width)}  ${result.padEnd(6)}  ${outcome.seconds.toFixed(1).padStart(7)}${note}`);
  }
  const failed = outcomes.filter((outcome) => !outcome.ok).length;
  console.log(`\n${outcomes.length - failed} of ${outcomes.length} notebook(s) ok; outputs in ${path.relative(process.cwd(), outDir) || "."}/`);
}

function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} x ${cpus[0]?.model.trim() ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const notebooks = runOrder(args.length > 0 ? args.map(resolveNotebook) : listNotebooks());
  if (notebooks.length === 0) {
    console.log(`No notebooks in ${path.relative(process.cwd(), NOTEBOOKS_DIR)}/: nothing to run.`);
    return 0;
  }
  ensureJupyter();
  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(require.resolve("plotly.js-dist/plotly.js"), path.join(outDir, SHARED_PLOTLY));
  console.log(`Running ${notebooks.length} notebook(s), ${jobs} at a time, through the tslab kernel (cell timeout ${cellTimeout} s).`);
  const started = new Date();
  const loadBefore = os.loadavg()[0];
  const outcomes = await inParallel(notebooks, jobs, runNotebook);
  printSummary(outcomes);
  const timings: RunTimings = {
    profile: process.env.FLANLAB_PROFILE || "quick",
    jobs,
    started: started.toISOString(),
    wallSeconds: (Date.now() - started.getTime()) / 1000,
    machine: machineDescription(),
    loadAverage: { before: loadBefore, after: os.loadavg()[0] },
    notebooks: outcomes.map(({ name, ok, seconds }) => ({ name, ok, seconds })),
  };
  fs.writeFileSync(path.join(outDir, "timings.json"), JSON.stringify(timings, null, 2) + "\n");
  return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
