// Remove outputs and execution counts from notebooks/*.ipynb (or the files given) before committing.
// Usage: npm run notebooks:strip [-- file.ipynb ...]
import * as path from "path";
import { listNotebooks, readNotebook, stripNotebook, writeNotebook } from "./notebook-files";

const files = process.argv.length > 2 ? process.argv.slice(2).map((file) => path.resolve(file)) : listNotebooks();
let changed = 0;
for (const file of files) {
  const notebook = readNotebook(file);
  if (stripNotebook(notebook)) {
    writeNotebook(file, notebook);
    changed += 1;
    console.log(`stripped ${path.relative(process.cwd(), file)}`);
  }
}
console.log(`${changed} of ${files.length} notebook(s) needed stripping.`);
