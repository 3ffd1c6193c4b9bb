// Plotly figures as HTML strings for tslab's display.html: the same output shows in JupyterLab, in the executed
// notebook and in its nbconvert HTML rendering (no Plotly extension needed). Each figure carries a static SVG
// drawing of itself, shown where no JavaScript runs (GitHub, nbviewer) or Plotly is not loaded, and replaced by the
// interactive figure where it is.
import * as fs from "fs";
import { mathjaxIgnored } from "./escape";
import { staticFigureSvg } from "./static-figure";

/** Plotly trace and layout objects, as Plotly.newPlot takes them (kept loose: Plotly's schema is huge). */
export type PlotlyTrace = Record<string, unknown>;
export type PlotlyLayout = Record<string, unknown>;

/** Inline text in a <script> element safely: a literal "</script" would end the element early. */
function scriptSafe(source: string): string {
  return source.replace(/<\/script/gi, "<\\/script");
}

/**
 * The attribute that marks the Plotly loader's <script>. The notebook runner (scripts/execute_notebook.py) finds it
 * in executed notebooks and swaps the inline bundle for a reference to one shared copy, so that saved notebooks and
 * HTML pages stay small.
 */
export const PLOTLY_LOADER_ATTRIBUTE = "data-flanlab-plotly";

let loaderCache: string | undefined;

/**
 * A <script> element that defines window.Plotly from the plotly.js-dist bundle (about 10 MB), inline so that it
 * works offline in every front end. Display it once per notebook, in the first code cell, before any figure.
 */
export function plotlyLoaderHtml(): string {
  if (!loaderCache) {
    const bundle = fs.readFileSync(require.resolve("plotly.js-dist/plotly.js"), "utf8");
    loaderCache = `<script type="text/javascript" ${PLOTLY_LOADER_ATTRIBUTE}>if (!window.Plotly) {${scriptSafe(bundle)}\n}</script>`;
  }
  return loaderCache;
}

let figureCounter = 0;

/** How long a figure waits for window.Plotly (a loader still running) before it leaves its static drawing. */
const PLOTLY_WAIT_MS = 30_000;

/**
 * A figure: a div holding its static SVG drawing, and the script that replaces it by the interactive Plotly figure
 * once window.Plotly is there.
 */
export function figureHtml(data: PlotlyTrace[], layout: PlotlyLayout = {}, heightPx = 380): string {
  const id = `flanlab-figure-${process.pid}-${Date.now().toString(36)}-${figureCounter++}`;
  const fullLayout = { height: heightPx, margin: { t: 50, r: 20, b: 50, l: 60 }, ...layout };
  const spec = JSON.stringify({ data, layout: fullLayout });
  return mathjaxIgnored(
    `<div id="${id}" style="width:100%;min-height:${heightPx}px">${staticFigureSvg(data, fullLayout, heightPx)}</div>` +
      `<script type="text/javascript">(function(){var t0=Date.now();var s=${scriptSafe(spec)};` +
      `function draw(){var el=document.getElementById("${id}");if(!el)return;` +
      `if(window.Plotly){el.innerHTML="";window.Plotly.newPlot(el,s.data,s.layout,{responsive:true});}` +
      `else if(Date.now()-t0<${PLOTLY_WAIT_MS}){setTimeout(draw,100);}}draw();})();</script>`,
  );
}

export interface LineSeries {
  name: string;
  x: number[];
  y: number[];
}

/** Lines over a shared x axis, e.g. training loss by step. */
export function lineChartHtml(series: LineSeries[], options: { title: string; xTitle: string; yTitle: string; logY?: boolean }): string {
  return figureHtml(
    series.map((s) => ({ type: "scatter", mode: "lines", name: s.name, x: s.x, y: s.y })),
    {
      title: { text: options.title },
      xaxis: { title: { text: options.xTitle } },
      yaxis: { title: { text: options.yTitle }, type: options.logY ? "log" : "linear" },
    },
  );
}
