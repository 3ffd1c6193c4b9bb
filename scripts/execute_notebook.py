"""Execute one notebook with nbclient, sign it (trusted outputs) and save it, also when a cell fails.

Usage: execute_notebook.py IN.ipynb OUT.ipynb --cwd DIR [--timeout SECONDS] [--kernel NAME] [--plotly-src URL]

With --plotly-src, the inline Plotly bundle that a notebook displays once (src/lab/notebook/plots.ts,
plotlyLoaderHtml: about 10 MB) is replaced in the saved notebook by a <script src=URL>: one shared copy of the
bundle next to the executed notebooks serves them all.

Prints one line `FLANLAB_RESULT {json}` on stdout:
  {"ok": true} or {"ok": false, "cell": index, "first_line": ..., "error": ...}
Exit status: 0 ok, 1 a cell failed (the notebook is saved up to and including that cell), 2 bad usage.
Called by scripts/run-notebooks.ts, which reads the result line.
"""
import argparse
import json
import re
import sys

import nbformat
from nbformat.sign import NotebookNotary
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
ERROR_NAME = re.compile(r"^[\w$.]*(Error|Exception)\b")


def first_line(cell) -> str:
    lines = [line for line in cell.source.splitlines() if line.strip()]
    return lines[0].strip() if lines else ""


def message_from_outputs(cell) -> str:
    """tslab reports a failing cell on its stderr stream, without ename/evalue: take the message just above the stack."""
    text = "".join(out.get("text", "") for out in cell.get("outputs", []) if out.get("name") == "stderr")
    lines = [line.rstrip() for line in ANSI.sub("", text).splitlines()]
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith("at ")):
        lines.pop()
    block = []  # the lines above the stack, back to a blank line or the caret under the echoed source
    while lines and lines[-1].strip() not in ("", "^") and len(block) < 3:
        block.insert(0, lines.pop().strip())
    named = [i for i, line in enumerate(block) if ERROR_NAME.match(line)]
    return " / ".join(block[named[-1]:] if named else block)


def error_message(error: Exception, cell) -> str:
    ename = getattr(error, "ename", None)
    evalue = getattr(error, "evalue", None)
    if ename and ename != "<Error>":  # a kernel that names its errors
        return ANSI.sub("", f"{ename}: {evalue}").strip()
    stopped = isinstance(error, (CellTimeoutError, DeadKernelError))  # then stderr holds only the aftermath
    from_outputs = message_from_outputs(cell) if cell is not None and not stopped else ""
    if from_outputs:
        return from_outputs
    lines = str(error).strip().splitlines()  # e.g. a cell timeout: its first line says it all
    return ANSI.sub("", f"{type(error).__name__}: {lines[0] if lines else ''}").strip()


PLOTLY_LOADER_ATTRIBUTE = "data-flanlab-plotly"  # src/lab/notebook/plots.ts, PLOTLY_LOADER_ATTRIBUTE


def share_plotly(notebook, plotly_src: str) -> int:
    """Replace each inline Plotly loader output by a reference to plotly_src; returns how many were replaced."""
    replaced = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            text = "".join(html) if isinstance(html, list) else html
            if text and PLOTLY_LOADER_ATTRIBUTE in text and len(text) > 100_000:
                output["data"]["text/html"] = f'<script type="text/javascript" src="{plotly_src}" {PLOTLY_LOADER_ATTRIBUTE}></script>'
                replaced += 1
    return replaced


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--cwd", required=True, help="kernel working directory")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    parser.add_argument("--kernel", default="tslab")
    parser.add_argument("--plotly-src", help="URL of a shared Plotly bundle to reference instead of the inline one")
    args = parser.parse_args()

    notebook = nbformat.read(args.source, as_version=4)
    current = {"index": None}

    def on_cell_start(cell, cell_index):
        current["index"] = cell_index

    client = NotebookClient(
        notebook,
        timeout=args.timeout,
        kernel_name=args.kernel,
        resources={"metadata": {"path": args.cwd}},
        on_cell_start=on_cell_start,
    )
    result = {"ok": True}
    try:
        client.execute()
    except Exception as error:  # a failing cell, a cell timeout, a dead kernel, a kernel that never started
        index = current["index"]
        cell = notebook.cells[index] if index is not None else None
        result = {
            "ok": False,
            "cell": index,
            "first_line": first_line(cell) if cell is not None else "",
            "error": error_message(error, cell),
        }
    finally:
        # Signed: Jupyter then trusts the outputs this run made (figures, styles, progress) when the notebook is
        # opened on this machine; elsewhere `jupyter trust NOTEBOOK` does the same.
        if args.plotly_src:
            share_plotly(notebook, args.plotly_src)
        NotebookNotary().sign(notebook)
        nbformat.write(notebook, args.target)  # partially executed on failure: readable up to the error

    print("FLANLAB_RESULT " + json.dumps(result), flush=True)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
