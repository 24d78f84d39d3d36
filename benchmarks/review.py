"""Review page at scale: a 50,000-bead page in headless Chromium, against a plain HTML table.

Builds a corpus of real aligned beads: every document of the dev benchmark (all sets, the
``natural``, ``hard`` and ``abridged`` variants) aligned by ``align sentences`` (our
confidences), written as TSV pairs with unaligned sentences included, and repeated (documents
renamed ``copy2/...``) until it has ``--beads`` beads. Then, in one run:

* ``align review CORPUS -o page.html``: wall time and page size;
* the page in headless Chromium (fresh navigation each time, local storage cleared): time
  from navigation start to the end of the page's start-up script (data parsed, first page of
  rows and the path plot drawn) and to the load event, and the JS heap;
* interaction on the loaded page, timed inside the page: turning a page of rows (PgDn), moving
  to the next row (j), accepting a bead (a: the edit, the decisions saved to local storage,
  the view re-sorted and redrawn), and filtering to beads below 0.9;
* the peer: the same beads as one static HTML table (what a plain exporter writes, every row
  in the DOM, no script), its load event time.

    python benchmarks/review.py [--beads 50000] [--repeat 3] [--workdir DIR] [--shared ../shared]

Needs ``../shared`` (the dev benchmark), selenium, and Chromium with chromedriver
(``apt-get install chromium chromium-driver``).
"""
from __future__ import annotations

import argparse
import html
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.beads import read_beads  # noqa: E402
from align.formats import FORMATS  # noqa: E402
from align.types import Pair  # noqa: E402

ALIGN = [sys.executable, "-m", "align"]
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--window-size=1400,1000")
SETS = ("wmt21", "wmt22", "wmt23", "flores")
VARIANTS = ("natural", "hard", "abridged")


def browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.binary_location = (os.environ.get("CHROME_BIN") or shutil.which("chromium")
                               or "chromium")
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "chromedriver"
    return webdriver.Chrome(options=options, service=Service(driver))


def aligned_documents(bench: Path, work: Path) -> list[tuple[str, list[Pair]]]:
    """Every dev document aligned by ``align sentences DIR``, as pairs (unlinked included)."""
    docs = []
    for name in SETS:
        for variant in VARIANTS:
            folder = bench / name / variant
            out = work / "aligned" / name / variant
            if not out.is_dir():
                subprocess.run(ALIGN + ["sentences", str(folder), "-o", str(out), "-q"],
                               check=True, stderr=subprocess.DEVNULL)
            for align in sorted(out.glob("*.align")):
                stem = align.name[:-len(".align")]
                en = (folder / f"{stem}.en").read_text(encoding="utf-8").split("\n")
                ru = (folder / f"{stem}.ru").read_text(encoding="utf-8").split("\n")
                doc = f"{name}/{variant}/{stem}"
                docs.append((doc, [Pair(" ".join(en[i] for i in b.src),
                                        " ".join(ru[j] for j in b.tgt), round(b.score, 4),
                                        "sentence", doc) for b in read_beads(align)]))
    return docs


def build_corpus(docs: list[tuple[str, list[Pair]]], beads: int, path: Path) -> int:
    pairs: list[Pair] = []
    copy = 1
    while len(pairs) < beads:
        for doc, doc_pairs in docs:
            name = doc if copy == 1 else f"copy{copy}/{doc}"
            pairs.extend(Pair(p.en, p.ru, p.score, p.kind, name) for p in doc_pairs)
            if len(pairs) >= beads:
                break
        copy += 1
    FORMATS["tsv"].write(pairs[:beads], path)
    return copy - 1


def plain_table(corpus: Path, path: Path) -> None:
    """The peer: every pair as a row of one static table, no script."""
    rows = []
    for pair in FORMATS["tsv"].read(corpus):
        rows.append(f"<tr><td>{html.escape(pair.doc)}</td><td>{html.escape(pair.en)}</td>"
                    f"<td>{html.escape(pair.ru)}</td><td>{pair.score}</td></tr>")
    path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>table</title>"
                    "</head><body><table>" + "\n".join(rows) + "</table></body></html>",
                    encoding="utf-8")


STARTUP = """
var nav = performance.getEntriesByType('navigation')[0];
return [window.alignReview ? window.alignReview.ready : null, nav.loadEventEnd,
        performance.memory ? performance.memory.usedJSHeapSize : null];
"""

# Each action timed inside the page: key events are handled synchronously, so the time from
# dispatch to return covers the handler, the edit and the redraw (layout is forced by reading
# offsetHeight).
INTERACT = """
function key(k) { document.body.dispatchEvent(new KeyboardEvent('keydown', {key: k, bubbles: true})); }
function timed(k, n) {
  var t0 = performance.now();
  for (var i = 0; i < n; i++) { key(k); document.body.offsetHeight; }
  return (performance.now() - t0) / n;
}
var out = {pgdn: timed('PageDown', 20), next: timed('j', 50), accept: timed('a', 10)};
var t0 = performance.now(), show = document.getElementById('show');
show.value = 'below'; show.dispatchEvent(new Event('change'));
document.body.offsetHeight;
out.filter = performance.now() - t0;
return out;
"""


def measure_page(driver: Any, page: Path, repeat: int) -> dict[str, Any]:
    ready, load, heap, actions = [], [], [], []
    for _ in range(repeat):
        driver.get("about:blank")
        driver.execute_script("try { localStorage.clear(); } catch (e) {}")
        driver.get(page.as_uri())
        r, lo, h = driver.execute_script(STARTUP)
        ready.append(r)
        load.append(lo)
        heap.append(h)
        actions.append(driver.execute_script(INTERACT))
        driver.execute_script("localStorage.clear();")
    return {"ready": ready, "load": load, "heap": heap, "actions": actions}


def measure_table(driver: Any, page: Path, repeat: int) -> list[float]:
    load = []
    for _ in range(repeat):
        driver.get("about:blank")
        driver.get(page.as_uri())
        load.append(driver.execute_script(
            "return performance.getEntriesByType('navigation')[0].loadEventEnd"))
    return load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--beads", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the aligned documents and pages here (default: a temporary "
                             "directory)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="review-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    docs = aligned_documents(args.shared / "data" / "bench", work)
    corpus = work / f"review-{args.beads}.tsv"
    copies = build_corpus(docs, args.beads, corpus)
    page = work / f"review-{args.beads}.html"
    start = time.perf_counter()
    subprocess.run(ALIGN + ["review", str(corpus), "-o", str(page)], check=True,
                   stderr=subprocess.DEVNULL)
    write_time = time.perf_counter() - start
    table = work / f"table-{args.beads}.html"
    plain_table(corpus, table)
    driver = browser()
    try:
        version = driver.capabilities.get("browserVersion", "?")
        ours = measure_page(driver, page, args.repeat)
        peer = measure_table(driver, table, args.repeat)
    finally:
        driver.quit()
    beads_in = sum(len(p) for _, p in docs)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}; Chromium {version}")
    print(f"input: {args.beads:,} beads ({beads_in:,} aligned dev beads, {copies} pass(es)); "
          f"align review: {write_time:.1f} s, page {page.stat().st_size / 1e6:.1f} MB; "
          f"plain table {table.stat().st_size / 1e6:.1f} MB")

    def span(values: list[float], unit: str = "ms", scale: float = 1.0) -> str:
        values = [v * scale for v in values]
        return (f"median {statistics.median(values):,.0f} {unit} "
                f"(best {min(values):,.0f}, worst {max(values):,.0f}, n={len(values)})")

    print(f"review page, start-up script done: {span(ours['ready'])}")
    print(f"review page, load event:           {span(ours['load'])}")
    if all(ours["heap"]):
        print(f"review page, JS heap:              {span(ours['heap'], 'MB', 1e-6)}")
    for key, label in (("pgdn", "page turn (PgDn)"), ("next", "next row (j)"),
                       ("accept", "accept (a), saved + redrawn"),
                       ("filter", "filter below 0.9")):
        values = [a[key] for a in ours["actions"]]
        print(f"  {label:28s} median {statistics.median(values):.1f} ms "
              f"(best {min(values):.1f}, worst {max(values):.1f})")
    print(f"plain HTML table (peer), load event: {span(peer)}")


if __name__ == "__main__":
    main()
