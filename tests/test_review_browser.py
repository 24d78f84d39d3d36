"""The review page in a real browser: headless Chromium driven by selenium.

Opens pages written by ``align review``, checks rows and colours, rejects and merges beads with
the keyboard and the mouse, exports the decisions through the page's own download and applies
them with ``align review --apply``; a segment holding markup is shown as text and runs nothing.

Skips with a reason when selenium (the ``test`` extra), Chromium or its driver (Debian
packages ``chromium`` and ``chromium-driver``; ``.ci/run`` installs them) is missing.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from click.testing import CliRunner

from align.cli import main
from align.formats import FORMATS
from align.types import Pair

webdriver = pytest.importorskip("selenium.webdriver",
                                reason="selenium is not installed (pip install -e '.[test]')")
from selenium.webdriver.common.by import By  # noqa: E402

CHROMIUM = os.environ.get("CHROME_BIN") or shutil.which("chromium") or shutil.which(
    "chromium-browser")
DRIVER = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
if not CHROMIUM or not DRIVER:
    pytest.skip("Chromium or chromedriver not found (apt-get install -y chromium "
                "chromium-driver): browser tests skipped", allow_module_level=True)

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--window-size=1400,1000")
HOSTILE = '<img src=x onerror="window.__x=1"> </script><script>window.__x=2</script> &amp;'
PAIRS = [
    Pair("The storm hit the coast.", "Шторм обрушился на побережье.", 0.98, "sentence", "a"),
    Pair(HOSTILE, "Текст </script> &amp; <b>жирный</b>.", 0.30, "sentence", "a"),
    Pair("Roads were closed.", "Дороги и школы закрыли.", 0.65, "sentence", "a"),
    Pair("Schools too.", "", 0.80, "sentence", "a"),
    Pair("Power was cut.", "Отключили свет.", 0.95, "sentence", "a"),
    Pair("Rain is expected.", "Ожидается дождь, который продлится долго.", 0.97, "sentence",
         "b"),
    Pair("It will last.", "", 0.70, "sentence", "b"),
]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    # The driver's path is given, so selenium never looks one up on the network.
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    yield driver
    driver.quit()


def run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def rows(browser: Any) -> list[Any]:
    return browser.find_elements(By.CSS_SELECTOR, "#rows .row")


def row_with(browser: Any, text: str) -> Any:
    found = [r for r in rows(browser) if text in r.text]
    assert len(found) == 1, [r.text for r in rows(browser)]
    return found[0]


def message(browser: Any, text: str) -> None:
    """Wait (a file is read asynchronously) until the page's message line says ``text``."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 5).until(
        lambda b: text in b.find_element(By.ID, "message").text)


def press(browser: Any, keys: str) -> None:
    body = browser.find_element(By.TAG_NAME, "body")
    for key in keys:
        body.send_keys(key)


def test_review_reject_merge_export_apply(browser: Any, downloads: Path,
                                          tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    FORMATS["jsonl"].write(PAIRS, corpus)
    page = tmp_path / "review.html"
    run("review", str(corpus), "-o", str(page))
    browser.get(page.as_uri())

    # one row per bead, weakest first, coloured by confidence; markup shown as text only
    assert [r.find_element(By.CSS_SELECTOR, ".score").text for r in rows(browser)] == [
        "0.30", "0.65", "0.70", "0.80", "0.95", "0.97", "0.98"]
    hostile = rows(browser)[0]
    assert "c0" in hostile.get_attribute("class")
    assert hostile.value_of_css_property("border-left-color") == "rgba(198, 40, 40, 1)"
    assert row_with(browser, "The storm").value_of_css_property(
        "border-left-color") == "rgba(67, 160, 71, 1)"
    assert HOSTILE in hostile.text and "</script> &amp; <b>жирный</b>" in hostile.text
    assert browser.execute_script("return window.__x") is None
    assert browser.find_elements(By.CSS_SELECTOR, "#rows img, #rows b, #rows script") == []
    assert "no counterpart" in row_with(browser, "Schools too.").text

    # keyboard: reject the weakest bead; focus moves on to the next; merge it with the next
    assert "focus" in hostile.get_attribute("class")
    press(browser, "r")
    assert "focus" in row_with(browser, "Roads were closed.").get_attribute("class")
    press(browser, "m")
    merged = row_with(browser, "Schools too.")
    assert "Roads were closed." in merged.text and "edited" in merged.text

    # mouse: document order; merging across documents is refused; merge, accept
    browser.find_element(By.CSS_SELECTOR, "#order option[value=doc]").click()
    assert [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".dochead")] == [
        "a · sentence", "b · sentence"]
    row_with(browser, "Power was cut.").find_element(By.CSS_SELECTOR,
                                                     "[data-act=merge]").click()
    assert "no next bead in this document" in browser.find_element(By.ID, "message").text
    row_with(browser, "Rain is expected.").find_element(By.CSS_SELECTOR,
                                                        "[data-act=merge]").click()
    row_with(browser, "The storm").find_element(By.CSS_SELECTOR, "[data-act=accept]").click()
    assert "accepted" in row_with(browser, "The storm").text
    assert len(rows(browser)) == 6        # 7 beads, +1 for the rejection, -2 for the merges
    assert "5 reviewed" in browser.find_element(By.ID, "summary").text

    # a reload keeps the decisions (local storage)
    before = browser.execute_script("return window.alignReview.decisions()")
    browser.refresh()
    assert browser.execute_script("return window.alignReview.decisions()") == before
    assert "restored" in browser.find_element(By.ID, "message").text

    # export through the page's own download, and apply
    browser.find_element(By.ID, "export").click()
    exported = downloads / "news.decisions.json"
    for _ in range(100):
        if exported.exists() and exported.stat().st_size:
            break
        time.sleep(0.05)
    decisions = json.loads(exported.read_text(encoding="utf-8"))
    assert decisions == before
    fixed = tmp_path / "fixed.jsonl"
    result = run("review", "--apply", str(exported), str(corpus), "-o", str(fixed))
    assert "4 decisions applied" in result.stderr
    got = [(p.en, p.ru, p.score, p.doc, p.props.get("review"))
           for p in FORMATS["jsonl"].read(fixed)]
    assert got == [
        ("The storm hit the coast.", "Шторм обрушился на побережье.", 1.0, "a", "accepted"),
        (HOSTILE, "", 1.0, "a", "rejected"),
        ("", "Текст </script> &amp; <b>жирный</b>.", 1.0, "a", "rejected"),
        ("Roads were closed. Schools too.", "Дороги и школы закрыли.", 1.0, "a", "edited"),
        ("Power was cut.", "Отключили свет.", 0.95, "a", None),
        ("Rain is expected. It will last.", "Ожидается дождь, который продлится долго.", 1.0,
         "b", "edited"),
    ]


def test_pages_next_weak_and_path_plot(browser: Any, tmp_path: Path) -> None:
    en, ru, align = tmp_path / "doc.en", tmp_path / "doc.ru", tmp_path / "doc.align"
    en.write_text("".join(f"Sentence {i}.\n" for i in range(250)), encoding="utf-8")
    ru.write_text("".join(f"Предложение {i}.\n" for i in range(250)), encoding="utf-8")
    align.write_text("".join(f"[{i}]:[{i}]:{0.5 if i in (120, 240) else 0.99:.4f}\n"
                             for i in range(250)), encoding="utf-8")
    page = tmp_path / "doc.html"
    run("review", str(align), "--en", str(en), "--ru", str(ru), "-o", str(page))
    browser.get(page.as_uri())
    browser.find_element(By.CSS_SELECTOR, "#order option[value=doc]").click()
    assert len(rows(browser)) == 100
    assert "rows 1–100 of 250 (page 1 of 3)" in browser.find_element(By.ID, "pager").text
    press(browser, "n")                    # the next weak bead is on the second page
    assert "rows 101–200" in browser.find_element(By.ID, "pager").text
    assert "Sentence 120." in browser.find_element(By.CSS_SELECTOR, ".row.focus").text
    press(browser, "n")
    assert "Sentence 240." in browser.find_element(By.CSS_SELECTOR, ".row.focus").text
    # a click near the path's start jumps back to the first bead
    plot = browser.find_element(By.ID, "path")
    browser.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true,"
        " clientX: r.left, clientY: r.bottom}));", plot)
    assert "Sentence 0." in browser.find_element(By.CSS_SELECTOR, ".row.focus").text
    assert "rows 1–100" in browser.find_element(By.ID, "pager").text


def test_split_move_unlink_undo_relink(browser: Any, tmp_path: Path) -> None:
    en, ru, align = tmp_path / "doc.en", tmp_path / "doc.ru", tmp_path / "doc.align"
    en.write_text("A0.\nA1.\nA2.\n", encoding="utf-8")
    ru.write_text("Б0.\nБ1.\nБ2.\n", encoding="utf-8")
    align.write_text("[0, 1]:[0]:0.5000\n[2]:[1, 2]:0.6000\n", encoding="utf-8")
    page = tmp_path / "doc.html"
    run("review", str(align), "--en", str(en), "--ru", str(ru), "-o", str(page))
    browser.get(page.as_uri())
    browser.find_element(By.CSS_SELECTOR, "#order option[value=doc]").click()

    def beads() -> list[str]:  # "A0. A1. | Б0." a row, as shown (buttons left out)
        return browser.execute_script(
            "return Array.from(document.querySelectorAll('#rows .row')).map(function (r) {"
            "  return Array.from(r.querySelectorAll('.side')).map(function (side) {"
            "    var s = side.querySelectorAll('.s');"
            "    return s.length ? Array.from(s).map(function (x) { return x.firstChild.data; })"
            "      .join(' ') : '-'; }).join(' | '); });")

    def sentence_button(text: str, act: str) -> Any:
        row = row_with(browser, text)
        row.click()                                   # focus shows the sentence buttons
        row = row_with(browser, text)
        sentence = [s for s in row.find_elements(By.CSS_SELECTOR, ".s")
                    if s.text.startswith(text)][0]
        return sentence.find_element(By.CSS_SELECTOR, f"[data-act={act}]")

    press(browser, "s")                               # [0, 1]:[0] -> [0]:[0] + [1]:[]
    assert beads() == ["A0. | Б0.", "A1. | -", "A2. | Б1. Б2."]
    sentence_button("A1.", "down").click()            # A1 joins the next bead
    assert beads() == ["A0. | Б0.", "A1. A2. | Б1. Б2."]
    sentence_button("Б2.", "unlink").click()          # Б2 has no counterpart
    assert beads() == ["A0. | Б0.", "A1. A2. | Б1.", "- | Б2."]
    press(browser, "z")                               # undone
    assert beads() == ["A0. | Б0.", "A1. A2. | Б1. Б2."]
    sentence_button("Б1.", "up").click()              # Б1 belongs to the bead above
    assert beads() == ["A0. | Б0. Б1.", "A1. A2. | Б2."]
    decisions = browser.execute_script("return window.alignReview.decisions()")
    exported = tmp_path / "d.json"
    exported.write_text(json.dumps(decisions), encoding="utf-8")
    # another browser: nothing kept; importing the file gives the same decisions back
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    assert browser.execute_script("return window.alignReview.decisions()")["decisions"] == []
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**decisions, "sha256": "0" * 64, "input": "x.tsv"}))
    browser.find_element(By.ID, "import").send_keys(str(other))
    message(browser, "these decisions are for another input (x.tsv)")
    browser.find_element(By.ID, "import").send_keys(str(exported))
    message(browser, "imported the decisions of d.json")      # read asynchronously
    assert browser.execute_script("return window.alignReview.decisions()") == decisions
    fixed = tmp_path / "fixed.align"
    run("review", "--apply", str(exported), str(align), "--en", str(en), "--ru", str(ru),
        "-o", str(fixed))
    assert fixed.read_text() == "[0]:[0, 1]:1.0000\n[1, 2]:[2]:1.0000\n"
