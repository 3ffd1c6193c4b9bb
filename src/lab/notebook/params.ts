// Notebook parameters arrive as environment variables (FLANLAB_*), so one first cell works in JupyterLab
// (defaults) and headless (npm run notebooks sets them). Each reader names the variable in its error.

export function envString(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value.trim() === "" ? fallback : value.trim();
}

export function envInteger(name: string, fallback: number): number {
  const text = envString(name, String(fallback));
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`${name}="${text}" must be an integer.`);
  return value;
}

export function envNumber(name: string, fallback: number): number {
  const text = envString(name, String(fallback));
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${name}="${text}" must be a number.`);
  return value;
}

/** A comma-separated list of integers, e.g. FLANLAB_SEEDS=1,2,3. */
export function envIntegerList(name: string, fallback: number[]): number[] {
  const text = envString(name, fallback.join(","));
  return text.split(",").map((part) => {
    const value = Number(part.trim());
    if (part.trim() === "" || !Number.isInteger(value)) throw new Error(`${name}="${text}": "${part}" is not an integer.`);
    return value;
  });
}

/** One of a fixed set of values, e.g. FLANLAB_PROFILE=quick|full. */
export function envChoice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const text = envString(name, fallback);
  if (!(choices as readonly string[]).includes(text)) throw new Error(`${name}="${text}" must be one of: ${choices.join(", ")}.`);
  return text as T;
}
