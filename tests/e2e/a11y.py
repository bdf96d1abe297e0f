"""What the accessibility tests share: waiting until a page has settled, axe-core (installed from npm on first
use), and the checks axe cannot make on a chart's SVG text."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from benchmarks.harness import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ["", "playground", "present", *(f"lesson-{n}" for n in range(1, 15)), "claims", "stability-map", "basins",
         "lr-finder", "race"]

# Set before each page loads: whether the script has run since (Streamlit's app element says "notRunning"
# also before the first run starts).
WATCH_RUNS = """new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (app && app.dataset.testScriptState === 'running') window.__scriptRan = true;
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});"""

# The script has run and finished, every element has mounted (a custom component's element is empty until
# Streamlit has loaded its module), every chart has drawn and named its SVG, and all that has held for QUIET ms:
# a page that reruns once by itself (one whose browser_store has just read localStorage) starts that rerun
# within them.
QUIET = 500
SETTLED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const ready = window.__scriptRan && app && app.dataset.testScriptState === 'notRunning'
    && [...document.querySelectorAll('[data-testid="stElementContainer"]')].every((c) => c.childElementCount)
    && [...document.querySelectorAll('.live-chart')].every((g) => g.querySelector('svg.main-svg[aria-label]'));
  if (!ready) { window.__readySince = undefined; return false; }
  window.__readySince ??= performance.now();
  return performance.now() - window.__readySince >= QUIET;
}""".replace("QUIET", str(QUIET))


def watch_runs(page) -> None:
    """Let ``settle`` tell a finished run from a script that has not started yet (once per page)."""
    page.add_init_script(WATCH_RUNS)


def settle(page) -> None:
    """Wait until the page's script has run and every component and chart on it is drawn, and all has held
    for QUIET ms from now (``watch_runs`` first): also after an action that may rerun the script."""
    page.evaluate("() => { window.__readySince = undefined; }")
    page.wait_for_function(SETTLED)


def axe_script() -> str:
    """axe-core's browser bundle, installed by ``npm ci`` from the repo's package.json and package-lock.json
    into node_modules/ (gitignored) when it is not there yet."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("the accessibility tests need npm (Node.js) to install axe-core from package.json")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)
    return AXE.read_text()


# axe's run: WCAG 2.x A and AA rules and axe's best practices.  Streamlit's own page navigation
# (data-testid="stSidebarNav", not the app's markup: st.navigation draws it) puts <div>s between its <ul> and
# <li>s; only the two rules about list structure ("list", "listitem") are waived there, every other rule still
# checks it.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations'], elementRef: true});
  const streamlitNav = new Set(['list', 'listitem']);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.filter((n) => !(streamlitNav.has(v.id) && n.element
                                   && n.element.closest('[data-testid="stSidebarNav"]')))
                  .map((n) => ({target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160)})),
  })).filter((v) => v.nodes.length);
}"""

# The contrast of every chart's text outside its plot areas (ticks, axis titles, legend, titles: axe does not
# look into SVG), each blended over the figure's paper colour: [ratio, needed, text, colour] for each one short.
CHART_TEXT_CONTRAST = """() => {
  const rgba = (css) => { const m = css.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m[3] ?? 1]; };
  const lum = ([r, g, b]) => { const c = [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  const css = (colour) => {  // any CSS colour (hex, name, rgb()) as [r, g, b, a]
    const probe = document.createElement('span');
    probe.style.color = colour;
    document.body.appendChild(probe);
    const value = getComputedStyle(probe).color;
    probe.remove();
    return rgba(value);
  };
  const short = [];
  let checked = 0;
  for (const graph of document.querySelectorAll('.live-chart.js-plotly-plot')) {
    const paper = css(graph._fullLayout.paper_bgcolor);  // a transparent paper shows the page's background
    const app = document.querySelector('[data-testid="stApp"]');
    const bg = paper[3] ? paper : css(getComputedStyle(app).backgroundColor);
    const areas = [...graph.querySelectorAll('.nsewdrag')].map((d) => d.getBoundingClientRect());
    for (const text of graph.querySelectorAll('svg text')) {
      const box = text.getBoundingClientRect();
      if (!box.width || !text.textContent.trim()) continue;
      const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
      if (areas.some((a) => cx > a.left && cx < a.right && cy > a.top && cy < a.bottom)) continue;
      let alpha = 1;
      for (let el = text; el && el !== graph; el = el.parentElement) {
        const style = getComputedStyle(el);
        alpha *= Number(style.opacity);
      }
      const style = getComputedStyle(text);
      if (style.visibility === 'hidden' || alpha === 0) continue;
      const [r, g, b, a] = rgba(style.fill);
      alpha *= a * Number(style.fillOpacity);
      const fg = [r, g, b].map((v, k) => v * alpha + bg[k] * (1 - alpha));
      const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
      const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      checked += 1;
      if (ratio < needed) short.push([Math.round(ratio * 100) / 100, needed, text.textContent.slice(0, 40)]);
    }
  }
  return {checked, short};
}"""
