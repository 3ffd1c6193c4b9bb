// A tiny phrase language for the chat generator, so that word lists can say "one of these wordings" inline:
//   [a|b|c]        one alternative, chosen with the seeded Random ("[very |]" makes a word optional)
//   <key:text>     text only when `key` is on (a fact the line may mention, a flag of the chat)
//   <!key:text>    text only when `key` is off
//   {name}         a value from the variables (an unknown name is a bug in the pattern and throws)
// Alternatives are resolved first (innermost first), then conditionals (innermost first), then variables, so
// alternatives may hold conditionals only when those hold no "|".
import { Random } from "../../../random";

export type Vars = Readonly<Record<string, string>>;

const CHOICE = /\[([^[\]]*)\]/;
const CONDITIONAL = /<(!?)([A-Za-z_][A-Za-z0-9_]*):([^<>]*)>/;
const VARIABLE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The pattern expanded and tidied, first letter as written. */
export function expandRaw(pattern: string, random: Random, vars: Vars, on: ReadonlySet<string> = new Set()): string {
  let text = pattern;
  for (let m = CHOICE.exec(text); m; m = CHOICE.exec(text)) {
    const options = m[1].split("|");
    text = text.slice(0, m.index) + random.pick(options) + text.slice(m.index + m[0].length);
  }
  for (let m = CONDITIONAL.exec(text); m; m = CONDITIONAL.exec(text)) {
    const wanted = m[1] !== "!";
    const keep = on.has(m[2]) === wanted;
    text = text.slice(0, m.index) + (keep ? m[3] : "") + text.slice(m.index + m[0].length);
  }
  text = text.replace(VARIABLE, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`chat phrase "${pattern}": no value for {${name}}.`);
    return value;
  });
  return tidy(text);
}

/** The pattern expanded as a sentence: tidied, first letter uppercase. */
export function expand(pattern: string, random: Random, vars: Vars, on?: ReadonlySet<string>): string {
  return upperFirst(expandRaw(pattern, random, vars, on));
}

/** One pattern from a list, expanded. */
export function say(patterns: readonly string[], random: Random, vars: Vars, on?: ReadonlySet<string>): string {
  return expand(random.pick(patterns), random, vars, on);
}

/** Spacing and punctuation left behind by optional pieces: double spaces, " ,", " .", ",,". */
export function tidy(text: string): string {
  return text
    .replace(/[ \t]+/g, " ")
    .replace(/ ([,.!?;:)])/g, "$1")
    .replace(/\( /g, "(")
    .replace(/,([,.!?])/g, "$1")
    .replace(/\.\./g, ".")
    .trim();
}

export function upperFirst(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}
