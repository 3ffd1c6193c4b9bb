/**
 * Porter stemmer in the mode that nltk's `PorterStemmer()` uses by default (`NLTK_EXTENSIONS`), which is what
 * Google's `rouge_score` (and so Hugging Face `evaluate`'s "rouge") calls when `use_stemmer=True`.
 *
 * Why hand-written: no npm stemmer reproduces nltk's mode. Measured on the 3,084 words of
 * test/fixtures/rouge-reference/porter_nltk.tsv: `stemmer`@2.0.1, `porter-stemmer`@0.9.1 and `natural`@8.1.1's
 * PorterStemmer each get 57 wrong (they implement Martin Porter's reference version: "abed" -> "ab", "array" ->
 * "arrai"), and `wink-porter2-stemmer`@2.0.1 (Porter2, a different algorithm) gets 42 wrong.
 *
 * nltk's departures from the 1980 paper, all reproduced here:
 * - a table of irregular forms ("skies" -> "sky", "dying" -> "die", "succeed" stays ...), applied before any step;
 * - words of one or two letters are returned as they are;
 * - step 1a: "ies" -> "ie" in four-letter words ("dies" -> "die", but "flies" -> "fli");
 * - step 1b: "ied" -> "ie" in four-letter words, else -> "i", and nothing more of step 1b runs;
 * - the *o condition (ends consonant-vowel-consonant) is also true of a two-letter vowel-consonant stem;
 * - step 1c: y -> i only after a consonant that is not the first letter ("happy" -> "happi", "enjoy", "sky" stay);
 * - step 2: "alli" -> "al" first, then step 2 again; "bli" -> "ble" (not "abli" -> "able"); "fulli" -> "ful";
 *   "logi" -> "log" with the measure taken over the stem plus its "l";
 * - step 4/5 as in Martin Porter's own implementations (the first rule whose suffix matches decides, even when
 *   its condition fails: "ational" failing does not fall through to "tional").
 */

const IRREGULAR_FORMS: ReadonlyMap<string, string> = new Map([
  ["sky", "sky"], ["skies", "sky"],
  ["dying", "die"], ["lying", "lie"], ["tying", "tie"],
  ["news", "news"],
  ["innings", "inning"], ["inning", "inning"],
  ["outings", "outing"], ["outing", "outing"],
  ["cannings", "canning"], ["canning", "canning"],
  ["howe", "howe"],
  ["proceed", "proceed"], ["exceed", "exceed"], ["succeed", "succeed"],
]);

function isVowelLetter(ch: string): boolean {
  return ch === "a" || ch === "e" || ch === "i" || ch === "o" || ch === "u";
}

/** Porter's consonant: not a, e, i, o, u, and a "y" only when it is first or follows a vowel. */
function isConsonant(word: string, i: number): boolean {
  const ch = word[i];
  if (isVowelLetter(ch)) return false;
  if (ch === "y") return i === 0 ? true : !isConsonant(word, i - 1);
  return true;
}

/** m in [C](VC){m}[V]: the number of vowel-to-consonant transitions. */
function measure(stem: string): number {
  let m = 0;
  let previousIsVowel = false;
  for (let i = 0; i < stem.length; i++) {
    const consonant = isConsonant(stem, i);
    if (consonant && previousIsVowel) m++;
    previousIsVowel = !consonant;
  }
  return m;
}

function containsVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

function endsDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

/** *o: ends consonant-vowel-consonant, the last not w, x or y; nltk adds a two-letter vowel-consonant word. */
function endsCvc(word: string): boolean {
  const n = word.length;
  if (n >= 3) {
    return isConsonant(word, n - 3) && !isConsonant(word, n - 2) && isConsonant(word, n - 1) &&
      word[n - 1] !== "w" && word[n - 1] !== "x" && word[n - 1] !== "y";
  }
  return n === 2 && !isConsonant(word, 0) && isConsonant(word, 1);
}

type Condition = ((stem: string) => boolean) | null;
/** [suffix, replacement, condition on the word with the suffix removed]. */
type Rule = readonly [string, string, Condition];

/**
 * The first rule whose suffix the word ends with decides: its replacement if its condition holds, else the word
 * unchanged (later rules are not tried).
 */
function applyFirstMatchingRule(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, word.length - suffix.length);
    return condition === null || condition(stem) ? stem + replacement : word;
  }
  return word;
}

const positiveMeasure = (stem: string): boolean => measure(stem) > 0;
const measureAboveOne = (stem: string): boolean => measure(stem) > 1;

function step1a(word: string): string {
  if (word.length === 4 && word.endsWith("ies")) return word.slice(0, -3) + "ie";
  return applyFirstMatchingRule(word, [
    ["sses", "ss", null],
    ["ies", "i", null],
    ["ss", "ss", null],
    ["s", "", null],
  ]);
}

function step1b(word: string): string {
  if (word.endsWith("ied")) return word.slice(0, -3) + (word.length === 4 ? "ie" : "i");
  if (word.endsWith("eed")) {
    const stem = word.slice(0, -3);
    return measure(stem) > 0 ? stem + "ee" : word;
  }
  let stem: string | undefined;
  for (const suffix of ["ed", "ing"]) {
    if (word.endsWith(suffix) && containsVowel(word.slice(0, word.length - suffix.length))) {
      stem = word.slice(0, word.length - suffix.length);
      break;
    }
  }
  if (stem === undefined) return word;
  if (stem.endsWith("at") || stem.endsWith("bl") || stem.endsWith("iz")) return stem + "e";
  if (endsDoubleConsonant(stem)) {
    const last = stem[stem.length - 1];
    return last === "l" || last === "s" || last === "z" ? stem : stem.slice(0, -1);
  }
  return measure(stem) === 1 && endsCvc(stem) ? stem + "e" : stem;
}

function step1c(word: string): string {
  return applyFirstMatchingRule(word, [
    ["y", "i", (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)],
  ]);
}

function step2(word: string): string {
  if (word.endsWith("alli") && positiveMeasure(word.slice(0, -4))) return step2(word.slice(0, -4) + "al");
  return applyFirstMatchingRule(word, [
    ["ational", "ate", positiveMeasure],
    ["tional", "tion", positiveMeasure],
    ["enci", "ence", positiveMeasure],
    ["anci", "ance", positiveMeasure],
    ["izer", "ize", positiveMeasure],
    ["bli", "ble", positiveMeasure],
    ["alli", "al", positiveMeasure],
    ["entli", "ent", positiveMeasure],
    ["eli", "e", positiveMeasure],
    ["ousli", "ous", positiveMeasure],
    ["ization", "ize", positiveMeasure],
    ["ation", "ate", positiveMeasure],
    ["ator", "ate", positiveMeasure],
    ["alism", "al", positiveMeasure],
    ["iveness", "ive", positiveMeasure],
    ["fulness", "ful", positiveMeasure],
    ["ousness", "ous", positiveMeasure],
    ["aliti", "al", positiveMeasure],
    ["iviti", "ive", positiveMeasure],
    ["biliti", "ble", positiveMeasure],
    ["fulli", "ful", positiveMeasure],
    // The "l" stays with the stem for the measure, so "geologi" -> "geolog" like "archaeologi".
    ["logi", "log", () => positiveMeasure(word.slice(0, -3))],
  ]);
}

function step3(word: string): string {
  return applyFirstMatchingRule(word, [
    ["icate", "ic", positiveMeasure],
    ["ative", "", positiveMeasure],
    ["alize", "al", positiveMeasure],
    ["iciti", "ic", positiveMeasure],
    ["ical", "ic", positiveMeasure],
    ["ful", "", positiveMeasure],
    ["ness", "", positiveMeasure],
  ]);
}

function step4(word: string): string {
  return applyFirstMatchingRule(word, [
    ["al", "", measureAboveOne],
    ["ance", "", measureAboveOne],
    ["ence", "", measureAboveOne],
    ["er", "", measureAboveOne],
    ["ic", "", measureAboveOne],
    ["able", "", measureAboveOne],
    ["ible", "", measureAboveOne],
    ["ant", "", measureAboveOne],
    ["ement", "", measureAboveOne],
    ["ment", "", measureAboveOne],
    ["ent", "", measureAboveOne],
    ["ion", "", (stem) => measure(stem) > 1 && (stem.endsWith("s") || stem.endsWith("t"))],
    ["ou", "", measureAboveOne],
    ["ism", "", measureAboveOne],
    ["ate", "", measureAboveOne],
    ["iti", "", measureAboveOne],
    ["ous", "", measureAboveOne],
    ["ive", "", measureAboveOne],
    ["ize", "", measureAboveOne],
  ]);
}

/** Unlike the other steps, both rules for a final "e" are tried (m > 1, or m = 1 and not *o). */
function step5a(word: string): string {
  if (!word.endsWith("e")) return word;
  const stem = word.slice(0, -1);
  const m = measure(stem);
  return m > 1 || (m === 1 && !endsCvc(stem)) ? stem : word;
}

function step5b(word: string): string {
  return word.endsWith("ll") && measure(word.slice(0, -1)) > 1 ? word.slice(0, -1) : word;
}

/**
 * Stem one word as nltk's `PorterStemmer().stem(word)` does (lowercasing first). Meant for the lowercase
 * [a-z0-9] tokens that ROUGE produces; digits count as consonants, as in nltk.
 */
export function porterStem(word: string): string {
  const lower = word.toLowerCase();
  // nltk looks the irregular forms up with the word as given, before lowercasing.
  const irregular = IRREGULAR_FORMS.get(word);
  if (irregular !== undefined) return irregular;
  if (lower.length <= 2) return lower;
  let stem = step1a(lower);
  stem = step1b(stem);
  stem = step1c(stem);
  stem = step2(stem);
  stem = step3(stem);
  stem = step4(stem);
  stem = step5a(stem);
  return step5b(stem);
}
