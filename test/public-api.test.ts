// The library's public surface (src/index.ts) is curated: every name it exports says in one line what it is.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..");

function publicExports(entry: string): { name: string; documented: boolean; file: string }[] {
  const program = ts.createProgram([entry], { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, strict: true, esModuleInterop: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!);
  assert.ok(module, `${entry} is not a module`);
  return checker.getExportsOfModule(module).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.declarations?.[0];
    return {
      name: exported.name,
      documented: symbol.getDocumentationComment(checker).some((part) => part.text.trim() !== ""),
      file: declaration ? path.relative(ROOT, declaration.getSourceFile().fileName) : "?",
    };
  });
}

test("every name the library exports has a doc comment", () => {
  const exports = publicExports(path.join(ROOT, "src", "index.ts"));
  assert.ok(exports.length > 50, `only ${exports.length} exports found: is src/index.ts read?`);
  const undocumented = exports.filter((e) => !e.documented).map((e) => `${e.file}: ${e.name}`);
  assert.deepEqual(undocumented, [], `undocumented public names:\n${undocumented.join("\n")}`);
});
