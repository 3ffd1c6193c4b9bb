// A static SVG drawing of the Plotly figures that flanlab builds (plots.ts figureHtml), for the places where no
// JavaScript runs: GitHub's notebook view, nbviewer without the Plotly bundle, a saved notebook opened offline.
// Hand-written on purpose: Plotly's own static export needs a browser (kaleido drives Chromium), and no Node library
// draws Plotly specs to SVG. It covers the subset of Plotly that flanlab's figures use and follows plotly.js 4's
// defaults (the classic d3 colorway #1f77b4, #ff7f0e, ..., its tick rules, bar gaps, grid and zero lines) so both
// pictures agree:
// - scatter: mode lines / markers / text and their combinations (Plotly's default mode when none), line.color,
//   width and dash, marker color/size (numbers or per point), "-open" symbols as outlines, text labels at
//   textposition, error_y (data, constant, percent); missing and non-finite points are skipped and break the line;
// - bar: vertical bars grouped per category (barmode "group", offsetgroup, bargap; scattermode "group" markers share
//   the offset groups, as in plotly.js), marker.color, error_y; barmode "stack"/"relative" are drawn overlaid;
// - heatmap: z with x/y labels, zmin/zmax, named colorscales (Viridis, Cividis, Greys, YlGnBu, Greens, RdBu, Reds,
//   Blues, Hot; others fall back to Viridis) or stop arrays, reversescale, texttemplate cell text, a colorbar;
// - layout: title, axis titles, axis type log/linear/category (autotyped from the data), range (log10 units on log
//   axes, as Plotly), autorange "reversed", tickvals/ticktext, showgrid/zeroline, margin, colorway, showlegend,
//   and a vertical legend of the named traces. Tick labels are grown into the margins (Plotly's automargin).
// Not drawn: other trace types, marker symbols other than circles, line shapes other than straight, hover text,
// annotations and shapes, HTML markup in text (<br>, <b>: it shows escaped), fonts and templates of the layout.
// Text widths are estimated per character, so labels may sit a few pixels off where the browser would put them.
import { PlotlyLayout, PlotlyTrace } from "./plots";

type Loose = Record<string, unknown>;
type Point = [number, number];
type AxisKind = "linear" | "log" | "category";
type TraceKind = "scatter" | "bar" | "heatmap";

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** An axis after autorange: values map to pixels through `lo` (at pixel `from`) and `hi` (at pixel `to`). */
interface Axis {
  kind: AxisKind;
  categories: string[];
  /** In Plotly's linear units: log10 of the value on a log axis, the category's index on a category axis. */
  lo: number;
  hi: number;
  from: number;
  to: number;
}

interface Tick {
  at: number;
  label: string;
}

interface TraceInfo {
  trace: Loose;
  kind: TraceKind;
  index: number;
  color: string;
  /** False for visible: "legendonly" (in the legend, not drawn). */
  drawn: boolean;
}

/** Where an autorange's data reaches on one axis, and which ends get Plotly's 5% padding. */
interface Extent {
  min: number;
  max: number;
  padMin: boolean;
  padMax: boolean;
}

/** Everything an axis needs to be drawn: the axis, its ticks and how its tick labels are set. */
interface AxisPlan {
  axis: Axis;
  ticks: Tick[];
  /** Tick label angle (x only: 0, 30 or 90 degrees, as Plotly's autotickangles) and the labels' depth in pixels. */
  angle: number;
  depth: number;
}

// plotly.js's defaults (src/components/color/attributes.js and the axis/legend/title defaults).
const D3_COLORWAY = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const TEXT_COLOR = "#444";
const GRID_COLOR = "#eee";
const FONT_FAMILY = "'Open Sans', verdana, arial, sans-serif";
const FONT_SIZE = 12;
const TITLE_FONT_SIZE = 17;
const AXIS_TITLE_FONT_SIZE = 14;
const LEGEND_ROW_PX = 19;
const COLORBAR_PX = 24;
const COLORBAR_SLICES = 32;
/** Plotly's margin when a layout sets none, and the one figureHtml passes (a layout's margin replaces it whole). */
const PLOTLY_MARGIN = { t: 80, r: 80, b: 80, l: 80 };
const FIGURE_HTML_MARGIN = { t: 50, r: 20, b: 50, l: 60 };

// Named colorscales, copied from plotly.js (src/components/colorscale/scales.js); unknown names fall back to Viridis.
const COLORSCALES: Record<string, [number, string][]> = {
  Viridis: [
    [0, "#440154"], [0.0627, "#48186a"], [0.1255, "#472d7b"], [0.1882, "#424086"], [0.251, "#3b528b"], [0.3137, "#33638d"],
    [0.3765, "#2c728e"], [0.4392, "#26828e"], [0.502, "#21918c"], [0.5647, "#1fa088"], [0.6275, "#28ae80"], [0.6902, "#3fbc73"],
    [0.7529, "#5ec962"], [0.8157, "#84d44b"], [0.8784, "#addc30"], [0.9412, "#d8e219"], [1, "#fde725"],
  ],
  Cividis: [
    [0, "rgb(0,32,76)"], [0.058824, "rgb(0,42,102)"], [0.117647, "rgb(0,52,110)"], [0.176471, "rgb(39,63,108)"],
    [0.235294, "rgb(60,74,107)"], [0.294118, "rgb(76,85,107)"], [0.352941, "rgb(91,95,109)"], [0.411765, "rgb(104,106,112)"],
    [0.470588, "rgb(117,117,117)"], [0.529412, "rgb(131,129,120)"], [0.588235, "rgb(146,140,120)"], [0.647059, "rgb(161,152,118)"],
    [0.705882, "rgb(176,165,114)"], [0.764706, "rgb(192,177,109)"], [0.823529, "rgb(209,191,102)"], [0.882353, "rgb(225,204,92)"],
    [0.941176, "rgb(243,219,79)"], [1, "rgb(255,233,69)"],
  ],
  Greys: [[0, "rgb(0,0,0)"], [1, "rgb(255,255,255)"]],
  YlGnBu: [
    [0, "rgb(8,29,88)"], [0.125, "rgb(37,52,148)"], [0.25, "rgb(34,94,168)"], [0.375, "rgb(29,145,192)"], [0.5, "rgb(65,182,196)"],
    [0.625, "rgb(127,205,187)"], [0.75, "rgb(199,233,180)"], [0.875, "rgb(237,248,217)"], [1, "rgb(255,255,217)"],
  ],
  Greens: [
    [0, "rgb(0,68,27)"], [0.125, "rgb(0,109,44)"], [0.25, "rgb(35,139,69)"], [0.375, "rgb(65,171,93)"], [0.5, "rgb(116,196,118)"],
    [0.625, "rgb(161,217,155)"], [0.75, "rgb(199,233,192)"], [0.875, "rgb(229,245,224)"], [1, "rgb(247,252,245)"],
  ],
  RdBu: [[0, "rgb(5,10,172)"], [0.35, "rgb(106,137,247)"], [0.5, "rgb(190,190,190)"], [0.6, "rgb(220,170,132)"], [0.7, "rgb(230,145,90)"], [1, "rgb(178,10,28)"]],
  Reds: [[0, "rgb(220,220,220)"], [0.2, "rgb(245,195,157)"], [0.4, "rgb(245,160,105)"], [1, "rgb(178,10,28)"]],
  Blues: [[0, "rgb(5,10,172)"], [0.35, "rgb(40,60,190)"], [0.5, "rgb(70,100,245)"], [0.6, "rgb(90,120,245)"], [0.7, "rgb(106,137,247)"], [1, "rgb(220,220,220)"]],
  Hot: [[0, "rgb(0,0,0)"], [0.3, "rgb(230,0,0)"], [0.6, "rgb(255,210,0)"], [1, "rgb(255,255,255)"]],
};

// ---------------------------------------------------------------------------------------------------------------
// Reading the loose Plotly objects

const asObject = (v: unknown): Loose => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Loose) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A finite number, also from a numeric string (as Plotly reads data); undefined for null, NaN, text. */
function asNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A title given as a string or as { text }. */
function titleText(title: unknown): string {
  if (typeof title === "string") return title;
  const text = asObject(title).text;
  return text === undefined || text === null ? "" : String(text);
}

/** Indices 0..n-1: Plotly's x when a trace gives none. */
const indices = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

// ---------------------------------------------------------------------------------------------------------------
// Output helpers

/** Text for XML content and attribute values: labels carry data such as "$163.95" and "<x>". */
function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** A coordinate rounded to 0.1 px: small output, and the same bytes for the same figure. */
function px(v: number): string {
  const rounded = Math.round(v * 10) / 10;
  return String(rounded === 0 ? 0 : rounded);
}

/** Width of a text in pixels, estimated per character class: no fonts to measure with here. */
function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    if (/[ijlIft.,:;|!'`()[\]]/.test(ch)) em += 0.3;
    else if (/[mwMW@%]/.test(ch)) em += 0.85;
    else if (/[A-Z]/.test(ch)) em += 0.66;
    else if (ch === " ") em += 0.28;
    else em += 0.56;
  }
  return em * fontSize;
}

/** The text, cut with an ellipsis to fit `maxWidth` pixels. */
function truncateToWidth(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(chars.join("") + "\u2026", fontSize) > maxWidth) chars.pop();
  return chars.join("") + "\u2026";
}

function textSvg(x: number, y: number, text: string, attributes = ""): string {
  return `<text x="${px(x)}" y="${px(y)}"${attributes}>${escapeXml(text)}</text>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Colors

/** [r, g, b] of "#rgb", "#rrggbb", "rgb(r,g,b)" or "rgba(r,g,b,a)"; undefined for anything else. */
function parseColor(color: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join("") : hex[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(color.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

const hexColor = (rgb: readonly number[]): string => "#" + rgb.map((c) => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, "0")).join("");

/** A colorscale as sorted [fraction, rgb] stops: a Plotly name, or a [[0, color], ..., [1, color]] array. */
function colorscaleStops(spec: unknown, reverse: boolean): [number, [number, number, number]][] {
  const parse = (scale: unknown): [number, [number, number, number]][] | undefined => {
    const stops = asArray(scale).map((s) => {
      const [at, color] = asArray(s);
      const rgb = typeof color === "string" ? parseColor(color) : undefined;
      return typeof at === "number" && rgb ? ([at, rgb] as [number, [number, number, number]]) : undefined;
    });
    return stops.length >= 2 && stops.every((s) => s) ? (stops as [number, [number, number, number]][]) : undefined;
  };
  const stops = parse(typeof spec === "string" ? COLORSCALES[spec] : spec) ?? (parse(COLORSCALES.Viridis) as [number, [number, number, number]][]);
  return reverse ? stops.map(([at, rgb]) => [1 - at, rgb] as [number, [number, number, number]]).reverse() : stops;
}

/** The color at fraction t (clamped to [0, 1]) of a colorscale, interpolated in RGB as Plotly does. */
function colorAt(stops: [number, [number, number, number]][], t: number): string {
  const f = Math.max(0, Math.min(1, t));
  for (let i = 1; i < stops.length; i++) {
    const [a, ca] = stops[i - 1];
    const [b, cb] = stops[i];
    if (f <= b || i === stops.length - 1) {
      const w = b > a ? Math.max(0, Math.min(1, (f - a) / (b - a))) : 1;
      return hexColor(ca.map((c, k) => c + w * (cb[k] - c)));
    }
  }
  return hexColor(stops[stops.length - 1][1]);
}

/** Dark text on light cells and white on dark ones (tinycolor's brightness test, as Plotly's Color.contrast). */
function contrastText(fill: string): string {
  const rgb = parseColor(fill);
  if (!rgb) return TEXT_COLOR;
  return (rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114) / 1000 > 128 ? TEXT_COLOR : "#fff";
}

/** Plotly's dash patterns, scaled by the line width as plotly.js's Drawing.dashStyle does. */
function dashArray(dash: unknown, lineWidth: number): string | undefined {
  const w = Math.max(lineWidth, 3);
  const patterns: Record<string, number[]> = { dot: [w, w], dash: [3 * w, 3 * w], longdash: [5 * w, 5 * w], dashdot: [3 * w, w, w, w], longdashdot: [5 * w, 2 * w, w, 2 * w] };
  if (typeof dash !== "string" || dash === "solid") return undefined;
  return patterns[dash] ? patterns[dash].map(px).join(",") : dash.replace(/px/g, "");
}

// ---------------------------------------------------------------------------------------------------------------
// Ticks

/** Plotly's roundDTick: the step at or above `rough` among 2, 5 and 10 times a power of ten. */
function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const base = Math.pow(10, Math.floor(Math.log10(rough)));
  const m = rough / base;
  return base * (m <= 2 ? 2 : m <= 5 ? 5 : 10);
}

/** Multiples of `step` from lo to hi (either order), rid of floating-point dust. */
function multiplesBetween(lo: number, hi: number, step: number): number[] {
  const [a, b] = [Math.min(lo, hi), Math.max(lo, hi)];
  const out: number[] = [];
  for (let k = Math.ceil(a / step - 1e-9); k <= Math.floor(b / step + 1e-9); k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Plotly's tick count for an axis of `lengthPx` pixels: a tick per 80 px on x, per 40 px on y, 5 to 10 of them. */
function tickTarget(lengthPx: number, letter: "x" | "y"): number {
  return Math.max(4, Math.min(9, Math.abs(lengthPx) / (letter === "y" ? 40 : 80))) + 1;
}

/** Decimals that a tick step needs: 0.2 -> 1, 0.05 -> 2, 5 -> 0. */
const stepDecimals = (step: number): number => Math.max(0, -Math.floor(Math.log10(step) + 1e-9));

/** The power of ten (0, 3, 6 or 9) that Plotly's k/M/B suffix stands for at this size: none below ten thousand. */
const suffixExponent = (abs: number): number => (abs >= 1e4 ? Math.min(9, 3 * Math.floor(Math.log10(abs) / 3)) : 0);

/** A number as Plotly writes it: a real minus sign, k/M/B (one suffix for a whole axis: pass its exponent). */
function formatNumber(v: number, decimals?: number, exp3 = suffixExponent(Math.abs(v))): string {
  const scaled = Math.abs(v) / Math.pow(10, exp3);
  // Plotly drops trailing zeros: 0, 0.2, ..., 1 rather than 0.0, 0.2, ..., 1.0.
  const digits = decimals === undefined ? String(Number(scaled.toPrecision(4))) : scaled.toFixed(Math.max(0, decimals - exp3)).replace(/\.(\d*?)0+$/, (_, kept: string) => (kept ? `.${kept}` : ""));
  if (Number(digits) === 0) return "0";
  const text = digits + ({ 0: "", 3: "k", 6: "M", 9: "B" } as Record<number, string>)[exp3];
  return v < 0 ? "\u2212" + text : text;
}

/** Linear ticks: multiples of a nice step, labelled with the decimals the step needs and the largest one's suffix. */
function linearTicks(lo: number, hi: number, target: number): Tick[] {
  const step = niceStep(Math.abs(hi - lo) / target);
  const values = multiplesBetween(lo, hi, step);
  const exp3 = suffixExponent(Math.max(0, ...values.map(Math.abs)));
  return values.map((v) => ({ at: v, label: formatNumber(v, stepDecimals(step), exp3) }));
}

/**
 * Log ticks (lo, hi in decades): every power of ten, every few when the decades are many; 1, 2 and 5 of each decade
 * when they are few; linear ticks on the values when the axis spans less than a decade (Plotly's D2 and L modes).
 */
function logTicks(lo: number, hi: number, target: number): Tick[] {
  const [a, b] = [Math.min(lo, hi), Math.max(lo, hi)];
  const rough = (b - a) / target;
  if (rough > 0.7) return multiplesBetween(a, b, Math.ceil(rough)).map((k) => ({ at: k, label: formatNumber(Math.pow(10, k)) }));
  if (b - a < 1) {
    return linearTicks(Math.pow(10, a), Math.pow(10, b), target)
      .filter((t) => t.at > 0)
      .map((t) => ({ at: Math.log10(t.at), label: t.label }));
  }
  const ticks: Tick[] = [];
  for (let k = Math.floor(a); k <= Math.ceil(b); k++) {
    for (const m of [1, 2, 5]) {
      const at = k + Math.log10(m);
      if (at >= a - 1e-9 && at <= b + 1e-9) ticks.push({ at, label: formatNumber(Number((m * Math.pow(10, k)).toPrecision(12))) });
    }
  }
  return ticks;
}

/** Ticks at given values (layout tickvals, with ticktext when given), those inside the range. */
function explicitTicks(axis: Axis, tickvals: unknown[], ticktext: unknown[]): Tick[] {
  const ticks: Tick[] = [];
  tickvals.forEach((v, i) => {
    const at = toLinear(axis, v);
    if (at === undefined || at < Math.min(axis.lo, axis.hi) - 1e-9 || at > Math.max(axis.lo, axis.hi) + 1e-9) return;
    const n = asNumber(v);
    ticks.push({ at, label: ticktext[i] !== undefined ? String(ticktext[i]) : axis.kind !== "category" && n !== undefined ? formatNumber(n) : String(v) });
  });
  return ticks;
}

/** Category ticks: every category, or every n-th when there are more than one per 15 px (Plotly's rule). */
function categoryTicks(axis: Axis, lengthPx: number): Tick[] {
  const step = Math.max(1, Math.ceil((axis.categories.length * 15) / Math.max(1, Math.abs(lengthPx))));
  return axis.categories
    .map((label, at) => ({ at, label }))
    .filter((t) => t.at % step === 0 && t.at >= Math.min(axis.lo, axis.hi) - 1e-9 && t.at <= Math.max(axis.lo, axis.hi) + 1e-9);
}

function axisTicks(axis: Axis, axisLayout: Loose, letter: "x" | "y"): Tick[] {
  const length = axis.to - axis.from;
  if (Array.isArray(axisLayout.tickvals)) return explicitTicks(axis, axisLayout.tickvals, asArray(axisLayout.ticktext));
  if (axis.kind === "category") return categoryTicks(axis, length);
  const target = tickTarget(length, letter);
  return axis.kind === "log" ? logTicks(axis.lo, axis.hi, target) : linearTicks(axis.lo, axis.hi, target);
}

// ---------------------------------------------------------------------------------------------------------------
// Axes

/** The value of a data point in the axis's linear units (log10, category index); undefined where it has none. */
function toLinear(axis: Axis, value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (axis.kind === "category") {
    const i = axis.categories.indexOf(String(value));
    return i < 0 ? undefined : i;
  }
  const n = asNumber(value);
  if (n === undefined) return undefined;
  if (axis.kind === "log") return n > 0 ? Math.log10(n) : undefined;
  return n;
}

const pixelOf = (axis: Axis, l: number): number => axis.from + ((l - axis.lo) / (axis.hi - axis.lo)) * (axis.to - axis.from);

/** The x or y values of a trace (x defaults to indices; a heatmap's come from its z matrix's shape). */
function traceValues(info: TraceInfo, letter: "x" | "y"): unknown[] {
  const t = info.trace;
  if (info.kind === "heatmap") {
    const z = asArray(t.z).map(asArray);
    const n = letter === "x" ? Math.max(0, ...z.map((row) => row.length)) : z.length;
    const given = asArray(t[letter]);
    return indices(n).map((i) => (i < given.length ? given[i] : i));
  }
  const y = asArray(t.y);
  if (letter === "y") return y;
  return Array.isArray(t.x) ? t.x : indices(y.length);
}

/** linear, log or category: the layout's type, else category when the data holds text (Plotly's autotype). */
function axisKind(axisLayout: Loose, values: unknown[]): AxisKind {
  const type = axisLayout.type;
  if (type === "log" || type === "linear" || type === "category") return type;
  return values.some((v) => typeof v === "string" && asNumber(v) === undefined) ? "category" : "linear";
}

/** Distinct categories in order of first appearance, over all traces. */
function categoriesOf(values: unknown[]): string[] {
  const seen = new Set<string>();
  for (const v of values) if (v !== null && v !== undefined) seen.add(String(v));
  return [...seen];
}

/** The smallest and largest finite value, by a loop: Math.min(...values) overflows the stack on long traces. */
function finiteRange(values: number[]): [number, number] | undefined {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : undefined;
}

function extentOf(values: number[], padMin: boolean, padMax = padMin): Extent | undefined {
  const range = finiteRange(values);
  return range && { min: range[0], max: range[1], padMin, padMax };
}

/** Pixel-free errors of a trace's y values: [minus, plus] per point (error_y type data, constant or percent). */
function errorsOf(trace: Loose, y: unknown[]): ([number, number] | undefined)[] {
  const e = asObject(trace.error_y);
  if (Object.keys(e).length === 0 || e.visible === false) return y.map(() => undefined);
  const type = asString(e.type) ?? (Array.isArray(e.array) ? "data" : "percent");
  const plus = asArray(e.array);
  const minus = e.symmetric === false ? asArray(e.arrayminus) : plus;
  return y.map((v, i) => {
    const yi = asNumber(v);
    if (yi === undefined) return undefined;
    if (type === "constant") return [asNumber(e.value) ?? 0, asNumber(e.symmetric === false ? e.valueminus : e.value) ?? 0];
    if (type === "percent") return [(Math.abs(yi) * (asNumber(e.value) ?? 10)) / 100, (Math.abs(yi) * (asNumber(e.symmetric === false ? e.valueminus : e.value) ?? 10)) / 100];
    const p = asNumber(plus[i]);
    const m = asNumber(minus[i]);
    return p === undefined && m === undefined ? undefined : [m ?? 0, p ?? 0];
  });
}

/** The smallest gap between distinct positions (1 when fewer than two): the width unit of bars and cells. */
function positionUnit(positions: number[]): number {
  const sorted = [...new Set(positions.filter((p) => Number.isFinite(p)))].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i] - sorted[i - 1]);
  return Number.isFinite(gap) ? gap : 1;
}

/** Where each trace's data reaches on an axis, with Plotly's padding rules (lines alone tight in x, bars from 0). */
function traceExtent(info: TraceInfo, letter: "x" | "y", axis: Pick<Axis, "kind" | "categories">): Extent | undefined {
  const t = info.trace;
  const raw = traceValues(info, letter);
  const values = raw.map((v) => toLinear(axis as Axis, v)).filter((v): v is number => v !== undefined);
  if (info.kind === "heatmap") {
    const unit = positionUnit(values) / 2;
    return extentOf([...values.map((v) => v - unit), ...values.map((v) => v + unit)], false);
  }
  if (info.kind === "bar") {
    if (letter === "x") {
      const unit = positionUnit(values) / 2;
      return extentOf([...values.map((v) => v - unit), ...values.map((v) => v + unit)], false);
    }
    const withErrors = withErrorBars(raw, errorsOf(t, raw), axis);
    if (axis.kind !== "linear") return extentOf(withErrors, true);
    const extent = extentOf([0, ...withErrors], false);
    return extent && { ...extent, padMin: extent.min < 0, padMax: extent.max > 0 };
  }
  const mode = scatterMode(t);
  if (letter === "x") {
    const tight = !mode.includes("markers") && !mode.includes("text") && !Object.keys(asObject(t.error_y)).length;
    return extentOf(values, !tight);
  }
  return extentOf(withErrorBars(raw, errorsOf(t, raw), axis), true);
}

/** The y values and their error bar ends, in linear units. */
function withErrorBars(raw: unknown[], errors: ([number, number] | undefined)[], axis: Pick<Axis, "kind" | "categories">): number[] {
  const out: number[] = [];
  raw.forEach((v, i) => {
    const y = asNumber(v);
    const l = toLinear(axis as Axis, v);
    if (l === undefined || y === undefined) return;
    out.push(l);
    const e = errors[i];
    if (!e) return;
    for (const end of [y - e[0], y + e[1]]) {
      const le = toLinear(axis as Axis, end);
      if (le !== undefined) out.push(le);
    }
  });
  return out;
}

/** Plotly's autorange: the data's span, with 5% of the axis as padding on each padded end. */
function autorange(extents: Extent[], letter: "x" | "y"): [number, number] {
  if (extents.length === 0) return letter === "x" ? [-1, 6] : [-1, 4];
  const min = Math.min(...extents.map((e) => e.min));
  const max = Math.max(...extents.map((e) => e.max));
  if (min === max) return [min - 1, max + 1];
  const padMin = extents.some((e) => e.min === min && e.padMin);
  const padMax = extents.some((e) => e.max === max && e.padMax);
  const total = (max - min) / (1 - 0.05 * (Number(padMin) + Number(padMax)));
  return [min - (padMin ? 0.05 * total : 0), max + (padMax ? 0.05 * total : 0)];
}

/** An axis over the traces' data, from pixel `from` to `to` (left to right for x, bottom to top for y). */
function buildAxis(traces: TraceInfo[], axisLayout: Loose, letter: "x" | "y", from: number, to: number): Axis {
  const values = traces.flatMap((t) => traceValues(t, letter));
  const kind = axisKind(axisLayout, values);
  const categories = kind === "category" ? categoriesOf(values) : [];
  const range = asArray(axisLayout.range).map(asNumber);
  let lo: number;
  let hi: number;
  if (range.length === 2 && range[0] !== undefined && range[1] !== undefined && range[0] !== range[1]) {
    [lo, hi] = [range[0], range[1]];
  } else {
    const shape = { kind, categories };
    [lo, hi] = kind === "category" && categories.length > 0 ? [-0.5, categories.length - 0.5] : autorange(traces.map((t) => traceExtent(t, letter, shape)).filter((e): e is Extent => e !== undefined), letter);
    if (axisLayout.autorange === "reversed") [lo, hi] = [hi, lo];
  }
  return { kind, categories, lo, hi, from, to };
}

/** How x tick labels are set: flat when they fit between ticks, else at 30 or 90 degrees (Plotly's autotickangles). */
function xLabelAngle(axis: Axis, ticks: Tick[]): { angle: number; depth: number } {
  const widest = Math.max(0, ...ticks.map((t) => textWidth(t.label, FONT_SIZE)));
  const positions = ticks.map((t) => pixelOf(axis, t.at)).sort((a, b) => a - b);
  let spacing = Infinity;
  for (let i = 1; i < positions.length; i++) spacing = Math.min(spacing, positions[i] - positions[i - 1]);
  if (widest + 4 <= spacing) return { angle: 0, depth: FONT_SIZE + 6 };
  const angle = spacing * Math.sin(Math.PI / 6) >= FONT_SIZE ? 30 : 90;
  const rad = (angle * Math.PI) / 180;
  return { angle, depth: widest * Math.sin(rad) + FONT_SIZE * Math.cos(rad) + 8 };
}

function planAxes(traces: TraceInfo[], layout: Loose, plot: Box): { x: AxisPlan; y: AxisPlan } {
  const xLayout = asObject(layout.xaxis);
  const yLayout = asObject(layout.yaxis);
  const xAxis = buildAxis(traces, xLayout, "x", plot.left, plot.right);
  const yAxis = buildAxis(traces, yLayout, "y", plot.bottom, plot.top);
  const xTicks = axisTicks(xAxis, xLayout, "x");
  const yTicks = axisTicks(yAxis, yLayout, "y");
  return {
    x: { axis: xAxis, ticks: xTicks, ...xLabelAngle(xAxis, xTicks) },
    y: { axis: yAxis, ticks: yTicks, angle: 0, depth: Math.max(0, ...yTicks.map((t) => textWidth(t.label, FONT_SIZE))) + 6 },
  };
}

/** The plot area grown (never shrunk) so the tick labels and axis titles fit, as Plotly's automargin does. */
function fitPlotArea(plot: Box, axes: { x: AxisPlan; y: AxisPlan }, layout: Loose, width: number, height: number): Box {
  const xTitle = titleText(asObject(layout.xaxis).title) ? AXIS_TITLE_FONT_SIZE + 10 : 0;
  const yTitle = titleText(asObject(layout.yaxis).title) ? AXIS_TITLE_FONT_SIZE + 12 : 0;
  const left = Math.min(0.45 * width, Math.max(plot.left, axes.y.depth + yTitle + 6));
  const bottom = Math.max(0.55 * height, Math.min(plot.bottom, height - (axes.x.depth + xTitle + 6)));
  return { ...plot, left: Math.max(plot.left, left), bottom: Math.min(plot.bottom, bottom) };
}

// ---------------------------------------------------------------------------------------------------------------
// Geometry

/** The part of segment a-b inside the box (Liang-Barsky), or undefined when none is. */
function clipSegment(a: Point, b: Point, box: Box): [Point, Point] | undefined {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [[-dx, a[0] - box.left], [dx, box.right - a[0]], [-dy, a[1] - box.top], [dy, box.bottom - a[1]]];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return undefined;
      continue;
    }
    const r = q / p;
    if (p < 0) {
      if (r > t1) return undefined;
      t0 = Math.max(t0, r);
    } else {
      if (r < t0) return undefined;
      t1 = Math.min(t1, r);
    }
  }
  return [[a[0] + t0 * dx, a[1] + t0 * dy], [a[0] + t1 * dx, a[1] + t1 * dy]];
}

/**
 * At most four points per pixel column of a run (its first, lowest, highest and last: the M4 reduction), which
 * draw the same line: a dense noisy curve keeps its band without writing every point.
 */
function decimateByColumn(run: Point[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < run.length; ) {
    const column = Math.floor(run[i][0]);
    let [j, low, high] = [i, i, i];
    for (; j < run.length && Math.floor(run[j][0]) === column; j++) {
      if (run[j][1] < run[low][1]) low = j;
      if (run[j][1] > run[high][1]) high = j;
    }
    for (const k of [...new Set([i, low, high, j - 1])].sort((a, b) => a - b)) out.push(run[k]);
    i = j;
  }
  return out;
}

/** Distance in pixels from point p to the segment a-b. */
function distanceToSegment(p: Point, a: Point, b: Point): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

/**
 * The points of a run that change the drawn line by more than `tolerance` px (plotly.js simplifies lines too): a
 * 3000-step loss curve would otherwise write 3000 points into a 600 px wide plot.
 */
function simplifyRun(run: Point[], tolerance = 0.5): Point[] {
  if (run.length <= 2) return run;
  const kept: Point[] = [run[0]];
  let between: Point[] = []; // points after the last kept one, up to the one before run[i]
  for (let i = 1; i < run.length; i++) {
    const anchor = kept[kept.length - 1];
    // A cap on how many points one segment may stand for keeps this linear on long straight stretches.
    if (between.length >= 200 || between.some((p) => distanceToSegment(p, anchor, run[i]) > tolerance)) {
      kept.push(run[i - 1]);
      between = [];
    }
    between.push(run[i]);
  }
  kept.push(run[run.length - 1]);
  return kept;
}

/** Path data of polylines (runs of valid points; a missing point breaks the line), clipped to the box. */
function polylinePath(runs: Point[][], box: Box): string {
  let d = "";
  let pen = "";
  for (const run of runs) {
    for (let i = 1; i < run.length; i++) {
      const clipped = clipSegment(run[i - 1], run[i], box);
      if (!clipped) {
        pen = "";
        continue;
      }
      const start = `${px(clipped[0][0])} ${px(clipped[0][1])}`;
      const end = `${px(clipped[1][0])} ${px(clipped[1][1])}`;
      if (start !== pen) d += `M${start}`;
      d += `L${end}`;
      pen = end;
    }
    pen = "";
  }
  return d;
}

const inside = (p: Point, box: Box): boolean => p[0] >= box.left - 0.5 && p[0] <= box.right + 0.5 && p[1] >= box.top - 0.5 && p[1] <= box.bottom + 0.5;

/** A rectangle between two x and two y pixels, cut to the box; empty string when nothing is left. */
function rectSvg(x0: number, x1: number, y0: number, y1: number, box: Box, attributes = ""): string {
  const left = Math.max(box.left, Math.min(x0, x1));
  const right = Math.min(box.right, Math.max(x0, x1));
  const top = Math.max(box.top, Math.min(y0, y1));
  const bottom = Math.min(box.bottom, Math.max(y0, y1));
  if (right - left <= 0 || bottom - top <= 0) return "";
  return `<rect x="${px(left)}" y="${px(top)}" width="${px(right - left)}" height="${px(bottom - top)}"${attributes}/>`;
}

/** An error bar's place: its pixel x, the value it is around (data units) and its [minus, plus] extent. */
interface ErrorBar {
  x: number;
  value: number;
  error: [number, number];
}

/**
 * A trace's vertical error bars with caps (half-width error_y.width, 4 px), clipped to the box, as one path; an end
 * that a log axis cannot show (at or below 0) runs to the axis's low end.
 */
function errorBarsSvg(trace: Loose, bars: ErrorBar[], y: Axis, box: Box, defaultColor: string): string {
  const style = asObject(trace.error_y);
  const cap = asNumber(style.width) ?? 4;
  const pixelOrBottom = (v: number): number => pixelOf(y, toLinear(y, v) ?? Math.min(y.lo, y.hi));
  let d = "";
  for (const { x, value, error } of bars) {
    if (x < box.left - 0.5 || x > box.right + 0.5) continue;
    const [low, high] = [pixelOrBottom(value - error[0]), pixelOrBottom(value + error[1])];
    const top = Math.max(box.top, Math.min(low, high));
    const bottom = Math.min(box.bottom, Math.max(low, high));
    if (bottom < top) continue;
    d += `M${px(x)} ${px(top)}V${px(bottom)}`;
    for (const end of [low, high]) if (end >= box.top - 0.5 && end <= box.bottom + 0.5) d += `M${px(x - cap)} ${px(end)}h${px(2 * cap)}`;
  }
  const color = asString(style.color) ?? defaultColor;
  return d ? `<path d="${d}" fill="none" stroke="${escapeXml(color)}" stroke-width="${px(asNumber(style.thickness) ?? 2)}"/>` : "";
}

/** Fill and stroke of markers: an outline for "-open" symbols ("circle-open"), else filled in marker.color. */
function markerPaint(marker: Loose, color: string): string {
  if (/-open$/.test(asString(marker.symbol) ?? "")) return `fill="none" stroke="${escapeXml(color)}" stroke-width="1.5"`;
  return `fill="${escapeXml(asString(marker.color) ?? color)}"`;
}

// ---------------------------------------------------------------------------------------------------------------
// Traces

/** A scatter trace's mode, with Plotly's default: lines and markers below 20 points, lines alone from 20 up. */
function scatterMode(trace: Loose): string {
  return asString(trace.mode) ?? (asArray(trace.y).length < 20 ? "lines+markers" : "lines");
}

/** Side-by-side slots of grouped traces: an offset from the category (linear units) per trace, and the bar width. */
interface Grouping {
  offsetOf(info: TraceInfo): number;
  barWidth: number;
}

/**
 * plotly.js's grouping: bars with barmode "group" and scatter traces with scattermode "group" share one set of
 * offset groups per axis (a trace without offsetgroup is a group of its own), so markers with the offsetgroup of a
 * bar sit over that bar; `bargap` (0.2) of each category is left between the groups.
 */
function groupTraces(drawn: TraceInfo[], layout: Loose, x: Axis): Grouping {
  const barsGrouped = (asString(layout.barmode) ?? "group") === "group";
  const grouped = drawn.filter((t) => (t.kind === "bar" && barsGrouped) || (t.kind === "scatter" && layout.scattermode === "group"));
  const positioned = drawn.filter((t) => t.kind === "bar" || grouped.includes(t));
  const positions = positioned.flatMap((t) => traceValues(t, "x").map((v) => toLinear(x, v))).filter((v): v is number => v !== undefined);
  const groupWidth = (x.kind === "category" ? 1 : positionUnit(positions)) * (1 - (asNumber(layout.bargap) ?? 0.2));
  const keys = [...new Set(grouped.map(groupKey))];
  const slot = groupWidth / Math.max(1, keys.length);
  const offsets = new Map(keys.map((k, i) => [k, -groupWidth / 2 + (i + 0.5) * slot]));
  return {
    offsetOf: (info) => (grouped.includes(info) ? (offsets.get(groupKey(info)) ?? 0) : 0),
    barWidth: barsGrouped ? slot : groupWidth,
  };
}

const groupKey = (info: TraceInfo): string => (info.trace.offsetgroup !== undefined && info.trace.offsetgroup !== "" ? `g:${String(info.trace.offsetgroup)}` : `t:${info.index}`);

/** Pixel offset of a label from its marker for Plotly's textposition ("top center", "middle right", ...). */
function textPlacement(position: unknown, radius: number): { dx: number; dy: number; anchor: string } {
  const [vertical, horizontal] = (asString(position) ?? "middle center").split(" ");
  const dy = vertical === "top" ? -radius - 4 : vertical === "bottom" ? radius + FONT_SIZE : FONT_SIZE * 0.35;
  const dx = horizontal === "left" ? -radius - 3 : horizontal === "right" ? radius + 3 : 0;
  return { dx, dy, anchor: horizontal === "left" ? "end" : horizontal === "right" ? "start" : "middle" };
}

/** A scatter trace: its line (broken at missing points), error bars, markers and text labels. */
function scatterSvg(info: TraceInfo, x: Axis, y: Axis, box: Box, xShift: number): string {
  const t = info.trace;
  const mode = scatterMode(t);
  const line = asObject(t.line);
  const marker = asObject(t.marker);
  const ys = asArray(t.y);
  const xs = Array.isArray(t.x) ? t.x : indices(ys.length);
  const points: (Point | undefined)[] = ys.map((yv, i) => {
    const lx = toLinear(x, xs[i]);
    const ly = toLinear(y, yv);
    return lx === undefined || ly === undefined ? undefined : [pixelOf(x, lx + xShift), pixelOf(y, ly)];
  });
  const parts: string[] = [];
  if (mode.includes("lines")) {
    const runs: Point[][] = [[]];
    for (const p of points) {
      if (p) runs[runs.length - 1].push(p);
      else runs.push([]);
    }
    const width = asNumber(line.width) ?? 2;
    const dash = dashArray(line.dash, width);
    const d = polylinePath(runs.map((run) => simplifyRun(decimateByColumn(run))), box);
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${escapeXml(info.color)}" stroke-width="${px(width)}"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`);
  }
  const errors = errorsOf(t, ys);
  const errorBars = points.flatMap((p, i): ErrorBar[] => {
    const error = errors[i];
    return p && error ? [{ x: p[0], value: asNumber(ys[i]) as number, error }] : [];
  });
  parts.push(errorBarsSvg(t, errorBars, y, box, info.color));
  const sizes = asArray(marker.size);
  const colors = asArray(marker.color);
  const radiusAt = (i: number): number => (asNumber(sizes[i]) ?? asNumber(marker.size) ?? 6) / 2;
  if (mode.includes("markers")) {
    points.forEach((p, i) => {
      if (!p || !inside(p, box)) return;
      const own = asString(colors[i]);
      parts.push(`<circle cx="${px(p[0])}" cy="${px(p[1])}" r="${px(radiusAt(i))}"${own ? ` fill="${escapeXml(own)}"` : ""}/>`);
    });
  }
  if (mode.includes("text")) {
    const texts = Array.isArray(t.text) ? t.text : points.map(() => t.text);
    const textColor = asString(asObject(t.textfont).color) ?? TEXT_COLOR;
    points.forEach((p, i) => {
      const label = texts[i];
      if (!p || !inside(p, box) || label === undefined || label === null || label === "") return;
      const place = textPlacement(t.textposition, mode.includes("markers") ? radiusAt(i) : 0);
      parts.push(textSvg(p[0] + place.dx, p[1] + place.dy, String(label), ` fill="${escapeXml(textColor)}" stroke="none" text-anchor="${place.anchor}"`));
    });
  }
  return `<g class="trace scatter" ${markerPaint(marker, info.color)}>${parts.join("")}</g>`;
}

/** Every bar trace, in its group's slot of each category, with error bars. */
function barsSvg(bars: TraceInfo[], grouping: Grouping, x: Axis, y: Axis, box: Box): string[] {
  const base = y.kind === "log" ? box.bottom : pixelOf(y, 0);
  const half = grouping.barWidth / 2;
  return bars.map((info) => {
    const t = info.trace;
    const ys = asArray(t.y);
    const xs = traceValues(info, "x");
    const colors = asArray(asObject(t.marker).color);
    const shift = grouping.offsetOf(info);
    const errors = errorsOf(t, ys);
    const parts: string[] = [];
    const errorBars: ErrorBar[] = [];
    ys.forEach((v, i) => {
      const lx = toLinear(x, xs[i]);
      const ly = toLinear(y, v);
      if (lx === undefined || ly === undefined) return;
      const own = asString(colors[i]);
      const [x0, x1] = [pixelOf(x, lx + shift - half), pixelOf(x, lx + shift + half)];
      parts.push(rectSvg(x0, x1, base, pixelOf(y, ly), box, own ? ` fill="${escapeXml(own)}"` : ""));
      const error = errors[i];
      if (error) errorBars.push({ x: pixelOf(x, lx + shift), value: asNumber(v) as number, error });
    });
    // plotly.js colors a bar's error bars with its outline color, #444 by default, not with the bar's fill.
    parts.push(errorBarsSvg(t, errorBars, y, box, TEXT_COLOR));
    return `<g class="trace bar" fill="${escapeXml(info.color)}">${parts.join("")}</g>`;
  });
}

/** Cell edges in linear units around centers: halfway to the neighbours (a category's cell is its index +- 0.5). */
function cellEdges(centers: (number | undefined)[]): ([number, number] | undefined)[] {
  const unit = positionUnit(centers.filter((c): c is number => c !== undefined));
  return centers.map((c, i) => {
    if (c === undefined) return undefined;
    const before = centers[i - 1];
    const after = centers[i + 1];
    return [before !== undefined ? (before + c) / 2 : c - unit / 2, after !== undefined ? (after + c) / 2 : c + unit / 2];
  });
}

/** A heatmap's z range and colorscale: zmin/zmax or the data's extremes; colorscale name or array, reversescale. */
function heatmapScale(trace: Loose): { zmin: number; zmax: number; stops: [number, [number, number, number]][] } {
  const values = asArray(trace.z).flatMap((row) => asArray(row).map(asNumber)).filter((v): v is number => v !== undefined);
  const [low, high] = finiteRange(values) ?? [0, 1];
  const zmin = asNumber(trace.zmin) ?? low;
  const zmax = asNumber(trace.zmax) ?? high;
  return { zmin, zmax, stops: colorscaleStops(trace.colorscale, trace.reversescale === true) };
}

/** Cell text from a texttemplate: %{text}, %{z}, %{x} and %{y} (a ":.2f" format on z is honoured). */
function cellText(template: string, fields: { text: unknown; z: number; x: unknown; y: unknown }): string {
  return template.replace(/%\{(\w+)(?::([^}]*))?\}/g, (_, name: string, format: string | undefined) => {
    if (name === "z") {
      const fixed = format ? /^\.(\d+)f$/.exec(format) : null;
      return fixed ? fields.z.toFixed(Number(fixed[1])) : formatNumber(fields.z);
    }
    const value = (fields as Record<string, unknown>)[name];
    return value === undefined || value === null ? "" : String(value);
  });
}

/** A heatmap: one rect per finite cell colored on its scale, with the texttemplate's text in contrasting ink. */
function heatmapSvg(info: TraceInfo, x: Axis, y: Axis, box: Box): string {
  const t = info.trace;
  const z = asArray(t.z).map(asArray);
  const { zmin, zmax, stops } = heatmapScale(t);
  const xEdges = cellEdges(traceValues(info, "x").map((v) => toLinear(x, v)));
  const yEdges = cellEdges(traceValues(info, "y").map((v) => toLinear(y, v)));
  const xLabels = traceValues(info, "x");
  const yLabels = traceValues(info, "y");
  const texts = asArray(t.text).map(asArray);
  const template = asString(t.texttemplate);
  const parts: string[] = [];
  z.forEach((row, i) => {
    row.forEach((cell, j) => {
      const v = asNumber(cell);
      const xe = xEdges[j];
      const ye = yEdges[i];
      if (v === undefined || !xe || !ye) return;
      const fill = colorAt(stops, zmax === zmin ? 0.5 : (v - zmin) / (zmax - zmin));
      const [x0, x1, y0, y1] = [pixelOf(x, xe[0]), pixelOf(x, xe[1]), pixelOf(y, ye[0]), pixelOf(y, ye[1])];
      const rect = rectSvg(x0, x1, y0, y1, box, ` fill="${fill}"`);
      if (!rect) return;
      parts.push(rect);
      if (!template) return;
      const label = cellText(template, { text: texts[i]?.[j], z: v, x: xLabels[j], y: yLabels[i] });
      const [w, h] = [Math.abs(x1 - x0), Math.abs(y1 - y0)];
      const size = Math.min(FONT_SIZE, 0.7 * h, (0.9 * w * FONT_SIZE) / Math.max(1, textWidth(label, FONT_SIZE)));
      if (!label || size < 6) return;
      const sizeAttribute = size < FONT_SIZE ? ` font-size="${px(size)}"` : "";
      parts.push(textSvg((x0 + x1) / 2, (y0 + y1) / 2 + 0.35 * size, label, ` fill="${contrastText(fill)}"${sizeAttribute}`));
    });
  });
  return `<g class="trace heatmap" text-anchor="middle" shape-rendering="crispEdges">${parts.join("")}</g>`;
}

// ---------------------------------------------------------------------------------------------------------------
// Figure furniture: grid, axes' labels, titles, legend, colorbar

/** Grid lines at the ticks (light) and the zero line (dark) of linear axes, as plotly.js draws them by default. */
function gridSvg(x: AxisPlan, y: AxisPlan, layout: Loose, box: Box): string {
  const xLayout = asObject(layout.xaxis);
  const yLayout = asObject(layout.yaxis);
  const zeroAt = (axis: Axis): number | undefined => (axis.kind === "linear" && Math.min(axis.lo, axis.hi) <= 0 && Math.max(axis.lo, axis.hi) >= 0 ? pixelOf(axis, 0) : undefined);
  const xZero = xLayout.zeroline === false ? undefined : zeroAt(x.axis);
  const yZero = yLayout.zeroline === false ? undefined : zeroAt(y.axis);
  let grid = "";
  if (xLayout.showgrid !== false) for (const tick of x.ticks) if (x.axis.kind !== "linear" || tick.at !== 0 || xZero === undefined) grid += `M${px(pixelOf(x.axis, tick.at))} ${px(box.top)}V${px(box.bottom)}`;
  if (yLayout.showgrid !== false) for (const tick of y.ticks) if (y.axis.kind !== "linear" || tick.at !== 0 || yZero === undefined) grid += `M${px(box.left)} ${px(pixelOf(y.axis, tick.at))}H${px(box.right)}`;
  let zero = "";
  if (xZero !== undefined) zero += `M${px(xZero)} ${px(box.top)}V${px(box.bottom)}`;
  if (yZero !== undefined) zero += `M${px(box.left)} ${px(yZero)}H${px(box.right)}`;
  return (grid ? `<path class="grid" d="${grid}" stroke="${GRID_COLOR}" fill="none"/>` : "") + (zero ? `<path class="zeroline" d="${zero}" stroke="${TEXT_COLOR}" fill="none"/>` : "");
}

function xTickLabelsSvg(plan: AxisPlan, box: Box): string {
  const labels = plan.ticks.map((tick) => {
    const at = pixelOf(plan.axis, tick.at);
    if (plan.angle === 0) return textSvg(at, box.bottom + 6 + FONT_SIZE * 0.8, tick.label);
    const rad = (plan.angle * Math.PI) / 180;
    const [ax, ay] = [at + 0.35 * FONT_SIZE * Math.sin(rad), box.bottom + 6 + 0.8 * FONT_SIZE * Math.cos(rad)];
    return textSvg(ax, ay, tick.label, ` transform="rotate(-${plan.angle} ${px(ax)} ${px(ay)})"`);
  });
  return `<g class="xtick" text-anchor="${plan.angle === 0 ? "middle" : "end"}">${labels.join("")}</g>`;
}

function yTickLabelsSvg(plan: AxisPlan, box: Box): string {
  const labels = plan.ticks.map((tick) => textSvg(box.left - 6, pixelOf(plan.axis, tick.at) + 0.35 * FONT_SIZE, tick.label));
  return `<g class="ytick" text-anchor="end">${labels.join("")}</g>`;
}

function axisTitlesSvg(layout: Loose, axes: { x: AxisPlan; y: AxisPlan }, box: Box): string {
  const xTitle = titleText(asObject(layout.xaxis).title);
  const yTitle = titleText(asObject(layout.yaxis).title);
  let out = "";
  const style = ` font-size="${AXIS_TITLE_FONT_SIZE}" text-anchor="middle"`;
  if (xTitle) out += textSvg((box.left + box.right) / 2, box.bottom + axes.x.depth + 4 + AXIS_TITLE_FONT_SIZE * 0.8, xTitle, ` class="xtitle"${style}`);
  if (yTitle) {
    const [tx, ty] = [box.left - axes.y.depth - 8, (box.top + box.bottom) / 2];
    out += textSvg(tx, ty, yTitle, ` class="ytitle"${style} transform="rotate(-90 ${px(tx)} ${px(ty)})"`);
  }
  return out;
}

/** The traces in the legend: named ones that are not heatmaps nor showlegend: false, when two or more qualify. */
function legendEntries(traces: TraceInfo[], layout: Loose): TraceInfo[] {
  if (layout.showlegend === false) return [];
  const named = traces.filter((t) => t.kind !== "heatmap" && t.trace.showlegend !== false && t.trace.name !== undefined && t.trace.name !== null && t.trace.name !== "");
  // Plotly shows a legend for two traces or more, or when the layout asks for it.
  return named.length >= 2 || (layout.showlegend === true && named.length > 0) ? named : [];
}

function legendLabelWidth(entries: TraceInfo[], width: number): number {
  return Math.min(0.4 * width - 60, Math.max(0, ...entries.map((e) => textWidth(String(e.trace.name), FONT_SIZE))));
}

/** A legend entry's symbol, 40 px wide: a line sample (with its dash), a marker, or a bar's square. */
function legendSymbolSvg(info: TraceInfo, x: number, y: number): string {
  const t = info.trace;
  const color = escapeXml(info.color);
  if (info.kind === "bar") return `<rect x="${px(x + 14)}" y="${px(y - 6)}" width="12" height="12" fill="${escapeXml(asString(asObject(t.marker).color) ?? info.color)}"/>`;
  const mode = scatterMode(t);
  let out = "";
  if (mode.includes("lines")) {
    const width = Math.min(asNumber(asObject(t.line).width) ?? 2, 5);
    const dash = dashArray(asObject(t.line).dash, width);
    out += `<path d="M${px(x + 5)} ${px(y)}h30" stroke="${color}" stroke-width="${px(width)}"${dash ? ` stroke-dasharray="${dash}"` : ""}/>`;
  }
  if (mode.includes("markers")) {
    const marker = asObject(t.marker);
    const r = Math.min(asNumber(marker.size) ?? 6, 16) / 2;
    out += `<circle cx="${px(x + 20)}" cy="${px(y)}" r="${px(r)}" ${markerPaint(marker, info.color)}/>`;
  }
  return out;
}

/** The legend at the right of the plot, one row per entry from the plot's top (Plotly's vertical legend). */
function legendSvg(entries: TraceInfo[], left: number, top: number, labelWidth: number): string {
  const rows = entries.map((e, i) => {
    const y = top + (i + 0.5) * LEGEND_ROW_PX;
    return legendSymbolSvg(e, left, y) + textSvg(left + 40, y + 0.35 * FONT_SIZE, truncateToWidth(String(e.trace.name), labelWidth + 1, FONT_SIZE));
  });
  return `<g class="legend">${rows.join("")}</g>`;
}

/** A colorbar for the first heatmap: the scale in stacked slices (no gradient ids to clash between figures), ticks. */
function colorbarSvg(heatmap: TraceInfo, left: number, box: Box): string {
  const { zmin, zmax, stops } = heatmapScale(heatmap.trace);
  const height = box.bottom - box.top;
  let slices = "";
  for (let k = 0; k < COLORBAR_SLICES; k++) {
    const [y0, y1] = [box.bottom - (k * height) / COLORBAR_SLICES, box.bottom - ((k + 1) * height) / COLORBAR_SLICES];
    slices += `<rect x="${px(left)}" y="${px(y1)}" width="${COLORBAR_PX}" height="${px(y0 - y1 + 0.5)}" fill="${colorAt(stops, (k + 0.5) / COLORBAR_SLICES)}"/>`;
  }
  const ticks = zmax > zmin ? linearTicks(zmin, zmax, tickTarget(height, "y")) : [];
  const labels = ticks.map((t) => textSvg(left + COLORBAR_PX + 4, box.bottom - ((t.at - zmin) / (zmax - zmin)) * height + 0.35 * FONT_SIZE, t.label)).join("");
  return `<g class="colorbar" shape-rendering="crispEdges">${slices}</g><g class="colorbar-ticks">${labels}</g>`;
}

function colorbarWidth(heatmap: TraceInfo | undefined, height: number): number {
  if (!heatmap || heatmap.trace.showscale === false) return 0;
  const { zmin, zmax } = heatmapScale(heatmap.trace);
  const labels = zmax > zmin ? linearTicks(zmin, zmax, tickTarget(height, "y")) : [];
  return 10 + COLORBAR_PX + 4 + Math.max(0, ...labels.map((t) => textWidth(t.label, FONT_SIZE))) + 8;
}

// ---------------------------------------------------------------------------------------------------------------
// The figure

/** The traces flanlab draws (scatter, bar, heatmap; visible), with plotly.js's default color for each. */
function traceInfos(data: PlotlyTrace[], layout: Loose): TraceInfo[] {
  const colorway = asArray(layout.colorway).filter((c): c is string => typeof c === "string");
  const palette = colorway.length > 0 ? colorway : D3_COLORWAY;
  const out: TraceInfo[] = [];
  let colorIndex = 0; // plotly.js counts every trace that is not visible: false, whatever its type
  data.forEach((raw, index) => {
    const trace = asObject(raw);
    if (trace.visible === false) return;
    const fallback = palette[colorIndex++ % palette.length];
    const type = asString(trace.type) ?? "scatter";
    if (type !== "scatter" && type !== "bar" && type !== "heatmap") return;
    const line = asObject(trace.line);
    const marker = asObject(trace.marker);
    const color = (type === "scatter" ? asString(line.color) : undefined) ?? asString(marker.color) ?? fallback;
    out.push({ trace, kind: type, index, color, drawn: trace.visible !== "legendonly" });
  });
  return out;
}

/** A self-contained inline <svg> of a figureHtml figure (same data, layout, height) for views that run no JavaScript. */
export function staticFigureSvg(data: PlotlyTrace[], layout: PlotlyLayout, heightPx: number, widthPx = 760): string {
  const width = Number.isFinite(widthPx) ? Math.max(100, widthPx) : 760;
  const height = Number.isFinite(heightPx) ? Math.max(100, heightPx) : 380;
  const l = asObject(layout);
  const margin = { ...PLOTLY_MARGIN, ...(l.margin !== undefined ? asObject(l.margin) : FIGURE_HTML_MARGIN) } as Record<string, unknown>;
  const [mt, mr, mb, ml] = ["t", "r", "b", "l"].map((k) => asNumber(margin[k]) ?? 80);
  const title = titleText(l.title);
  const parts = [`<rect width="${width}" height="${height}" fill="#fff"/>`];
  if (title) parts.push(textSvg(width / 2, mt / 2 + 0.35 * TITLE_FONT_SIZE, title, ` class="title" font-size="${TITLE_FONT_SIZE}" text-anchor="middle"`));
  const traces = traceInfos(data, l);
  if (traces.length > 0) parts.push(plotSvg(traces, l, width, height, { left: ml, top: mt, right: width - mr, bottom: height - mb }));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="tex2jax_ignore mathjax_ignore" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"` +
    ` style="max-width:100%;height:auto" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}" fill="${TEXT_COLOR}">${parts.join("")}</svg>`
  );
}

/** Everything but the title: axes fitted to their labels, traces (heatmaps, then bars, then scatter), legend, colorbar. */
function plotSvg(traces: TraceInfo[], layout: Loose, width: number, height: number, margins: Box): string {
  const entries = legendEntries(traces, layout);
  const labelWidth = legendLabelWidth(entries, width);
  const legendWidth = entries.length > 0 ? 10 + 40 + labelWidth + 8 : 0;
  const heatmap = traces.find((t) => t.kind === "heatmap" && t.drawn);
  const barWidth = colorbarWidth(heatmap, margins.bottom - margins.top);
  const drawn = traces.filter((t) => t.drawn); // legendonly traces take no part in the autorange either
  let plot: Box = { ...margins, right: Math.max(margins.left + 50, margins.right - legendWidth - barWidth) };
  let axes = planAxes(drawn, layout, plot);
  // Labels depend on the plot's size and the size on the labels: two rounds settle it.
  for (let pass = 0; pass < 2; pass++) {
    plot = fitPlotArea(plot, axes, layout, width, height);
    axes = planAxes(drawn, layout, plot);
  }
  const grouping = groupTraces(drawn, layout, axes.x.axis);
  const parts = [gridSvg(axes.x, axes.y, layout, plot)];
  for (const t of drawn) if (t.kind === "heatmap") parts.push(heatmapSvg(t, axes.x.axis, axes.y.axis, plot));
  const bars = drawn.filter((t) => t.kind === "bar");
  if (bars.length > 0) parts.push(...barsSvg(bars, grouping, axes.x.axis, axes.y.axis, plot));
  for (const t of drawn) if (t.kind === "scatter") parts.push(scatterSvg(t, axes.x.axis, axes.y.axis, plot, grouping.offsetOf(t)));
  parts.push(xTickLabelsSvg(axes.x, plot), yTickLabelsSvg(axes.y, plot), axisTitlesSvg(layout, axes, plot));
  if (heatmap && barWidth > 0) parts.push(colorbarSvg(heatmap, plot.right + 10, plot));
  if (entries.length > 0) parts.push(legendSvg(entries, plot.right + barWidth + 10, plot.top, labelWidth));
  return parts.join("");
}
