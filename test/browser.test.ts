// The notebooks in a real front end: Debian's Jupyter Notebook with the project's kernel spec, driven in headless
// Chromium by playwright-core. Runs a copy of 00_quickstart with Run All, as a user would, and checks what the user
// sees; then opens the HTML tutorials the notebook runner wrote. Screenshots go to build/browser/.
// Needs `jupyter-notebook` and `chromium` from Debian (.ci/run installs them) and a built dist/; skipped without.
import * as assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";

const ROOT = path.join(__dirname, "..");
const CHROMIUM = "/usr/bin/chromium";
const JUPYTER = "/usr/bin/jupyter-notebook";
const OUT = path.join(ROOT, "build", "browser");
const TOKEN = "flanlab-browser-test";

const missing = [CHROMIUM, JUPYTER, path.join(ROOT, "dist", "lab", "index.js")].filter((file) => !fs.existsSync(file));
const skip = missing.length > 0 ? `not installed or not built: ${missing.join(", ")} (apt-get install jupyter-notebook chromium; npm run build)` : false;

/** Cells appended to the copy: data with what MathJax and markdown would otherwise eat. */
const VERBATIM_TABLE = "I paid $163.95 on May 3 and was charged $163.95 again \\(twice\\) <x>";
const VERBATIM_MARKDOWN = "Markdown: $5 and $6, *not emphasis*, <b>not bold</b>";
const EXTRA_CELLS = [
  `tslab.display.html(lab.dataFrameHtml({ columns: ["chat"], values: [[${JSON.stringify(VERBATIM_TABLE)}]] }));`,
  `tslab.display.markdown(lab.escapeMarkdown(${JSON.stringify(VERBATIM_MARKDOWN)}));`,
];

/**
 * A workspace that looks like the repository to the notebook ("../dist", "../models", ...), so the copy runs
 * unchanged and the committed notebook is never opened (Jupyter would autosave outputs into it).
 */
function makeWorkspace(): string {
  const workspace = path.join(OUT, "workspace");
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(path.join(workspace, "notebooks"), { recursive: true });
  fs.mkdirSync(path.join(workspace, "build"), { recursive: true });
  for (const shared of ["dist", "datasets", "models", "node_modules"]) fs.symlinkSync(path.join(ROOT, shared), path.join(workspace, shared));
  const notebook = JSON.parse(fs.readFileSync(path.join(ROOT, "notebooks", "00_quickstart.ipynb"), "utf8"));
  for (const source of EXTRA_CELLS) notebook.cells.push({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });
  fs.writeFileSync(path.join(workspace, "notebooks", "00_quickstart.ipynb"), JSON.stringify(notebook, null, 1));
  return workspace;
}

/** Start Jupyter Notebook on 127.0.0.1 and resolve with its base URL once it listens. */
function startJupyter(workspace: string): Promise<{ server: ChildProcess; url: string }> {
  const args = ["--no-browser", "--ip=127.0.0.1", "--port=8950", "--port-retries=50", `--NotebookApp.token=${TOKEN}`, `--notebook-dir=${workspace}`];
  if (process.getuid?.() === 0) args.push("--allow-root"); // CI runs as root
  const env = { ...process.env, JUPYTER_PATH: path.join(ROOT, "jupyter"), PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };
  const server = spawn(JUPYTER, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error(`Jupyter did not start in 60 s:\n${log}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk;
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve({ server, url: `http://127.0.0.1:${match[1]}` });
      }
    };
    server.stdout!.on("data", onData);
    server.stderr!.on("data", onData);
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Jupyter exited (${code}):\n${log}`));
    });
  });
}

async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    // As root and without a network: no sandbox, and none of Chromium's background connections.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Run All through the menu, as a user does, and wait until every code cell has run (or one failed). */
async function runAll(page: Page, timeoutMs: number): Promise<string[]> {
  await page.click("#celllink");
  await page.click("#run_all_cells");
  const progressTexts = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await page.evaluate(() => {
      const cells = (globalThis as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code");
      const progress = (globalThis as any).document.querySelector(".output_html div[style*='font-family:monospace']");
      return { done: cells.every((c: any) => typeof c.input_prompt_number === "number"), busy: (globalThis as any).Jupyter.notebook.kernel_busy, progress: progress?.textContent ?? "" };
    });
    if (state.progress) progressTexts.add(state.progress);
    if (state.done && !state.busy) return [...progressTexts];
    if (Date.now() > deadline) throw new Error(`Run All did not finish in ${timeoutMs / 1000} s`);
    await page.waitForTimeout(250);
  }
}

/** Wait until MathJax (2.7 in Notebook 6) has loaded and typeset everything queued, so that its effect shows. */
async function mathJaxSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as any).MathJax?.Hub, undefined, { timeout: 60_000 });
  await page.evaluate(() => new Promise((resolve) => (globalThis as any).MathJax.Hub.Queue(resolve)));
}

describe("the notebooks in a browser", { skip, timeout: 600_000 }, () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let url = "";

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    ({ server, url } = await startJupyter(makeWorkspace()));
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    server?.kill("SIGTERM");
  });

  it("00_quickstart: Run All in Jupyter Notebook shows figures, tables, live progress and data verbatim", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/notebooks/notebooks/00_quickstart.ipynb?token=${TOKEN}`);
    await page.waitForFunction(() => (globalThis as any).Jupyter?.notebook?.kernel?.is_connected?.(), undefined, { timeout: 120_000 });
    const progressTexts = await runAll(page, 480_000);
    await mathJaxSettled(page);
    await page.screenshot({ path: path.join(OUT, "00_quickstart.png"), fullPage: true });

    const errors = await page.$$eval(".output_error, .output_stderr", (nodes) => nodes.map((n) => n.textContent ?? "").filter((t) => /Error|Exception/.test(t)));
    assert.deepEqual(errors, [], "no cell reports an error");
    assert.ok((await page.$$("svg.main-svg")).length >= 1, "Plotly drew at least one figure");
    assert.ok((await page.$$(".output_html table")).length >= 1, "a table is shown");
    assert.ok(progressTexts.length >= 2, `the progress output changed in place while training (saw ${progressTexts.length} states)`);
    const text = await page.$eval("#notebook-container", (node) => (node as { innerText: string }).innerText);
    assert.ok(text.includes(VERBATIM_TABLE), "table text with $ amounts, \\( and <x> is shown as written");
    assert.ok(text.includes(VERBATIM_MARKDOWN), "markdown-escaped data is shown as written");
    assert.equal((await page.$$(".output_area .MathJax, .output_area mjx-container")).length, 0, "MathJax typeset nothing in outputs");
  });

  it("the HTML tutorials written by the notebook runner show their figures", async (t) => {
    const pages = fs.existsSync(path.join(ROOT, "build", "notebooks"))
      ? fs.readdirSync(path.join(ROOT, "build", "notebooks")).filter((f) => f.endsWith(".html"))
      : [];
    if (pages.length === 0) return t.skip("no build/notebooks/*.html: run `npm run notebooks` first");
    for (const name of pages) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(`file://${path.join(ROOT, "build", "notebooks", name)}`);
      const hasFigures = (await page.content()).includes("flanlab-figure-");
      if (hasFigures) await page.waitForSelector("svg.main-svg", { timeout: 60_000 });
      await page.screenshot({ path: path.join(OUT, name.replace(/\.html$/, ".png")), fullPage: true });
      const mathErrors = await page.$$eval("body", (nodes) => (nodes[0].textContent ?? "").includes("Math Processing Error"));
      assert.equal(mathErrors, false, `${name}: no "[Math Processing Error]"`);
      await page.close();
    }
  });
});

