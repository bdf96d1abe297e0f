// A Plotly chart that stays mounted: each rerun hands it a new figure and Plotly.react updates the one
// graph in place (st.plotly_chart remounts, i.e. Plotly.newPlot, whenever the figure changes).
// Plotly itself is the copy Streamlit ships: its lazily loaded chart module sets window.Plotly when it runs,
// so the page never downloads plotly.js twice.  Clicks on a point are sent back as the "click" trigger.
// data: {figure: Plotly JSON, config: the Plotly config (lab.exports.chart_config, used as it is), bundle: the
// chart module's file name, clickable, defer, fill: as tall as the window, alt: the chart's text alternative}.

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
    const box = document.createElement("div");
    box.className = "live-chart-box";
    graph = document.createElement("div");
    graph.className = "live-chart";
    box.appendChild(graph);
    parentElement.appendChild(box);
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
    if (data.fill) fillWindow(graph, layout);
    if (graph._fullLayout) Plotly.animate(graph, [], { mode: "immediate" }); // stop a playing animation
    const frames = figure.frames || [];
    const { updatemenus, sliders, ...bare } = layout; // HTML controls stand in for an animation's own
    const drawn = Plotly.react(graph, { data: figure.data, layout: frames.length ? bare : layout, frames,
                                        config: data.config });
    animationControls(graph, frames.map((frame) => frame.name), layout);
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
  }).then(() => graph.latest === figure && fitLegend(graph))
    .then(() => graph.latest === figure && name(graph, data.alt)).then(() => preload(data.preload || [])).catch((error) => {
    graph.textContent = `This chart could not be drawn: ${error}`;
  });
}

// A legend above the plot that wraps into more rows than the figure made room for (a phone's narrow chart)
// would stick out over the chart's top, under whatever is above it: the top margin and the height grow by
// that much, so the plot keeps its size and the legend shows whole.
function fitLegend(graph) {
  const legend = graph.querySelector(".legend");
  if (!legend) return;
  const over = Math.ceil(graph.getBoundingClientRect().top - legend.getBoundingClientRect().top);
  if (over <= 1) return;
  const { margin, height } = graph._fullLayout;
  return window.Plotly.relayout(graph, { "margin.t": margin.t + over, height: height + over });
}

// To assistive technology the drawing is one image named by its text alternative (lab.figure_text.describe):
// Plotly's first SVG (the plot) gets role="img" and the words, its overlay SVG (legend, titles, hover labels)
// is hidden, so a screen reader hears the description once instead of stray tick numbers.  The modebar's
// buttons and the animation controls stay outside the image, reachable as they are.
function name(graph, alt) {
  graph.querySelectorAll("svg.main-svg").forEach((svg, k) => {
    if (k === 0) {
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", alt || "Chart");
    } else svg.setAttribute("aria-hidden", "true");
  });
}

// The animation controls as HTML (a figure with frames): Plotly draws its own Play/Pause buttons and step
// slider in SVG, which the keyboard cannot reach.  Here Play is a <button> that turns into Pause while the
// paths move (Tab, Enter and Space work as on any button) and the step is an <input type="range"> (arrow
// keys, Home, End); both drive Plotly.animate.  They sit in the room the figure reserves for its own
// controls, which are taken out of the layout.  The figure's own Play button gives the frame duration and
// its font size.
const STILL = { frame: { duration: 0, redraw: false }, mode: "immediate", transition: { duration: 0 } };

function makeControls(box, graph) {
  const bar = document.createElement("div");
  bar.className = "live-chart-controls";
  bar.innerHTML = '<button type="button" class="live-chart-play"><span aria-hidden="true"></span> ' +
    '<span class="live-chart-name"></span></button><input type="range" aria-label="Step" min="0" step="1" value="0">' +
    '<output aria-hidden="true"></output>';
  box.appendChild(bar);
  const [play, range, shown] = [bar.querySelector("button"), bar.querySelector("input"), bar.querySelector("output")];
  const controls = { bar, play, range, shown, names: [], options: STILL, playing: false };
  play.addEventListener("click", () => (controls.playing ? pause(graph, controls) : start(graph, controls)));
  range.addEventListener("input", () => {
    pause(graph, controls);
    window.Plotly.animate(graph, [controls.names[range.valueAsNumber]], STILL);
    show(controls, range.valueAsNumber);
  });
  graph.on("plotly_animatingframe", (event) => show(controls, controls.names.indexOf(event.name)));
  graph.on("plotly_animated", () => setPlaying(controls, false));
  graph.rewind = () => rewind(graph, controls);
  return controls;
}

// While the live lr slider shows another lr than the server's run (assets/lr_scrubber.js): the animation stops,
// its step control stands at step 0 and is held there (Play waits for the server's frames of that lr, which the
// next redraw brings).  Returns the first frame's {data, traces} (the heads at step 0, where every lr's run
// starts) for the slider to draw with its own patch in one Plotly.animate call; null when already held.
function rewind(graph, controls) {
  if (controls.held || !controls.names.length) return null;
  controls.held = true;
  pause(graph, controls);
  show(controls, 0);
  controls.play.disabled = controls.range.disabled = true;
  const first = graph._transitionData && graph._transitionData._frameHash[controls.names[0]];
  return first ? { data: first.data, traces: first.traces } : null;
}

function setPlaying(controls, playing) {
  controls.playing = playing;
  controls.play.querySelector("span").textContent = playing ? "❚❚" : "▶";
  controls.play.querySelector(".live-chart-name").textContent = playing ? "Pause" : "Play";
}

// Frame ``index`` on the scrubber: its value, what a screen reader says ("step 40 of 200"), the label.
function show(controls, index) {
  if (index < 0) return;
  const { range, shown, names } = controls;
  range.value = String(index);
  range.setAttribute("aria-valuenow", String(index));
  range.setAttribute("aria-valuetext", `step ${names[index]} of ${names[names.length - 1]}`);
  shown.textContent = `step ${names[index]}`;
}

// Play from the frame on the scrubber (from the first one when it stands at the end).
function start(graph, controls) {
  const at = controls.range.valueAsNumber;
  const from = at >= controls.names.length - 1 ? 0 : at;
  const { frame } = controls.options; // one duration per frame (slow motion at events) or one for all
  setPlaying(controls, true);
  window.Plotly.animate(graph, controls.names.slice(from),
    { ...controls.options, frame: Array.isArray(frame) ? frame.slice(from) : frame });
}

function pause(graph, controls) {
  if (!controls.playing) return;
  setPlaying(controls, false);
  window.Plotly.animate(graph, [null], STILL);
}

// The HTML controls of a graph whose frames are called ``names`` (hidden when there are none), in the room
// ``layout`` (the figure's, with its own animation buttons) reserves under the plot.
function animationControls(graph, names, layout) {
  if (!names.length && !graph.controls) return;
  graph.controls = graph.controls || makeControls(graph.parentElement, graph);
  const controls = graph.controls;
  const menu = (layout.updatemenus || [])[0];
  const playButton = ((menu && menu.buttons) || []).find((b) => b.method === "animate" && b.args[0] === null);
  // From the first frame of the list start() gives, not from where Plotly last stood.
  const options = { ...((playButton && playButton.args[1]) || STILL), fromcurrent: false };
  Object.assign(controls, { names, options });
  const margin = layout.margin || {};
  Object.assign(controls.bar.style, { display: names.length ? "" : "none", left: `${margin.l ?? 80}px`,
    right: `${margin.r ?? 80}px`, fontSize: menu && menu.font && menu.font.size ? `${menu.font.size}px` : "" });
  controls.range.max = String(Math.max(names.length - 1, 0));
  controls.held = controls.play.disabled = controls.range.disabled = false; // a new figure: its own frames
  setPlaying(controls, false);
  show(controls, 0);
}

// A chart as tall as the window below its top (a presenter's figure): ``layout.height`` set now and again
// whenever the window is resized.
const MIN_FILL = 320; // px: below this a map is too small to read; the page scrolls instead
function fillWindow(graph, layout) {
  const height = () => Math.max(MIN_FILL, Math.floor(window.innerHeight - (graph.getBoundingClientRect().top
    + window.scrollY) - 8));
  layout.height = height();
  if (graph.fillBound) return;
  graph.fillBound = true;
  window.addEventListener("resize", () => graph.isConnected && window.Plotly.relayout(graph, { height: height() }));
}
