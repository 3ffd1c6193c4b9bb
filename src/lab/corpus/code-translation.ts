// Small Python programs and their JavaScript equivalents, generated together from a grammar of program shapes.
//
// Every shape is written twice, once per language, so a pair computes exactly the same thing: arithmetic functions,
// conditionals, loops over lists, string formatting, comprehensions vs .map/.filter, dict vs object access, string
// and list methods. Python uses 4-space indentation and snake_case, JavaScript 2-space indentation, camelCase,
// semicolons, const/let and strict equality. Constructs whose meaning differs between the languages are avoided
// or translated to their true equivalent: `//` becomes Math.floor(a / b), str.replace becomes replaceAll,
// sorted() gets a numeric comparator, `/` (float division) and printing of lists or booleans are never used.
//
// Each pair carries a check (sample calls of a function, or the variables and printed lines of a snippet) that the
// tests run in both languages; records drop it.
import { Random } from "../../random";
import { CITIES, COLORS, FIRST_NAMES } from "./vocabulary";

export const CODE_TRANSLATION_GENERATOR_VERSION = "1";

export const CODE_DIRECTIONS = ["python->javascript", "javascript->python"] as const;
export type CodeDirection = (typeof CODE_DIRECTIONS)[number];

/** How the tests run a pair: call a function with sample arguments, or run a snippet and compare its results. */
export type CodeCheck =
  | { type: "function"; pythonName: string; javascriptName: string; calls: unknown[][] }
  | { type: "snippet"; variables: { python: string; javascript: string }[]; prints: boolean };

export interface CodePair {
  kind: string;
  direction: CodeDirection;
  python: string;
  javascript: string;
  check: CodeCheck;
}

export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Names and values

const NUMBER_NAMES = [
  "price", "count", "width", "height", "amount", "score", "speed", "distance", "age", "level", "size", "weight",
  "rate", "quantity", "hours", "minutes", "points", "value", "limit", "days", "total_cost", "base_price",
  "item_count", "max_speed", "num_guests", "unit_price", "bonus", "discount", "year", "step",
];
/** Plural list name and the loop variable for one element. */
const NUMBER_LISTS: [string, string][] = [
  ["prices", "price"], ["scores", "score"], ["numbers", "number"], ["values", "value"], ["ages", "age"],
  ["totals", "total"], ["readings", "reading"], ["temperatures", "temp"], ["counts", "count"], ["sizes", "size"],
  ["distances", "distance"], ["order_totals", "order_total"], ["daily_sales", "sale"], ["weights", "weight"],
  ["lap_times", "lap_time"], ["ratings", "rating"],
];
const STRING_LISTS: [string, string][] = [
  ["names", "name"], ["words", "word"], ["cities", "city"], ["colors", "color"], ["tags", "tag"], ["titles", "title"],
  ["labels", "label"], ["usernames", "username"], ["file_names", "file_name"], ["fruits", "fruit"],
];
const STRING_NAMES = ["name", "city", "title", "username", "product", "label", "word", "message", "color", "country", "first_name", "user_name"];
const WORDS = ["apple", "river", "garden", "window", "rocket", "pencil", "coffee", "summer", "planet", "silver", "forest", "button", "orange", "lemon", "tiger", "cloud"];
const FUNCTION_VERBS = ["compute", "calculate", "get", "find", "estimate", "make"];
const FUNCTION_NOUNS = ["total", "area", "cost", "score", "result", "price", "distance", "budget", "volume", "payment", "fee", "points"];
const OBJECT_NAMES = ["user", "order", "book", "item", "car", "city", "movie", "pet", "player", "room"];
/** Fields of a record-like object, with the kind of value each holds. */
const OBJECT_FIELDS: [string, "int" | "str"][] = [
  ["name", "str"], ["age", "int"], ["city", "str"], ["price", "int"], ["color", "str"], ["year", "int"],
  ["rating", "int"], ["owner", "str"], ["size", "int"], ["title", "str"], ["stock", "int"], ["level", "int"],
  ["country", "str"], ["score", "int"],
];

/** A plausible value for an object field. */
function fieldValue(random: Random, key: string, kind: "int" | "str"): number | string {
  if (kind === "int") return key === "year" ? random.int(1990, 2024) : random.int(1, 99);
  if (key === "name" || key === "owner") return random.pick(FIRST_NAMES);
  if (key === "city") return random.pick(CITIES);
  if (key === "color") return random.pick(COLORS);
  if (key === "country") return random.pick(COUNTRIES);
  return capitalizeWord(random.pick(WORDS));
}

const COUNTRIES = ["Spain", "Canada", "Kenya", "Japan", "Brazil", "Norway", "Peru", "India", "Egypt", "Chile"];

function capitalizeWord(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

function sampleNames(random: Random, pool: readonly string[], k: number, avoid: readonly string[] = []): string[] {
  return random.sample(pool.filter((n) => !avoid.includes(n)), k);
}

function functionName(random: Random, prefix?: string): string {
  return `${prefix ?? random.pick(FUNCTION_VERBS)}_${random.pick(FUNCTION_NOUNS)}`;
}

function intList(random: Random, min = 1, max = 5, lo = -5, hi = 40): number[] {
  return Array.from({ length: random.int(min, max) }, () => random.int(lo, hi));
}

function word(random: Random): string {
  return random.chance(0.5) ? random.pick(WORDS) : random.pick(FIRST_NAMES);
}

function quote(text: string): string {
  return `"${text}"`;
}

function pyList(values: readonly (number | string)[]): string {
  return `[${values.map((v) => (typeof v === "string" ? quote(v) : String(v))).join(", ")}]`;
}

function jsArray(values: readonly (number | string)[]): string {
  return pyList(values);
}

function indent(depth: number, language: "python" | "javascript", text: string): string {
  return (language === "python" ? "    " : "  ").repeat(depth) + text;
}

const py = (depth: number, text: string) => indent(depth, "python", text);
const js = (depth: number, text: string) => indent(depth, "javascript", text);

function callsOf(random: Random, n: number, makeArgs: () => unknown[]): unknown[][] {
  return Array.from({ length: n }, makeArgs);
}

interface Program {
  python: string[];
  javascript: string[];
  check: CodeCheck;
}

function fnCheck(pythonName: string, calls: unknown[][]): CodeCheck {
  return { type: "function", pythonName, javascriptName: snakeToCamel(pythonName), calls };
}

function snippetCheck(variables: string[], prints: boolean): CodeCheck {
  return { type: "snippet", variables: variables.map((v) => ({ python: v, javascript: snakeToCamel(v) })), prints };
}

// ---------------------------------------------------------------------------------------------------------------
// Arithmetic expressions, printed with the same precedence in both languages

type Expr =
  | { k: "var"; name: string }
  | { k: "num"; value: number }
  | { k: "bin"; op: "+" | "-" | "*"; left: Expr; right: Expr }
  | { k: "floordiv"; body: Expr; divisor: number };

function precedence(e: Expr, language: "python" | "javascript"): number {
  if (e.k === "bin") return e.op === "*" ? 2 : 1;
  if (e.k === "floordiv") return language === "python" ? 2 : 3; // JS prints Math.floor(...), an atom
  return 3;
}

function printExpr(e: Expr, language: "python" | "javascript"): string {
  switch (e.k) {
    case "var":
      return language === "python" ? e.name : snakeToCamel(e.name);
    case "num":
      return String(e.value);
    case "bin": {
      const p = precedence(e, language);
      const left = printExpr(e.left, language);
      const right = printExpr(e.right, language);
      const l = precedence(e.left, language) < p ? `(${left})` : left;
      const r = precedence(e.right, language) <= p ? `(${right})` : right;
      return `${l} ${e.op} ${r}`;
    }
    case "floordiv": {
      const body = printExpr(e.body, language);
      const wrapped = precedence(e.body, language) < 2 ? `(${body})` : body;
      return language === "python" ? `${wrapped} // ${e.divisor}` : `Math.floor(${wrapped} / ${e.divisor})`;
    }
  }
}

/** An expression using every name once, and at most one or two small constants. */
function randomExpr(random: Random, names: string[]): Expr {
  const leaves: Expr[] = names.map((name) => ({ k: "var", name }));
  const constants = names.length === 1 ? random.int(1, 2) : random.weightedIndex([2, 3, 1]);
  for (let i = 0; i < constants; i++) leaves.push({ k: "num", value: random.int(2, 12) });
  let pool = random.shuffle(leaves);
  while (pool.length > 1) {
    const i = random.int(0, pool.length - 2);
    const op = random.pick(["+", "-", "*", "*", "+"] as const);
    const joined: Expr = { k: "bin", op, left: pool[i], right: pool[i + 1] };
    pool = [...pool.slice(0, i), joined, ...pool.slice(i + 2)];
  }
  let expr = pool[0];
  if (random.chance(0.2)) expr = { k: "floordiv", body: expr, divisor: random.int(2, 5) };
  return expr;
}

// ---------------------------------------------------------------------------------------------------------------
// Program shapes

function arithmeticFunction(random: Random): Program {
  const params = sampleNames(random, NUMBER_NAMES, random.weightedIndex([0, 2, 4, 2]) + 1);
  const name = functionName(random);
  const sig = params.join(", ");
  const jsSig = params.map(snakeToCamel).join(", ");
  const makeArgs = () => params.map(() => random.int(-10, 50));
  if (random.chance(0.35)) {
    // A local variable, then a return that uses it.
    const local = random.pick(["result", "subtotal", "base", "adjusted", "partial"]);
    const first = randomExpr(random, params);
    const second = randomExpr(random, [local]);
    return {
      python: [`def ${name}(${sig}):`, py(1, `${local} = ${printExpr(first, "python")}`), py(1, `return ${printExpr(second, "python")}`)],
      javascript: [
        `function ${snakeToCamel(name)}(${jsSig}) {`,
        js(1, `const ${local} = ${printExpr(first, "javascript")};`),
        js(1, `return ${printExpr(second, "javascript")};`),
        "}",
      ],
      check: fnCheck(name, callsOf(random, 3, makeArgs)),
    };
  }
  const expr = randomExpr(random, params);
  return {
    python: [`def ${name}(${sig}):`, py(1, `return ${printExpr(expr, "python")}`)],
    javascript: [`function ${snakeToCamel(name)}(${jsSig}) {`, js(1, `return ${printExpr(expr, "javascript")};`), "}"],
    check: fnCheck(name, callsOf(random, 3, makeArgs)),
  };
}

const COMPARISONS = [">", "<", ">=", "<=", "==", "!="] as const;
function jsComparison(op: string): string {
  return op === "==" ? "===" : op === "!=" ? "!==" : op;
}

const LABEL_SETS = [
  ["high", "medium", "low"], ["hot", "warm", "cold"], ["large", "medium", "small"], ["fast", "normal", "slow"],
  ["gold", "silver", "bronze"], ["expensive", "fair", "cheap"], ["late", "on time", "early"], ["senior", "adult", "junior"],
];

function conditionalFunction(random: Random): Program {
  const [x] = sampleNames(random, NUMBER_NAMES, 1);
  const X = snakeToCamel(x);
  const labels = random.pick(LABEL_SETS);
  const name = `${random.pick(["classify", "label", "rate", "describe", "grade"])}_${x}`;
  const high = random.int(20, 60);
  const makeArgs = () => [random.pick([high, high - 5, random.int(0, 80), random.int(-5, 25)])];
  if (random.chance(0.5)) {
    const low = random.int(5, high - 5);
    return {
      python: [
        `def ${name}(${x}):`,
        py(1, `if ${x} >= ${high}:`),
        py(2, `return ${quote(labels[0])}`),
        py(1, `elif ${x} >= ${low}:`),
        py(2, `return ${quote(labels[1])}`),
        py(1, `return ${quote(labels[2])}`),
      ],
      javascript: [
        `function ${snakeToCamel(name)}(${X}) {`,
        js(1, `if (${X} >= ${high}) {`),
        js(2, `return ${quote(labels[0])};`),
        js(1, `} else if (${X} >= ${low}) {`),
        js(2, `return ${quote(labels[1])};`),
        js(1, "}"),
        js(1, `return ${quote(labels[2])};`),
        "}",
      ],
      check: fnCheck(name, callsOf(random, 4, makeArgs)),
    };
  }
  const op = random.pick(COMPARISONS);
  const withElse = random.chance(0.5);
  const python = [`def ${name}(${x}):`, py(1, `if ${x} ${op} ${high}:`), py(2, `return ${quote(labels[0])}`)];
  const javascript = [`function ${snakeToCamel(name)}(${X}) {`, js(1, `if (${X} ${jsComparison(op)} ${high}) {`), js(2, `return ${quote(labels[0])};`)];
  if (withElse) {
    python.push(py(1, "else:"), py(2, `return ${quote(labels[2])}`));
    javascript.push(js(1, "} else {"), js(2, `return ${quote(labels[2])};`), js(1, "}"), "}");
  } else {
    python.push(py(1, `return ${quote(labels[2])}`));
    javascript.push(js(1, "}"), js(1, `return ${quote(labels[2])};`), "}");
  }
  return { python, javascript, check: fnCheck(name, callsOf(random, 4, makeArgs)) };
}

function numericListArgs(random: Random, min = 0): () => unknown[] {
  return () => [intList(random, min, 6)];
}

function loopAccumulate(random: Random): Program {
  const [list, item] = random.pick(NUMBER_LISTS);
  const L = snakeToCamel(list);
  const I = snakeToCamel(item);
  const variant = random.int(0, 3);
  if (variant === 0) {
    // Sum, possibly of a scaled element.
    const acc = random.pick(["total", "result", "running_sum", "grand_total"].filter((a) => a !== item));
    const A = snakeToCamel(acc);
    const k = random.int(2, 10);
    const scaled = random.chance(0.5);
    const name = functionName(random, random.pick(["sum", "add_up", "total"]));
    const term = scaled ? `${item} * ${k}` : item;
    const jsTerm = scaled ? `${I} * ${k}` : I;
    return {
      python: [`def ${name}(${list}):`, py(1, `${acc} = 0`), py(1, `for ${item} in ${list}:`), py(2, `${acc} += ${term}`), py(1, `return ${acc}`)],
      javascript: [
        `function ${snakeToCamel(name)}(${L}) {`,
        js(1, `let ${A} = 0;`),
        js(1, `for (const ${I} of ${L}) {`),
        js(2, `${A} += ${jsTerm};`),
        js(1, "}"),
        js(1, `return ${A};`),
        "}",
      ],
      check: fnCheck(name, callsOf(random, 3, numericListArgs(random))),
    };
  }
  if (variant === 1) {
    // Count the elements that pass a test.
    const op = random.pick([">", "<", ">=", "<="]);
    const k = random.int(0, 30);
    const name = `count_${random.pick(["big", "small", "matching", "valid", "high"])}_${list}`;
    const counter = item === "count" ? "matches" : "count";
    return {
      python: [
        `def ${name}(${list}):`,
        py(1, `${counter} = 0`),
        py(1, `for ${item} in ${list}:`),
        py(2, `if ${item} ${op} ${k}:`),
        py(3, `${counter} += 1`),
        py(1, `return ${counter}`),
      ],
      javascript: [
        `function ${snakeToCamel(name)}(${L}) {`,
        js(1, `let ${counter} = 0;`),
        js(1, `for (const ${I} of ${L}) {`),
        js(2, `if (${I} ${op} ${k}) {`),
        js(3, `${counter} += 1;`),
        js(2, "}"),
        js(1, "}"),
        js(1, `return ${counter};`),
        "}",
      ],
      check: fnCheck(name, callsOf(random, 3, numericListArgs(random))),
    };
  }
  if (variant === 2) {
    // Largest or smallest element by hand.
    const largest = random.chance(0.5);
    const best = largest ? random.pick(["best", "largest", "highest"]) : random.pick(["best", "smallest", "lowest"]);
    const op = largest ? ">" : "<";
    const noun = item === "temp" ? "temperature" : item;
    const name = random.pick(largest ? [`max_${noun}`, `largest_${noun}`, `find_max`, `highest_${noun}`] : [`min_${noun}`, `smallest_${noun}`, `find_min`, `lowest_${noun}`]);
    return {
      python: [
        `def ${name}(${list}):`,
        py(1, `${best} = ${list}[0]`),
        py(1, `for ${item} in ${list}:`),
        py(2, `if ${item} ${op} ${best}:`),
        py(3, `${best} = ${item}`),
        py(1, `return ${best}`),
      ],
      javascript: [
        `function ${snakeToCamel(name)}(${L}) {`,
        js(1, `let ${best} = ${L}[0];`),
        js(1, `for (const ${I} of ${L}) {`),
        js(2, `if (${I} ${op} ${best}) {`),
        js(3, `${best} = ${I};`),
        js(2, "}"),
        js(1, "}"),
        js(1, `return ${best};`),
        "}",
      ],
      check: fnCheck(name, callsOf(random, 3, numericListArgs(random, 1))),
    };
  }
  // Build a new list in a loop with append/push.
  const out = random.pick(["result", "kept", "selected", "chosen"]);
  const k = random.int(0, 25);
  const op = random.pick([">", "<", ">=", "<="]);
  const name = `${random.pick(["keep", "select", "pick"])}_${list}`;
  return {
    python: [
      `def ${name}(${list}):`,
      py(1, `${out} = []`),
      py(1, `for ${item} in ${list}:`),
      py(2, `if ${item} ${op} ${k}:`),
      py(3, `${out}.append(${item})`),
      py(1, `return ${out}`),
    ],
    javascript: [
      `function ${snakeToCamel(name)}(${L}) {`,
      js(1, `const ${out} = [];`),
      js(1, `for (const ${I} of ${L}) {`),
      js(2, `if (${I} ${op} ${k}) {`),
      js(3, `${out}.push(${I});`),
      js(2, "}"),
      js(1, "}"),
      js(1, `return ${out};`),
      "}",
    ],
    check: fnCheck(name, callsOf(random, 3, numericListArgs(random))),
  };
}

function rangeLoop(random: Random): Program {
  const n = random.pick(["n", "limit", "count", "steps", "size"]);
  const acc = random.pick(["total", "result", "acc"]);
  const fromOne = random.chance(0.5);
  const body = random.pick(["i", "i * i", `i * ${random.int(2, 9)}`, `i + ${random.int(1, 9)}`, `${random.int(2, 9)} * i - 1`]);
  const name = random.pick(["sum_up_to", "add_numbers", "build_total", "sum_series", "series_total", "accumulate", "running_total"]);
  const pyRange = fromOne ? `range(1, ${n} + 1)` : `range(${n})`;
  const jsLoop = fromOne ? `for (let i = 1; i <= ${n}; i++) {` : `for (let i = 0; i < ${n}; i++) {`;
  return {
    python: [`def ${name}(${n}):`, py(1, `${acc} = 0`), py(1, `for i in ${pyRange}:`), py(2, `${acc} += ${body}`), py(1, `return ${acc}`)],
    javascript: [
      `function ${snakeToCamel(name)}(${n}) {`,
      js(1, `let ${acc} = 0;`),
      js(1, jsLoop),
      js(2, `${acc} += ${body};`),
      js(1, "}"),
      js(1, `return ${acc};`),
      "}",
    ],
    check: fnCheck(name, callsOf(random, 3, () => [random.int(0, 12)])),
  };
}

function whileLoop(random: Random): Program {
  const [x] = sampleNames(random, ["n", "value", "amount", "balance", "population", "size", "distance", "budget"], 1);
  const d = random.int(2, 4);
  const limit = random.int(1, 9);
  const divide = random.chance(0.5);
  const name = divide
    ? random.pick(["count_halvings", "steps_until_small", "shrink_steps", "count_divisions"])
    : random.pick(["count_payments", "steps_to_limit", "count_rounds", "countdown_steps"]);
  const counter = random.pick(["steps", "rounds", "count", "times"]);
  const pyUpdate = divide ? `${x} = ${x} // ${d}` : `${x} -= ${d + random.int(0, 6)}`;
  const jsUpdate = divide ? `${x} = Math.floor(${x} / ${d});` : `${pyUpdate};`;
  return {
    python: [
      `def ${name}(${x}):`,
      py(1, `${counter} = 0`),
      py(1, `while ${x} > ${limit}:`),
      py(2, pyUpdate),
      py(2, `${counter} += 1`),
      py(1, `return ${counter}`),
    ],
    javascript: [
      `function ${snakeToCamel(name)}(${x}) {`,
      js(1, `let ${counter} = 0;`),
      js(1, `while (${x} > ${limit}) {`),
      js(2, jsUpdate),
      js(2, `${counter} += 1;`),
      js(1, "}"),
      js(1, `return ${counter};`),
      "}",
    ],
    check: fnCheck(name, callsOf(random, 3, () => [random.int(-3, 500)])),
  };
}

/** A comprehension (map, filter, or both) against .map/.filter, as a function or as two statements. */
function comprehension(random: Random): Program {
  const [list, item] = random.pick(NUMBER_LISTS);
  const L = snakeToCamel(list);
  const I = snakeToCamel(item);
  const k = random.int(2, 10);
  const mapping = random.pick([
    { py: `${item} * ${k}`, js: `${I} * ${k}` },
    { py: `${item} + ${k}`, js: `${I} + ${k}` },
    { py: `${item} - ${k}`, js: `${I} - ${k}` },
    { py: `${item} * ${item}`, js: `${I} * ${I}` },
    { py: `${item} // ${k}`, js: `Math.floor(${I} / ${k})` },
  ]);
  const condition = random.pick([
    { py: `${item} > ${k}`, js: `${I} > ${k}` },
    { py: `${item} < ${k}`, js: `${I} < ${k}` },
    { py: `${item} % 2 == 0`, js: `${I} % 2 === 0` },
    { py: `${item} != ${k}`, js: `${I} !== ${k}` },
    { py: `${item} >= 0`, js: `${I} >= 0` },
  ]);
  const shape = random.pick(["map", "filter", "both"] as const);
  const pyComp =
    shape === "map"
      ? `[${mapping.py} for ${item} in ${list}]`
      : shape === "filter"
        ? `[${item} for ${item} in ${list} if ${condition.py}]`
        : `[${mapping.py} for ${item} in ${list} if ${condition.py}]`;
  const jsChain =
    shape === "map"
      ? `${L}.map((${I}) => ${mapping.js})`
      : shape === "filter"
        ? `${L}.filter((${I}) => ${condition.js})`
        : `${L}.filter((${I}) => ${condition.js}).map((${I}) => ${mapping.js})`;
  const result = shape === "filter" ? random.pick(["kept", "selected", "filtered", "matches"]) : random.pick(["converted", "adjusted", "scaled", "new_values", "result"]);
  if (random.chance(0.5)) {
    const name = shape === "filter" ? `filter_${list}` : `transform_${list}`;
    return {
      python: [`def ${name}(${list}):`, py(1, `return ${pyComp}`)],
      javascript: [`function ${snakeToCamel(name)}(${L}) {`, js(1, `return ${jsChain};`), "}"],
      check: fnCheck(name, callsOf(random, 3, numericListArgs(random))),
    };
  }
  const values = intList(random, 2, 6, 0, 30);
  const python = [`${list} = ${pyList(values)}`, `${result} = ${pyComp}`];
  const javascript = [`const ${L} = ${jsArray(values)};`, `const ${snakeToCamel(result)} = ${jsChain};`];
  const prints = random.chance(0.5);
  if (prints) {
    python.push(`print(len(${result}))`);
    javascript.push(`console.log(${snakeToCamel(result)}.length);`);
  }
  return { python, javascript, check: snippetCheck([list, result], prints) };
}

const MESSAGES: { text: (a: string, b: string) => string; kinds: ["str", "int"] | ["str", "str"] | ["int", "str"] }[] = [
  { text: (a, b) => `${a} has ${b} points`, kinds: ["str", "int"] },
  { text: (a, b) => `Hello, ${a}! You have ${b} new messages.`, kinds: ["str", "int"] },
  { text: (a, b) => `${a} lives in ${b}`, kinds: ["str", "str"] },
  { text: (a, b) => `Order for ${a}: ${b} items`, kinds: ["str", "int"] },
  { text: (a, b) => `${a} items left in ${b}`, kinds: ["int", "str"] },
  { text: (a, b) => `Welcome back, ${a} from ${b}`, kinds: ["str", "str"] },
  { text: (a, b) => `${a} - ${b}`, kinds: ["str", "str"] },
  { text: (a, b) => `Total for ${a}: ${b} dollars`, kinds: ["str", "int"] },
];

/** f-strings against template literals, as a function or as a snippet that prints. */
function stringFormatting(random: Random): Program {
  const message = random.pick(MESSAGES);
  const [first, second] = message.kinds.map((kind) => random.pick(kind === "int" ? NUMBER_NAMES : STRING_NAMES));
  const names = [first, second === first ? (message.kinds[1] === "int" ? "amount" : "place") : second];
  const pyText = `f"${message.text(`{${names[0]}}`, `{${names[1]}}`)}"`;
  const jsText = `\`${message.text(`\${${snakeToCamel(names[0])}}`, `\${${snakeToCamel(names[1])}}`)}\``;
  const valueOf = (kind: "str" | "int") => (kind === "int" ? random.int(0, 99) : word(random));
  if (random.chance(0.5)) {
    const name = random.pick(["format_message", "make_greeting", "describe", "build_label", "summary_line", "status_text"]);
    return {
      python: [`def ${name}(${names.join(", ")}):`, py(1, `return ${pyText}`)],
      javascript: [`function ${snakeToCamel(name)}(${names.map(snakeToCamel).join(", ")}) {`, js(1, `return ${jsText};`), "}"],
      check: fnCheck(name, callsOf(random, 2, () => message.kinds.map(valueOf))),
    };
  }
  const values = message.kinds.map(valueOf);
  const literal = (v: unknown) => (typeof v === "string" ? quote(v) : String(v));
  return {
    python: [`${names[0]} = ${literal(values[0])}`, `${names[1]} = ${literal(values[1])}`, `print(${pyText})`],
    javascript: [
      `const ${snakeToCamel(names[0])} = ${literal(values[0])};`,
      `const ${snakeToCamel(names[1])} = ${literal(values[1])};`,
      `console.log(${jsText});`,
    ],
    check: snippetCheck(names, true),
  };
}

/** Dict literal and access against an object literal and property access. */
function dictAccess(random: Random): Program {
  const objectName = random.pick(OBJECT_NAMES);
  const fields = random.sample(OBJECT_FIELDS.filter(([key]) => key !== objectName), random.int(2, 3));
  const values = fields.map(([key, kind]) => fieldValue(random, key, kind));
  const literal = (v: unknown) => (typeof v === "string" ? quote(v) : String(v));
  const pyDict = `{${fields.map(([key], i) => `${quote(key)}: ${literal(values[i])}`).join(", ")}}`;
  const jsObject = `{ ${fields.map(([key], i) => `${key}: ${literal(values[i])}`).join(", ")} }`;
  const python = [`${objectName} = ${pyDict}`];
  const javascript = [`const ${objectName} = ${jsObject};`];
  const intFields = fields.filter(([, kind]) => kind === "int");
  const [key] = random.pick(fields);
  const variant = random.int(0, 3);
  if (variant === 0 && intFields.length > 0) {
    const [intKey] = random.pick(intFields);
    const k = random.int(1, 10);
    python.push(`${objectName}["${intKey}"] += ${k}`);
    javascript.push(`${objectName}.${intKey} += ${k};`);
    python.push(`print(${objectName}["${intKey}"])`);
    javascript.push(`console.log(${objectName}.${intKey});`);
  } else if (variant === 1) {
    const missing = random.pick(["email", "phone", "nickname", "discount", "notes"]);
    const fallback = random.chance(0.5) ? quote("none") : "0";
    python.push(`${missing} = ${objectName}.get("${missing}", ${fallback})`);
    javascript.push(`const ${missing} = ${objectName}.${missing} ?? ${fallback};`);
    python.push(`print(${objectName}["${key}"], ${missing})`);
    javascript.push(`console.log(${objectName}.${key}, ${missing});`);
    return { python, javascript, check: snippetCheck([objectName, missing], true) };
  } else if (variant === 2) {
    const newKey = random.pick(["status", "country", "category", "note"]);
    const newValue = random.pick(["active", "sold", "new", "archived", "pending", "open", "closed"]);
    python.push(`${objectName}["${newKey}"] = "${newValue}"`);
    javascript.push(`${objectName}.${newKey} = "${newValue}";`);
    python.push(`print(len(${objectName}))`);
    javascript.push(`console.log(Object.keys(${objectName}).length);`);
  } else {
    python.push(`print(${objectName}["${key}"])`);
    javascript.push(`console.log(${objectName}.${key});`);
  }
  return { python, javascript, check: snippetCheck([objectName], true) };
}

/** A one-line function reading a field of a dict/object argument. */
function dictFunction(random: Random): Program {
  const objectName = random.pick(OBJECT_NAMES);
  const fields = random.sample(OBJECT_FIELDS.filter(([key]) => key !== objectName), 2);
  const [[keyA, kindA], [keyB, kindB]] = fields;
  const makeArgs = () => [Object.fromEntries(fields.map(([key, kind]) => [key, fieldValue(random, key, kind)]))];
  if (kindA === "int" && kindB === "int") {
    const name = `${objectName}_${random.pick(["total", "sum", "combined"])}`;
    return {
      python: [`def ${name}(${objectName}):`, py(1, `return ${objectName}["${keyA}"] + ${objectName}["${keyB}"]`)],
      javascript: [`function ${snakeToCamel(name)}(${objectName}) {`, js(1, `return ${objectName}.${keyA} + ${objectName}.${keyB};`), "}"],
      check: fnCheck(name, callsOf(random, 2, makeArgs)),
    };
  }
  if (kindA === "int" && random.chance(0.5)) {
    const k = random.int(2, 12);
    const op = random.pick(["*", "+", "-"]);
    const name = `${random.pick(["adjusted", "scaled", "new"])}_${keyA}`;
    return {
      python: [`def ${name}(${objectName}):`, py(1, `return ${objectName}["${keyA}"] ${op} ${k}`)],
      javascript: [`function ${snakeToCamel(name)}(${objectName}) {`, js(1, `return ${objectName}.${keyA} ${op} ${k};`), "}"],
      check: fnCheck(name, callsOf(random, 2, makeArgs)),
    };
  }
  if (kindA === "str" && random.chance(0.5)) {
    const name = `describe_${objectName}`;
    const pyText = `f"${capitalizeWord(objectName)} ${keyA}: {${objectName}['${keyA}']}"`;
    const jsText = `\`${capitalizeWord(objectName)} ${keyA}: \${${objectName}.${keyA}}\``;
    return {
      python: [`def ${name}(${objectName}):`, py(1, `return ${pyText}`)],
      javascript: [`function ${snakeToCamel(name)}(${objectName}) {`, js(1, `return ${jsText};`), "}"],
      check: fnCheck(name, callsOf(random, 2, makeArgs)),
    };
  }
  const name = `${random.pick(["get", "read", "fetch", "lookup"])}_${objectName}_${keyA}`;
  return {
    python: [`def ${name}(${objectName}):`, py(1, `return ${objectName}["${keyA}"]`)],
    javascript: [`function ${snakeToCamel(name)}(${objectName}) {`, js(1, `return ${objectName}.${keyA};`), "}"],
    check: fnCheck(name, callsOf(random, 2, makeArgs)),
  };
}

/** String methods with different names in the two languages. */
function stringMethods(random: Random): Program {
  const [text] = sampleNames(random, [
    "text", "name", "title", "line", "word", "label", "message", "city", "username", "file_name", "product", "color",
    "country", "tag", "note", "comment", "headline", "code",
  ], 1);
  const t = text;
  const T = snakeToCamel(text);
  const letter = random.pick(["a", "e", "o", "s", "t", "i", "n", "r"]);
  const other = random.pick(["_", "-", "*", "#", "."]);
  const affix = random.pick(["a", "th", "re", "un", "pre", "ing", "ed", "s", "er", "on"]);
  const k = random.int(2, 6);
  const punct = random.pick(["!", "?", "!!", "...", ":"]);
  const variants: { names: string[]; py: string; js: string }[] = [
    { names: ["shout", "make_loud", "emphasize"], py: `${t}.upper() + "${punct}"`, js: `${T}.toUpperCase() + "${punct}"` },
    { names: ["normalize", "clean", "tidy"], py: `${t}.strip().lower()`, js: `${T}.trim().toLowerCase()` },
    { names: ["clean_upper", "normalize_upper"], py: `${t}.strip().upper()`, js: `${T}.trim().toUpperCase()` },
    { names: ["replace_letter", "mask_letter", "swap_letter"], py: `${t}.replace("${letter}", "${other}")`, js: `${T}.replaceAll("${letter}", "${other}")` },
    { names: ["has_prefix", "starts_right"], py: `${t}.startswith("${affix}")`, js: `${T}.startsWith("${affix}")` },
    { names: ["has_suffix", "ends_right"], py: `${t}.endswith("${affix}")`, js: `${T}.endsWith("${affix}")` },
    { names: ["contains_letter", "has_letter"], py: `"${letter}" in ${t}`, js: `${T}.includes("${letter}")` },
    { names: ["text_length", "count_chars"], py: `len(${t}) + ${k}`, js: `${T}.length + ${k}` },
    { names: ["is_long", "is_too_long"], py: `len(${t}) > ${k + 2}`, js: `${T}.length > ${k + 2}` },
    { names: ["capitalize_first", "title_case"], py: `${t}[0].upper() + ${t}[1:]`, js: `${T}[0].toUpperCase() + ${T}.slice(1)` },
    { names: ["first_part", "prefix_of", "shorten"], py: `${t}[:${k}]`, js: `${T}.slice(0, ${k})` },
    { names: ["last_part", "suffix_of", "ending"], py: `${t}[-${k}:]`, js: `${T}.slice(-${k})` },
    { names: ["count_letter", "letter_count"], py: `${t}.count("${letter}")`, js: `${T}.split("${letter}").length - 1` },
    { names: ["repeat_text", "double_text", "echo"], py: `${t} * ${k}`, js: `${T}.repeat(${k})` },
    { names: ["find_letter", "letter_position"], py: `${t}.find("${letter}")`, js: `${T}.indexOf("${letter}")` },
    { names: ["split_words", "words_of"], py: `${t}.split(" ")`, js: `${T}.split(" ")` },
  ];
  const variant = random.pick(variants);
  const name = random.pick(variant.names);
  const makeArgs = () => [random.chance(0.3) ? ` ${word(random)} ${word(random)} ` : word(random)];
  return {
    python: [`def ${name}(${t}):`, py(1, `return ${variant.py}`)],
    javascript: [`function ${snakeToCamel(name)}(${T}) {`, js(1, `return ${variant.js};`), "}"],
    check: fnCheck(name, callsOf(random, 3, makeArgs)),
  };
}

/** List built-ins and methods: len, append, sum, max, min, sorted, slicing, membership, join, last element. */
function listOps(random: Random): Program {
  const numeric = random.chance(0.65);
  const [list] = random.pick(numeric ? NUMBER_LISTS : STRING_LISTS);
  const L = snakeToCamel(list);
  const values: (number | string)[] = numeric ? intList(random, 2, 6, 0, 60) : random.sample([...WORDS], random.int(2, 5));
  const python = [`${list} = ${pyList(values)}`];
  const javascript = [`const ${L} = ${jsArray(values)};`];
  const extra = numeric ? random.int(0, 60) : random.pick(FIRST_NAMES).toLowerCase();
  const extraLiteral = typeof extra === "string" ? quote(extra) : String(extra);
  if (random.chance(0.4)) {
    python.push(`${list}.append(${extraLiteral})`);
    javascript.push(`${L}.push(${extraLiteral});`);
  }
  const numericOps = [
    { py: `len(${list})`, js: `${L}.length` },
    { py: `sum(${list})`, js: `${L}.reduce((a, b) => a + b, 0)` },
    { py: `max(${list})`, js: `Math.max(...${L})` },
    { py: `min(${list})`, js: `Math.min(...${L})` },
    { py: `${list}[-1]`, js: `${L}[${L}.length - 1]` },
    { py: `sorted(${list})[0]`, js: `[...${L}].sort((a, b) => a - b)[0]` },
    { py: `${list}[:2]`, js: `${L}.slice(0, 2)`, list: true },
    { py: `sorted(${list})`, js: `[...${L}].sort((a, b) => a - b)`, list: true },
    { py: `${list}[1:]`, js: `${L}.slice(1)`, list: true },
  ];
  const stringOps = [
    { py: `len(${list})`, js: `${L}.length` },
    { py: `", ".join(${list})`, js: `${L}.join(", ")` },
    { py: `" ".join(${list}).upper()`, js: `${L}.join(" ").toUpperCase()` },
    { py: `${list}[-1]`, js: `${L}[${L}.length - 1]` },
    { py: `sorted(${list})`, js: `[...${L}].sort()`, list: true },
    { py: `[w.upper() for w in ${list}]`, js: `${L}.map((w) => w.toUpperCase())`, list: true },
    { py: `${list}.index(${quote(String(values[0]))})`, js: `${L}.indexOf(${quote(String(values[0]))})` },
  ];
  const op = random.pick(numeric ? numericOps : stringOps);
  const result = random.pick(["result", "answer", "output", "picked"]);
  python.push(`${result} = ${op.py}`);
  javascript.push(`const ${result} = ${op.js};`);
  const prints = !("list" in op) && random.chance(0.6);
  if (prints) {
    python.push(`print(${result})`);
    javascript.push(`console.log(${result});`);
  }
  return { python, javascript, check: snippetCheck([list, result], prints) };
}

/** Boolean logic: and/or/not, True/False, chained comparisons, None. */
function booleanFunction(random: Random): Program {
  const variant = random.int(0, 3);
  if (variant === 0) {
    const [x] = sampleNames(random, NUMBER_NAMES, 1);
    const X = snakeToCamel(x);
    const low = random.int(0, 20);
    const high = low + random.int(5, 40);
    const name = `is_valid_${x}`;
    return {
      python: [`def ${name}(${x}):`, py(1, `return ${low} <= ${x} <= ${high}`)],
      javascript: [`function ${snakeToCamel(name)}(${X}) {`, js(1, `return ${low} <= ${X} && ${X} <= ${high};`), "}"],
      check: fnCheck(name, callsOf(random, 4, () => [random.int(low - 10, high + 10)])),
    };
  }
  if (variant === 1) {
    const [a, b] = sampleNames(random, NUMBER_NAMES, 2);
    const [A, B] = [snakeToCamel(a), snakeToCamel(b)];
    const ka = random.int(1, 30);
    const kb = random.int(1, 30);
    const joiner = random.pick(["and", "or"]);
    const negate = random.chance(0.4);
    const name = random.pick(["can_proceed", "should_alert", "is_eligible", "needs_review", "is_ready"]);
    const pyCond = `${a} > ${ka} ${joiner} ${b} < ${kb}`;
    const jsCond = `${A} > ${ka} ${joiner === "and" ? "&&" : "||"} ${B} < ${kb}`;
    return {
      python: [`def ${name}(${a}, ${b}):`, py(1, `return ${negate ? `not (${pyCond})` : pyCond}`)],
      javascript: [`function ${snakeToCamel(name)}(${A}, ${B}) {`, js(1, `return ${negate ? `!(${jsCond})` : jsCond};`), "}"],
      check: fnCheck(name, callsOf(random, 4, () => [random.int(0, 40), random.int(0, 40)])),
    };
  }
  if (variant === 2) {
    const [list, item] = random.pick(NUMBER_LISTS);
    const [L, I] = [snakeToCamel(list), snakeToCamel(item)];
    const k = random.int(0, 30);
    const name = `has_${random.pick(["large", "big", "high"])}_${item === "temp" ? "temperature" : item}`;
    return {
      python: [`def ${name}(${list}):`, py(1, `for ${item} in ${list}:`), py(2, `if ${item} > ${k}:`), py(3, "return True"), py(1, "return False")],
      javascript: [
        `function ${snakeToCamel(name)}(${L}) {`,
        js(1, `for (const ${I} of ${L}) {`),
        js(2, `if (${I} > ${k}) {`),
        js(3, "return true;"),
        js(2, "}"),
        js(1, "}"),
        js(1, "return false;"),
        "}",
      ],
      check: fnCheck(name, callsOf(random, 3, numericListArgs(random))),
    };
  }
  const [list] = random.pick(NUMBER_LISTS);
  const L = snakeToCamel(list);
  const last = random.chance(0.5);
  const fallback = random.pick([{ py: "None", js: "null" }, { py: "0", js: "0" }, { py: "-1", js: "-1" }]);
  const name = random.pick(last ? ["last_or_default", "last_item", "latest", "final_value"] : ["first_or_default", "first_item", "head", "earliest"]);
  const pyPick = last ? `${list}[-1]` : `${list}[0]`;
  const jsPick = last ? `${L}[${L}.length - 1]` : `${L}[0]`;
  return {
    python: [`def ${name}(${list}):`, py(1, `if len(${list}) == 0:`), py(2, `return ${fallback.py}`), py(1, `return ${pyPick}`)],
    javascript: [`function ${snakeToCamel(name)}(${L}) {`, js(1, `if (${L}.length === 0) {`), js(2, `return ${fallback.js};`), js(1, "}"), js(1, `return ${jsPick};`), "}"],
    check: fnCheck(name, callsOf(random, 3, numericListArgs(random))),
  };
}

/** Program shapes and how often each is drawn. */
const SHAPES: [(random: Random) => Program, number, string][] = [
  [arithmeticFunction, 3, "arithmetic"],
  [conditionalFunction, 2, "conditional"],
  [loopAccumulate, 3, "loop"],
  [rangeLoop, 1, "range_loop"],
  [whileLoop, 1, "while_loop"],
  [comprehension, 3, "comprehension"],
  [stringFormatting, 2, "string_format"],
  [dictAccess, 2, "dict_access"],
  [dictFunction, 1, "dict_function"],
  [stringMethods, 2, "string_methods"],
  [listOps, 2, "list_ops"],
  [booleanFunction, 2, "boolean"],
];

export function generateCodePair(random: Random): CodePair {
  const index = random.weightedIndex(SHAPES.map(([, weight]) => weight));
  const [shape, , kind] = SHAPES[index];
  const program = shape(random);
  return {
    kind,
    direction: random.pick(CODE_DIRECTIONS),
    python: program.python.join("\n"),
    javascript: program.javascript.join("\n"),
    check: program.check,
  };
}

export function generateCodePairs(random: Random, count: number): CodePair[] {
  return Array.from({ length: count }, () => generateCodePair(random));
}

/** A pair as a dataset record (the check stays out of the data). */
export function codePairRecord(pair: CodePair): Record<string, unknown> {
  return { direction: pair.direction, kind: pair.kind, python: pair.python, javascript: pair.javascript };
}

export function generateCodeTranslationRecords(random: Random, count: number): Record<string, unknown>[] {
  return generateCodePairs(random, count).map(codePairRecord);
}
