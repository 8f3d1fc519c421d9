"""The documentation site: built from the notebooks as `kd_docs` builds it (nbdev's processing, then `sphinx-build -W`),
then checked in headless Chromium, served on 127.0.0.1. Screenshots go to artifacts/docs/."""
import ast
import html
import json
import re
import threading
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag

import pytest
from nbdev.config import get_config

from kd_nb._modidx import d as modidx
from kd_nb.docs import build_site, notebook_paths, page_name
from tests.chromium import CHROMIUM, Chromium

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "docs"
NBS = get_config().path("nbs_path")
PAGES = [page_name(p.relative_to(NBS).as_posix()) + ".html" for p in notebook_paths(NBS)]   # home page first
DISTILLER = page_name("02_distiller.ipynb") + ".html"
WIDTHS = (1280, 390)   # a laptop, a phone
MIN_DIAGRAM_TEXT_PX = 10


def machinery(index=NBS / "index.ipynb") -> set:
    "The notebooks the course table lists under 'The machinery underneath': the plumbing, as opposed to the lessons."
    md = "\n".join("".join(c["source"]) for c in json.loads(index.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown")
    section = re.search(r"^### The machinery underneath$(.*?)^##? ", md, re.M | re.S)
    assert section, "index.ipynb has no '### The machinery underneath' section in its course table"
    return set(re.findall(r"\]\(([\w.-]+\.ipynb)\)", section.group(1)))


def taught_definitions(path) -> list:
    "The public functions and classes a notebook exports (`#| export` or `#| exports` cells): what its chapter teaches."
    names = []
    for cell in json.loads(Path(path).read_text(encoding="utf-8"))["cells"]:
        src = "".join(cell["source"])
        if cell["cell_type"] == "code" and re.match(r"#\|\s*exports?\s*$", src.splitlines()[0] if src else ""):
            names += [n.name for n in ast.parse(src).body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")]
    return names


LESSONS = {page_name(p.relative_to(NBS).as_posix()) + ".html": taught_definitions(p) for p in notebook_paths(NBS)
           if p.name != "index.ipynb" and p.name not in machinery()}

# Wait until the page is drawn: MathJax done (if the page has math) and images loaded or failed.
PAGE_READY = """  const math = document.querySelectorAll("span.math, div.math");
  if (math.length) {
    for (let i = 0; i < 200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++) await new Promise(r => setTimeout(r, 50));
    await MathJax.startup.promise;
  }
  await Promise.all(Array.from(document.images, i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
"""

# What a page reports once drawn.
PAGE_REPORT = """(async () => {
""" + PAGE_READY + """  const prose = document.body.cloneNode(true);
  prose.querySelectorAll("pre, code, script, style").forEach(e => e.remove());
  return {
    title: document.title,
    math: math.length,
    typeset: Array.from(math).filter(e => e.querySelector("mjx-container")).length,
    raw_math: prose.textContent.includes("$$"),
    images: Array.from(document.images, i => ({src: i.src, loaded: i.complete && i.naturalWidth > 0})),
    links: Array.from(document.links, a => a.href),
    ids: Array.from(document.querySelectorAll("[id]"), e => e.id),
    nav: Array.from(document.querySelectorAll("nav.bd-docs-nav a.reference"), a => a.href),
    code: Array.from(document.querySelectorAll("div.highlight pre"), e => e.textContent).join("\\n"),
  };
})()"""

# How a page fits the screen: its width against the window's, what sticks out, and the diagrams' smallest text as drawn.
LAYOUT_REPORT = """(async () => {
""" + PAGE_READY + """  const width = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll("article *")) if (e.getBoundingClientRect().right > width + 1) out.push(e.tagName.toLowerCase() + "." + e.className + ": " + (e.textContent || "").slice(0, 50));
  const diagrams = [];
  for (const img of document.images) if (img.src.endsWith(".svg") && img.closest("article")) {
    const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), "image/svg+xml");
    const box = svg.documentElement.getAttribute("viewBox").trim().split(/[ ,]+/).map(Number);
    const sizes = Array.from(svg.querySelectorAll("text"), t => Number(t.getAttribute("font-size")));
    diagrams.push({src: img.src.split("/").pop(), min_text_px: Math.min(...sizes) * img.getBoundingClientRect().width / box[2]});
  }
  if (math.length) for (let i = 0; i < 200 && !document.documentElement.dataset.equationsFitted; i++) await new Promise(r => setTimeout(r, 50));
  const too_wide = [];   // code and equations wider than their box (a log, a cell's output, scrolls on purpose)
  for (const e of document.querySelectorAll("article div.highlight pre, article mjx-container[display='true']"))
    if (!e.closest(".cell_output") && e.scrollWidth > e.clientWidth + 1)
      too_wide.push(`${e.tagName.toLowerCase()} ${e.scrollWidth} > ${e.clientWidth} px: ${(e.textContent || "").slice(0, 60)}`);
  const wide_tables = Array.from(document.querySelectorAll("article table"), t => t.scrollWidth > t.clientWidth + 1 ? `table ${t.scrollWidth} > ${t.clientWidth} px: ${t.rows[0].textContent.trim().slice(0, 60)}` : null).filter(Boolean);
  return {scroll_width: document.documentElement.scrollWidth, width, sticking_out: out.slice(0, 5), diagrams, too_wide, wide_tables};
})()"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args): pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    "The site, built once from the notebooks (into a temporary folder; `kd_docs` builds it into _docs/)."
    tmp = tmp_path_factory.mktemp("docs")
    return build_site(tmp / "site", proc=tmp / "proc")


@pytest.fixture(scope="module")
def served(site):
    "The site's URL, served over HTTP on 127.0.0.1 by a thread."
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown(); server.server_close()


@pytest.fixture(scope="module")
def browser(served):
    "Each page as Chromium loaded it: {page: report}, with the page's errors; also the search page's results."
    if not CHROMIUM.exists(): pytest.skip(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (as .ci/run does) to run the browser test")
    reports = {}
    with Chromium() as chromium:
        for page in PAGES:
            chromium.goto(served + page)
            reports[page] = chromium.evaluate(PAGE_REPORT) | {"errors": chromium.errors, "layout": chromium.evaluate(LAYOUT_REPORT)}
            if page in ("index.html", DISTILLER): chromium.screenshot(ARTIFACTS / page.replace(".html", ".png"))
        chromium.goto(served + "search.html?q=distiller")
        reports["search"] = chromium.evaluate("""(async () => {
          const done = () => document.querySelector("#search-results h2")?.textContent === "Search Results";
          for (let i = 0; i < 200 && !done(); i++) await new Promise(r => setTimeout(r, 50));
          return Array.from(document.querySelectorAll("#search-results li a"), a => a.href);
        })()""")
    return reports


@pytest.fixture(scope="module")
def phone(served, browser):
    "Each page's layout (`LAYOUT_REPORT`) on a phone's screen, 390 px wide."
    reports = {}
    with Chromium(width=WIDTHS[1]) as chromium:
        chromium.call("Emulation.setDeviceMetricsOverride", {"width": WIDTHS[1], "height": 844, "deviceScaleFactor": 1, "mobile": True})
        for page in PAGES:
            chromium.goto(served + page)
            reports[page] = chromium.evaluate(LAYOUT_REPORT)
            if page in ("index.html", DISTILLER): chromium.screenshot(ARTIFACTS / page.replace(".html", "-390.png"))
    return reports


def test_one_page_per_notebook(site):
    assert PAGES[0] == "index.html" and DISTILLER in PAGES
    assert [p for p in PAGES if not (site / p).is_file()] == []


def test_site_needs_no_network(site):
    "Scripts and styles, MathJax included, are served from the site itself: it works offline and from file://."
    assert (site / "_static" / "mathjax" / "tex-chtml.js").is_file()
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<script[^>]+src="(https?:)?//', text), page
        assert not re.search(r'<link[^>]+rel="stylesheet"[^>]+href="(https?:)?//', text), page


def test_pages_have_an_icon(site):
    "Every page names its icon, so that no browser asks the server for a /favicon.ico it has not (a 404 in the console)."
    for page in site.glob("*.html"): assert re.search(r'<link[^>]+rel="icon"[^>]+href="_static/kd_nb.svg"', page.read_text(encoding="utf-8")), page


def test_pages_load_without_errors(browser):
    title = get_config().title
    for page in PAGES:
        assert browser[page]["title"].endswith(title), page
        assert browser[page]["errors"] == [], page


def test_pages_in_notebook_order(browser, served):
    assert [urldefrag(href)[0] for href in browser["index.html"]["nav"]] == [served + p for p in PAGES]


def test_internal_links_resolve(browser, served):
    "Every link within the site loads (HTTP 200), and the element its #anchor names exists."
    ids = {}
    def page_ids(url):   # raises HTTPError if the page does not load
        if url not in ids:
            with urllib.request.urlopen(url) as r: ids[url] = {html.unescape(i) for i in re.findall(r'\sid="([^"]*)"', r.read().decode("utf-8", "replace"))}
        return ids[url]
    links = [(page, href) for page in PAGES for href in browser[page]["links"] if href.startswith(served)]
    assert len(links) > 10 * len(PAGES)
    for page, href in links:
        url, frag = urldefrag(href)
        assert not frag or unquote(frag) in page_ids(url.split("?")[0]), f"{page}: broken link {href}"
        page_ids(url)


def test_math_is_typeset(browser):
    assert sum(browser[p]["math"] for p in PAGES) > 0 and browser[DISTILLER]["math"] > 0
    for page in PAGES:
        assert browser[page]["typeset"] == browser[page]["math"], page
        assert not browser[page]["raw_math"], f"{page}: raw $$ left in the page"


def test_figures_load(browser):
    images = [(p, i) for p in PAGES for i in browser[p]["images"] if "/_images/" in i["src"]]
    assert len(images) > 0
    assert [(p, i["src"]) for p, i in images if not i["loaded"]] == []


def test_exported_symbols_have_anchors(browser):
    "Every public function and class that nbdev indexed has an anchor at nbdev's URL for it (e.g. distiller.html#check_alpha)."
    symbols = [(name, url) for mod, syms in modidx["syms"].items() for name, (url, _) in syms.items()
               if not re.search(r"\.|^_", name[len(mod) + 1:])]
    assert len(symbols) > 10
    for name, url in symbols:
        page, _, anchor = url.partition("#")
        assert page in browser, f"{name}: no page {page}"
        assert anchor in browser[page]["ids"], f"{name}: no anchor #{anchor} on {page}"


def test_search_finds_the_distiller(browser, served):
    assert served + DISTILLER in [urldefrag(href)[0].split("?")[0] for href in browser["search"]]


def test_screenshots_saved(browser):
    for page in ("index.html", DISTILLER):
        png = ARTIFACTS / page.replace(".html", ".png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000, png


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen(browser, phone, width):
    "No page is wider than the window: long equations, tables and code scroll inside their own box, long names wrap."
    layouts = {p: (browser[p]["layout"] if width == WIDTHS[0] else phone[p]) for p in PAGES}
    assert all(width - 20 <= l["width"] <= width for l in layouts.values())   # the window's width, less a scroll bar
    assert {p: (l["scroll_width"], l["sticking_out"]) for p, l in layouts.items() if l["scroll_width"] > l["width"]} == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_code_and_equations_fit_their_boxes(browser, phone, width):
    "No code block or equation is wider than its box: code wraps, an equation is drawn smaller until it fits; only logs scroll."
    layouts = {p: (browser[p]["layout"] if width == WIDTHS[0] else phone[p]) for p in PAGES}
    assert {p: l["too_wide"] for p, l in layouts.items() if l["too_wide"]} == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_home_page_tables_fit(browser, phone, width):
    "The home page's tables fit the screen without scrolling (the experiment's page has the full table, which may scroll)."
    assert (browser["index.html"]["layout"] if width == WIDTHS[0] else phone["index.html"])["wide_tables"] == []


def test_home_page_has_a_picture(browser):
    "The home page shows the accuracy-latency picture of the default run, loaded."
    images = [i for i in browser["index.html"]["images"] if i["src"].endswith(".png")]
    assert images and all(i["loaded"] for i in images), browser["index.html"]["images"]


@pytest.mark.parametrize("width", WIDTHS)
def test_diagram_text_is_legible(browser, phone, width):
    diagrams = [(p, d) for p in PAGES for d in (browser[p]["layout"] if width == WIDTHS[0] else phone[p])["diagrams"]]
    assert len(diagrams) >= 4, diagrams
    assert [(p, d["src"], round(d["min_text_px"], 1)) for p, d in diagrams if d["min_text_px"] < MIN_DIAGRAM_TEXT_PX] == []


def test_lessons_show_their_code(browser):
    "Every function and class a lesson exports is on its page as code (`#| exports`), not as a signature alone."
    assert len(LESSONS) > 20 and sum(map(len, LESSONS.values())) > 100 and "Distiller" in LESSONS[DISTILLER]
    hidden = {page: [n for n in names if not re.search(rf"\b(def|class) {re.escape(n)}\b", browser[page]["code"])] for page, names in LESSONS.items()}
    assert {p: n for p, n in hidden.items() if n} == {}


def test_machinery_is_listed_apart():
    assert {"00a_utils.ipynb", "06f_testing.ipynb", "90_docs.ipynb"} <= machinery() and "02_distiller.ipynb" not in machinery()
