// docs/ARCHITECTURE.md's import rules, checked on every file of src/: the library never imports the lab or the
// CLI, and inside the library each area imports only the areas below it.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const SRC = path.join(__dirname, "..", "src");

/** The area of a file under src/: "core" for the top-level runtime files, else its first folder. */
function areaOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep);
  if (relative.length === 1) return relative[0] === "cli.ts" ? "cli" : relative[0] === "index.ts" ? "index" : "core";
  return relative[0];
}

const LIBRARY = ["core", "data", "model", "io", "train", "eval"];

/** Which areas each area may import (itself always). Keep in step with docs/ARCHITECTURE.md. */
const ALLOWED_IMPORTS: Record<string, readonly string[]> = {
  core: [],
  data: ["core"],
  model: ["core"],
  io: ["core", "model"],
  train: ["core", "data", "model", "io"],
  eval: ["core", "data", "model", "io"],
  index: LIBRARY,
  lab: [...LIBRARY, "index"],
  cli: [...LIBRARY, "index", "lab"],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Relative module specifiers a file imports: static imports and exports, import() and require(). */
function relativeImports(text: string): string[] {
  const found = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']*)["']/gm)];
  return found.map((m) => m[1]);
}

function resolveImport(fromFile: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) if (fs.existsSync(candidate)) return candidate;
  return null; // package.json and other non-source files
}

test("every area of src/ imports only what docs/ARCHITECTURE.md allows", () => {
  const files = sourceFiles(SRC);
  assert.ok(files.length > 50, `only ${files.length} files under src/`);
  const violations: string[] = [];
  for (const file of files) {
    const from = areaOf(file);
    const allowed = ALLOWED_IMPORTS[from];
    assert.ok(allowed, `${path.relative(SRC, file)}: area "${from}" is not in ALLOWED_IMPORTS`);
    for (const specifier of relativeImports(fs.readFileSync(file, "utf8"))) {
      const target = resolveImport(file, specifier);
      if (!target) continue;
      const to = areaOf(target);
      if (to !== from && !allowed.includes(to)) violations.push(`src/${path.relative(SRC, file)} (${from}) imports "${specifier}" (${to})`);
    }
  }
  assert.deepEqual(violations, []);
});

test("the import rules themselves: the library never reaches the lab or the CLI", () => {
  for (const area of LIBRARY) {
    assert.ok(!ALLOWED_IMPORTS[area].includes("lab") && !ALLOWED_IMPORTS[area].includes("cli"), area);
  }
  assert.ok(!ALLOWED_IMPORTS.lab.includes("cli"));
});

test("the checker sees imports of every form", () => {
  const text = 'import { a } from "./a";\nexport * from "../b";\nconst c = await import("./c");\nconst d = require("../d/e");\nimport "./f";';
  assert.deepEqual(relativeImports(text), ["./a", "../b", "./c", "../d/e", "./f"]);
});
