// The committed notebooks are clean nbformat 4 files for the tslab kernel, and the notebook runner reports failures.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { LONGEST_FIRST, committedNotebookProblems, listNotebooks, readNotebook, REPO_ROOT, runOrder, stripNotebook } from "../scripts/notebook-files";

function notebook(sources: string[]) {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript (flanlab)", language: "typescript" } },
    cells: sources.map((source, index) => ({
      id: `cell-${index}`,
      cell_type: "code",
      source,
      metadata: {},
      outputs: [] as unknown[],
      execution_count: null as number | null,
    })),
  };
}

describe("committed notebooks", () => {
  const files = listNotebooks();
  it("are listed (none yet is fine)", () => {
    assert.ok(Array.isArray(files));
  });
  for (const file of files) {
    it(`${path.basename(file)} is nbformat 4 for tslab, with no outputs or execution counts`, () => {
      const problems = committedNotebookProblems(readNotebook(file));
      assert.deepEqual(problems, [], `${path.basename(file)}:\n  ${problems.join("\n  ")}`);
    });
  }
});

describe("notebook checks", () => {
  it("flag outputs and execution counts, and stripping removes them", () => {
    const executed = notebook(["console.log(1)"]);
    executed.cells[0].outputs = [{ output_type: "stream", name: "stdout", text: "1\n" }];
    executed.cells[0].execution_count = 1;
    assert.equal(committedNotebookProblems(executed).length, 2);
    assert.equal(stripNotebook(executed), true);
    assert.deepEqual(committedNotebookProblems(executed), []);
    assert.equal(stripNotebook(executed), false);
  });

  it("flag another kernel and another format", () => {
    const python = { ...notebook([]), nbformat: 3, metadata: { kernelspec: { name: "python3" } } };
    assert.deepEqual(committedNotebookProblems(python), [
      "nbformat is 3, expected 4",
      'kernelspec name is "python3", expected "tslab"',
    ]);
  });
});

const jupyterReady =
  spawnSync("/usr/bin/python3", ["-c", "import nbclient, nbconvert, jupyter_client"], { stdio: "ignore" }).status === 0 &&
  spawnSync("sh", ["-c", "command -v jupyter-nbconvert"], { stdio: "ignore" }).status === 0;

describe("notebook runner", () => {
  it(
    "names the notebook, the failing cell and the error, saves the partial notebook, and exits non-zero",
    {
      skip: jupyterReady
        ? false
        : "Jupyter is not installed for /usr/bin/python3 (apt-get install -y --no-install-recommends " +
          "jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel)",
      timeout: 180_000,
    },
    () => {
      // Inside the repository, like the notebooks: the kernel then works in a folder of this project.
      fs.mkdirSync(path.join(REPO_ROOT, "build"), { recursive: true });
      const work = fs.mkdtempSync(path.join(REPO_ROOT, "build", "notebook-test-"));
      try {
        const failing = path.join(work, "throws-in-third-cell.ipynb");
        const cells = ['console.log("first")', "const answer: number = 6 * 7;", 'throw new Error("planned failure " + answer);', 'console.log("never")'];
        fs.writeFileSync(failing, JSON.stringify(notebook(cells), null, 1));
        const out = path.join(work, "out");
        const run = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "run-notebooks.ts"), failing], {
          cwd: REPO_ROOT,
          env: { ...process.env, FLANLAB_NOTEBOOK_OUT: out, FLANLAB_CELL_TIMEOUT: "120" },
          encoding: "utf8",
        });
        const output = run.stdout + run.stderr;
        assert.notEqual(run.status, 0, output);
        assert.match(output, /throws-in-third-cell/);
        assert.match(output, /index 2, first line: throw new Error\("planned failure " \+ answer\);/);
        assert.match(output, /planned failure 42/);
        assert.match(output, /throws-in-third-cell\s+FAILED/);
        const saved = readNotebook(path.join(out, "throws-in-third-cell.ipynb"));
        assert.equal(saved.cells[0].execution_count, 1, "cells before the failure ran and were saved");
        assert.equal(saved.cells[3].execution_count, null, "cells after the failure did not run");
        assert.ok(fs.existsSync(path.join(out, "throws-in-third-cell.html")));
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
      }
    },
  );
});


it("a headless run starts the longest notebooks first and every notebook exactly once", () => {
  const files = listNotebooks();
  const ordered = runOrder(files);
  assert.deepEqual([...ordered].sort(), [...files].sort());
  assert.deepEqual(ordered.slice(0, LONGEST_FIRST.length).map((f) => path.basename(f, ".ipynb")), LONGEST_FIRST);
  const rest = ordered.slice(LONGEST_FIRST.length);
  assert.deepEqual(rest, files.filter((f) => rest.includes(f)), "the others keep their order by name");
  assert.deepEqual(runOrder(["/x/02_a.ipynb", "/x/01_single_task_fine_tuning.ipynb"]), ["/x/01_single_task_fine_tuning.ipynb", "/x/02_a.ipynb"]);
});
