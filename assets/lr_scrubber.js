// The live learning-rate slider (views/widgets/lr_scrubber.py): an ARIA slider on the log lr grid whose thumb, while it
// is dragged (mouse, touch) or moved by keys, swaps into the page's charts what the server draws for the lr under
// it (lab/scrub_charts.py: per chart, the traces and layout leaves that change with the lr) and its outcome words,
// with no server round trip.  Releasing the pointer, or keys left still for QUIET ms (or the focus leaving), sends
// the lr once as the "commit" trigger; the server's run then redraws the same figures.
// data: {label, options (lrs), texts (their labels), index, marks [{at: lr, text}], charts ({role: element key}),
// line (the racer's legend entry and outcome line), scrub: {names, words, charts: {role: {traces, table, pick,
// layouts, layout}}} or null, scrubId: what the scrub data is for ("" when there is none)}.  The server sends the
// scrub data once per scrubId (a commit changes only the lr): a run that sends the id alone means the table kept
// here for that id (``held``); when there is none, the "missing" trigger asks for it again.

const TYPES = { f4: Float32Array, f8: Float64Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array,
                i4: Int32Array, u4: Uint32Array };

// Plotly's JSON typed arrays ({dtype, bdata}) as JavaScript typed arrays, once per scrub data.
function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== "object") return value;
  if (value.dtype in TYPES && typeof value.bdata === "string") {
    const bytes = Uint8Array.from(atob(value.bdata), (c) => c.charCodeAt(0));
    return new TYPES[value.dtype](bytes.buffer);
  }
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, decode(v)]));
}

// Where ``lr`` sits on the slider (0 .. 1): between the two grid values around it, on a log scale.
function place(options, lr) {
  const last = options.length - 1;
  if (lr <= options[0]) return 0;
  if (lr >= options[last]) return 1;
  let j = 0;
  while (options[j + 1] < lr) j++;
  return (j + Math.log(lr / options[j]) / Math.log(options[j + 1] / options[j])) / last;
}

function build(root) {
  root.innerHTML = '<div class="lr-scrub"><div class="lr-scrub-head"><span class="lr-scrub-label"></span>' +
    '<output class="lr-scrub-value" aria-hidden="true"></output></div>' +
    '<div class="lr-scrub-track" role="slider" tabindex="0" aria-orientation="horizontal">' +
    '<div class="lr-scrub-rail"></div><div class="lr-scrub-marks"></div><div class="lr-scrub-thumb"></div></div>' +
    '<div class="lr-scrub-ends" aria-hidden="true"><span></span><span></span></div></div>';
  const q = (s) => root.querySelector(s);
  const s = { track: q(".lr-scrub-track"), thumb: q(".lr-scrub-thumb"), value: q(".lr-scrub-value"),
              label: q(".lr-scrub-label"), marks: q(".lr-scrub-marks"), ends: root.querySelectorAll(".lr-scrub-ends span"),
              dragging: false, keys: false, frame: 0 };
  s.track.addEventListener("pointerdown", (e) => {
    s.track.setPointerCapture(e.pointerId);
    s.dragging = true;
    s.track.focus();
    move(s, fromPointer(s, e));
    e.preventDefault();
  });
  s.track.addEventListener("pointermove", (e) => { if (s.dragging) move(s, fromPointer(s, e)); });
  const release = () => { if (s.dragging) { s.dragging = false; commit(s); } };
  s.track.addEventListener("pointerup", release);
  s.track.addEventListener("pointercancel", release);
  s.track.addEventListener("keydown", (e) => {
    const last = s.data.options.length - 1, step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1,
      PageUp: 10, PageDown: -10 }[e.key];
    const to = e.key === "Home" ? 0 : e.key === "End" ? last : step === undefined ? null : s.index + step;
    if (to === null) return;
    e.preventDefault();
    s.keys = true;
    move(s, Math.min(last, Math.max(0, to)));
    settle(s);
  });
  s.track.addEventListener("keyup", () => { if (s.keys) settle(s); });
  s.track.addEventListener("blur", () => { if (s.keys) keysDone(s); });
  return s;
}

// Keys commit once they have been still for QUIET ms (a held or quickly pressed arrow commits its last value,
// not every step on the way), or when the slider loses the focus.
const QUIET = 400;
function settle(s) {
  clearTimeout(s.quiet);
  s.quiet = setTimeout(() => keysDone(s), QUIET);
}

function keysDone(s) {
  clearTimeout(s.quiet);
  s.keys = false;
  commit(s);
}

function fromPointer(s, e) {
  const box = s.track.getBoundingClientRect();
  const share = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
  return Math.round(share * (s.data.options.length - 1));
}

// The thumb, the value and what a screen reader says, for grid position ``index``.
function showThumb(s, index) {
  const { options, texts, label } = s.data;
  s.index = index;
  s.thumb.style.left = `${(100 * index) / (options.length - 1)}%`;
  s.value.textContent = texts[index];
  s.track.setAttribute("aria-valuenow", String(options[index]));
  s.track.setAttribute("aria-valuetext", `${label} ${texts[index]}`);
}

// During a drag: the thumb at once, the map and the words once per animation frame (the newest position).
function move(s, index) {
  if (index === s.index) return;
  showThumb(s, index);
  if (!s.frame) s.frame = requestAnimationFrame(() => { s.frame = 0; drawAt(s, s.index); });
}

// An element key as Streamlit turns it into the element's CSS class (st-key-<key>): other characters than
// letters, digits, "_" and "-" become "-" (a lesson's "what-is-lr.map" is st-key-what-is-lr-map).
const keyClass = (key) => key.trim().replaceAll(/[^a-zA-Z0-9_-]/g, "-");

const MOVE = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };

// Each chart of the run shows lr ``index``.  Each Plotly call redraws its chart (with four racers the map alone
// takes most of a frame), so the map, the chart the thumb is watched on, follows it in every frame; the other
// charts take turns, one per frame at most every OTHERS_MS while the thumb moves, and a chart left behind is
// drawn in the next frames once the thumb rests.  ``every``: all of them now (on release, so the server's figures
// replace what the drag showed everywhere).  The outcome words follow in every frame.
const OTHERS_MS = 100;
function drawAt(s, index, every = false) {
  const scrub = s.scrub;
  if (!scrub || !window.Plotly) return;
  const behind = [];
  for (const [role, chart] of Object.entries(scrub.charts)) {
    const graph = document.querySelector(`.st-key-${keyClass(s.data.charts[role])} .live-chart`);
    if (!graph || !graph.data) continue;
    if (graph.scrubbedFigure !== graph.latest) {
      graph.scrubbedFigure = graph.latest;
      graph.scrubbedTraces = {};
      graph.scrubbedLayout = -1;
      graph.scrubbedIndex = -1;
    }
    if (graph.scrubbedIndex === index) continue;
    if (every || role === "map") drawChart(s, role, chart, graph, index);
    else behind.push([role, chart, graph]);
  }
  const now = performance.now(), resting = index === s.drawn;
  s.drawn = index;
  if (behind.length && (resting || !(now - s.othersAt < OTHERS_MS))) {
    s.othersAt = now;
    s.turn = ((s.turn || 0) + 1) % behind.length;
    drawChart(s, ...behind[s.turn], index);
    behind.splice(s.turn, 1);
  }
  if (behind.length && !s.frame) s.frame = requestAnimationFrame(() => { s.frame = 0; drawAt(s, s.index); });
  const words = document.querySelectorAll('.st-key-outcome [data-testid="stMarkdownContainer"] strong')[s.data.line];
  const text = words && [...words.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
  if (text) text.nodeValue = scrub.words[index]; // React's own text node: its next update replaces the value
}

// Chart ``role`` (its ``graph``) shows lr ``index``: the traces whose patch differs from the one it shows now are
// merged in with Plotly.animate (only they are redrawn); a new layout patch goes through Plotly.relayout (the
// figures set every axis range, in whole decades on log axes, so Plotly never refits one and a range changes
// seldom: a relayout redraws the whole chart).  A chart the server has drawn since (live_chart's ``latest``
// figure) gets every patch anew (``drawAt``).
function drawChart(s, role, chart, graph, index) {
  graph.scrubbedIndex = index;
  const first = graph.rewind && graph.rewind(); // the animation's heads back at step 0, as the server draws them
  const shown = graph.scrubbedTraces, pick = chart.pick[index];
  const traces = first ? [...first.traces] : [], data = first ? [...first.data] : [];
  chart.traces.forEach((trace, n) => {
    if (shown[trace] === pick[n]) return;
    shown[trace] = pick[n];
    const at = traces.indexOf(trace); // a trace of the first frame that the patch changes too: one update
    if (at >= 0) data[at] = { ...data[at], ...chart.table[pick[n]] };
    else { traces.push(trace); data.push(chart.table[pick[n]]); }
  });
  const layout = chart.layout[index], patch = chart.layouts[layout];
  // An axis the figure leaves to Plotly (no range, as a lesson's loss chart's step axis) is fitted to the new
  // traces once they are in, as Plotly fits it when the server's figure is drawn (Plotly.animate keeps ranges).
  const fitted = traces.length ? autoranged(graph.latest.layout, patch) : {};
  if (traces.length) {
    const moved = window.Plotly.animate(graph, { data, traces }, MOVE);
    if (Object.keys(fitted).length) {
      moved.then(() => graph.scrubbedIndex === index && window.Plotly.relayout(graph, fitted));
    }
  }
  if (layout !== graph.scrubbedLayout) {
    graph.scrubbedLayout = layout;
    if (Object.keys(patch).length) window.Plotly.relayout(graph, patch);
  }
  if (role === "map") {
    // Plotly.animate leaves the legend as it is: the racer's entry (the legend's line-th) gets its name here.
    const entry = graph.querySelectorAll(".legend .traces .legendtext")[s.data.line];
    if (entry) entry.textContent = s.scrub.names[index];
    graph.dataset.scrubbed = String(s.data.options[index]); // which lr the map shows (read by tests)
  }
}

// {"<axis>.autorange": true} for each axis of ``layout`` (a figure's) with no range, in ``patch`` (the lr's layout
// patch, dotted paths) either, that does not follow another axis (``matches``: it takes that one's range).
function autoranged(layout, patch) {
  const fitted = {};
  for (const [name, axis] of Object.entries(layout)) {
    if (!/^[xy]axis\d*$/.test(name) || !axis || typeof axis !== "object" || axis.matches) continue;
    const range = `${name}.range` in patch ? patch[`${name}.range`] : axis.range;
    if (range == null) fitted[`${name}.autorange`] = true;
  }
  return fitted;
}

function commit(s) {
  if (s.frame) { cancelAnimationFrame(s.frame); s.frame = 0; }
  drawAt(s, s.index, true);
  if (s.index !== s.committed) {
    s.committed = s.index;
    s.pending = s.data.options[s.index];
    s.send("commit", s.pending);
  }
}

// Decoded scrub data by scrubId, for the page's life (a remounted slider finds it too); the newest HELD ids only.
const held = new Map();
const HELD = 8;

// The slider's scrub data for this run: the one just sent (decoded and kept), else the one kept for its id.
function scrubOf(s, data) {
  if (!data.scrubId) return null;
  if (data.scrub) {
    if (data.scrub !== s.raw) {
      s.raw = data.scrub;
      held.delete(data.scrubId);
      held.set(data.scrubId, decode(data.scrub));
      if (held.size > HELD) held.delete(held.keys().next().value);
    }
  } else if (!held.has(data.scrubId)) {
    if (s.asked !== data.scrubId) { s.asked = data.scrubId; s.send("missing", data.scrubId); }
    return null;
  }
  return held.get(data.scrubId);
}

export default function ({ data, parentElement, setTriggerValue }) {
  const root = parentElement;
  const s = root.scrubber || (root.scrubber = build(root));
  s.send = setTriggerValue;
  s.data = data;
  s.scrub = scrubOf(s, data);
  const { options, texts, label, marks } = data;
  s.label.textContent = label;
  s.track.setAttribute("aria-label", label);
  s.track.setAttribute("aria-valuemin", String(options[0]));
  s.track.setAttribute("aria-valuemax", String(options[options.length - 1]));
  s.ends[0].textContent = texts[0];
  s.ends[1].textContent = texts[texts.length - 1];
  s.marks.replaceChildren(...marks.filter((m) => m.at > options[0] && m.at < options[options.length - 1])
    .map((m) => {
      const mark = document.createElement("span");
      mark.className = "lr-scrub-mark";
      mark.style.left = `${100 * place(options, m.at)}%`;
      mark.textContent = m.text;
      return mark;
    }));
  // The server's value, unless the user is moving the thumb or a newer value than this run's is on its way.
  if (s.pending !== undefined && options[data.index] !== s.pending) return;
  s.pending = undefined;
  s.committed = data.index;
  if (!s.dragging && !s.keys) showThumb(s, data.index);
}
