// A Plotly chart that stays mounted: each rerun hands it a new figure and Plotly.react updates the one
// graph in place (st.plotly_chart remounts, i.e. Plotly.newPlot, whenever the figure changes).
// Plotly itself is the copy Streamlit ships: its lazily loaded chart module sets window.Plotly when it runs,
// so the page never downloads plotly.js twice.  Clicks on a point are sent back as the "click" trigger.
// data: {figure: Plotly JSON, config: Plotly config, bundle: the chart module's file name, clickable, defer}.

// A module of Streamlit's own frontend build, by file name (it sits beside the page's index.*.js).
function streamlitModule(file) {
  const index = document.querySelector('script[src*="static/js/index."]');
  return import(new URL(file, index.src).href);
}

function plotly(bundle) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  return streamlitModule(bundle).then(() => window.Plotly);
}

// Load ``files`` (Streamlit modules an element further on will need) once the browser is idle, each once per
// page: the element then shows without waiting for its module.  A failed preload is no error: the element
// loads its module itself, as it would have.
const preloaded = new Set();
function preload(files) {
  const idle = window.requestIdleCallback || ((callback) => setTimeout(callback, 200));
  for (const file of files.filter((f) => !preloaded.has(f))) {
    preloaded.add(file);
    idle(() => streamlitModule(file).catch(() => preloaded.delete(file)));
  }
}

// Streamlit's look (what st.plotly_chart's "streamlit" theme gives a chart), read from the page's theme
// variables; the figure's own layout wins wherever it says something.
function theme(element) {
  const css = getComputedStyle(element);
  const v = (name) => css.getPropertyValue(name).trim();
  const text = v("--st-text-color"), faded = fade(text, 0.6), grid = v("--st-border-color-light");
  const font = v("--st-font"), background = v("--st-background-color");
  const axis = { tickfont: { color: faded, size: 12 }, title: { font: { color: faded, size: 14 } },
                 gridcolor: grid, zerolinecolor: grid, tickcolor: grid };
  return {
    font: { family: font, color: faded, size: 12 },
    title: { font: { family: v("--st-heading-font"), color: v("--st-heading-color"), size: 16 }, x: 0,
             xanchor: "left" },
    legend: { font: { color: text, size: 12 } },
    hoverlabel: { bgcolor: background, bordercolor: grid, font: { color: text, family: font, size: 12 } },
    paper_bgcolor: background, plot_bgcolor: background, xaxis: axis, yaxis: axis,
  };
}

function fade(hex, alpha) {
  const rgb = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!rgb) return hex;
  const n = parseInt(rgb[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

const isObject = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

// ``layout`` over ``defaults``, object by object; every x/y axis of the layout gets the axis defaults.
function under(defaults, layout) {
  const out = { ...defaults };
  for (const [key, value] of Object.entries(layout)) {
    const base = defaults[key] ?? (/^[xy]axis\d+$/.test(key) ? defaults[key[0] + "axis"] : undefined);
    out[key] = isObject(value) && isObject(base) ? under(base, value) : value;
  }
  return out;
}

export default function ({ data, parentElement, setTriggerValue }) {
  let graph = parentElement.querySelector(".live-chart");
  if (!graph) {
    graph = document.createElement("div");
    graph.className = "live-chart";
    parentElement.appendChild(graph);
  }
  graph.sendTrigger = setTriggerValue; // the newest one: a click always reaches the current run
  const figure = JSON.parse(data.figure);
  graph.latest = figure;
  // A deferred chart waits until the next frame has been painted, so the charts drawn first are on screen
  // before it starts.
  const turn = data.defer ? new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
    : Promise.resolve();
  Promise.all([plotly(data.bundle), turn]).then(([Plotly]) => {
    if (graph.latest !== figure) return; // a newer figure has arrived meanwhile: draw that one only
    const layout = { ...under(theme(parentElement), figure.layout), autosize: true };
    const config = { responsive: true, ...data.config };
    if (graph._fullLayout) Plotly.animate(graph, [], { mode: "immediate" }); // stop a playing animation
    const drawn = Plotly.react(graph, { data: figure.data, layout, frames: figure.frames || [], config });
    // Bound as soon as react has made the graph (synchronously, before any of it is on screen), so no click
    // on a freshly drawn map is lost.
    if (data.clickable && !graph.clickBound) {
      graph.clickBound = true;
      graph.on("plotly_click", (event) => {
        const point = event.points && event.points[0];
        if (point) graph.sendTrigger("click", { x: point.x, y: point.y });
      });
    }
    return drawn;
  }).then(() => preload(data.preload || [])).catch((error) => {
    graph.textContent = `This chart could not be drawn: ${error}`;
  });
}
