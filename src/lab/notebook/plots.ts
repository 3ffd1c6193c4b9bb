// Plotly figures as HTML strings for tslab's display.html: the same output shows in JupyterLab, in the executed
// notebook and in its nbconvert HTML rendering (no Plotly extension needed).
import * as fs from "fs";

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

/** A figure: a div and the script that draws it with window.Plotly. */
export function figureHtml(data: PlotlyTrace[], layout: PlotlyLayout = {}, heightPx = 380): string {
  const id = `flanlab-figure-${process.pid}-${Date.now().toString(36)}-${figureCounter++}`;
  const spec = JSON.stringify({ data, layout: { height: heightPx, margin: { t: 50, r: 20, b: 50, l: 60 }, ...layout } });
  return (
    `<div id="${id}" style="width:100%;height:${heightPx}px"></div>` +
    `<script type="text/javascript">(function(){var s=${scriptSafe(spec)};` +
    `function draw(){if(window.Plotly){window.Plotly.newPlot("${id}",s.data,s.layout,{responsive:true});}else{setTimeout(draw,50);}}draw();})();</script>`
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
