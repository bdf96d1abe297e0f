// The live learning-rate slider (views/widgets/lr_scrubber.py): an ARIA slider on the log lr grid whose thumb, while it
// is dragged (mouse, touch) or moved by held keys, swaps in the engine's precomputed path of the lr under it
// on the map (Plotly.animate of the racer's path trace, without a full redraw) and its outcome words, with no server round trip.
// Releasing (pointer up, key up) sends the lr once as the "commit" trigger; the server's run then redraws.
// data: {label, options (lrs), texts (their labels), index, marks [{at: lr, text}], map (the map's key),
// trace (the path trace's index), line (the outcome line's index), scrub: {xy, ends, names, words} or null}.

function decode(scrub) {
  const bytes = Uint8Array.from(atob(scrub.xy), (c) => c.charCodeAt(0));
  const xy = new Float32Array(bytes.buffer);
  const n = xy.length / 2, xs = new Float32Array(n), ys = new Float32Array(n);
  for (let k = 0; k < n; k++) { xs[k] = xy[2 * k]; ys[k] = xy[2 * k + 1]; }
  return { xs, ys, ends: scrub.ends, names: scrub.names, words: scrub.words };
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
  });
  s.track.addEventListener("keyup", () => { if (s.keys) { s.keys = false; commit(s); } });
  s.track.addEventListener("blur", () => { if (s.keys) { s.keys = false; commit(s); } });
  return s;
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

const MOVE = { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" };

function drawAt(s, index) {
  const scrub = s.scrub, { map, trace, line } = s.data;
  if (!scrub) return;
  const from = index ? scrub.ends[index - 1] : 0, to = scrub.ends[index];
  const graph = document.querySelector(`.st-key-${map} .live-chart`);
  if (graph && graph.data && window.Plotly) {
    // Plotly's animation path (as the map's own frames use): only this trace's line is redrawn, where a
    // restyle would recompute and redraw the whole figure.  The legend entry (racer i is the legend's
    // i-th: the click grid before the paths has none) gets its name in place; the release redraws it all.
    window.Plotly.animate(graph, { data: [{ x: scrub.xs.slice(from, to), y: scrub.ys.slice(from, to) }],
                                   traces: [trace] }, MOVE);
    graph.data[trace].name = scrub.names[index];
    const entry = graph.querySelectorAll(".legend .traces .legendtext")[line];
    if (entry) entry.textContent = scrub.names[index];
    graph.dataset.scrubbed = String(s.data.options[index]); // which lr the map shows (read by tests)
  }
  const words = document.querySelectorAll('.st-key-outcome [data-testid="stMarkdownContainer"] strong')[line];
  const text = words && [...words.childNodes].find((node) => node.nodeType === Node.TEXT_NODE);
  if (text) text.nodeValue = scrub.words[index]; // React's own text node: its next update replaces the value
}

function commit(s) {
  if (s.frame) { cancelAnimationFrame(s.frame); s.frame = 0; drawAt(s, s.index); }
  if (s.index !== s.committed) {
    s.committed = s.index;
    s.pending = s.data.options[s.index];
    s.send("commit", s.pending);
  }
}

export default function ({ data, parentElement, setTriggerValue }) {
  const root = parentElement;
  const s = root.scrubber || (root.scrubber = build(root));
  s.send = setTriggerValue;
  s.data = data;
  if (data.scrub !== s.raw) { s.raw = data.scrub; s.scrub = data.scrub && decode(data.scrub); }
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
