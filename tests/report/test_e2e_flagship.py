"""End to end: ``jointmission run`` on the flagship scenario writes a report.html with every expected
section and figure; every image decodes; nothing is referenced outside the page; headless Chromium
opens it, takes a screenshot and logs no console error.

Chromium (Debian packages ``chromium`` and ``chromium-driver``) is installed by the session fixture
when missing and we are root with apt-get; otherwise the browser test is skipped with the reason.
The page is driven with chromedriver (selenium): the browser's console log is read back as
structured entries, so browser-internal messages (D-Bus, GPU) on stderr cannot be mistaken for the
page's errors. Set ``JM_REPORT_SCREENSHOT=path.png`` to keep the screenshot.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from report_helpers import SCENARIOS, decode_image, external_references, find_chromium, read_page

pytestmark = pytest.mark.slow

SECTIONS = ["summary", "payload", "dv-budget", "payload-curves", "transfer", "mission", "partners", "stages", "scenario",
            "method"]
FIGURES = {"fig-dv_budget", "fig-payload_curves", "fig-porkchop", "fig-landed_mass", "fig-mass_waterfall",
           "fig-partners"}


@pytest.fixture(scope="module")
def flagship(tmp_path_factory):
    from jointmission.cli import main

    out = tmp_path_factory.mktemp("flagship") / "results"
    assert main(["run", str(SCENARIOS / "joint_heavy_lift.yaml"), "-o", str(out)]) == 0
    return out


def test_flagship_report_has_every_section_and_figure(flagship):
    page = read_page(flagship / "report.html")
    assert page.run_kind == "single"
    assert page.sections == SECTIONS
    assert FIGURES <= {f["id"] for f in page.figures}
    for f in page.figures:
        im = decode_image(f["src"])
        assert im.size[0] >= 800 and im.size[1] >= 300, f["id"]
        assert f["title"] and f["xlabel"] and f["ylabel"], f
    assert external_references(page) == []
    assert not page.tags & {"script", "iframe", "object", "embed", "link"} - {"link"}
    # the one <link> is the empty data: favicon (so the browser does not fetch /favicon.ico)
    assert [r for r in page.references if r[0] == "link"] == [("link", "href", "data:,")]
    for needle in ("Type I", "Type II", "Joint Heavy CN", "RU engines", "Moon: direct landing (cargo)",
                   "targets[0].orbit.inclination"):
        assert needle in page.text, needle
    # the figures beside the page are the same images
    for name in ("dv_budget", "payload_curves", "mass_waterfall", "landed_mass", "porkchop"):
        assert (flagship / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # every file the run wrote is one the results-folder rules know as a single run's (else an interrupted
    # run's leftovers make the next run into the folder refuse it)
    import json

    from jointmission.io.results_dir import SINGLE_FILES

    assert set(json.loads((flagship / "summary.json").read_text())["files"]) <= SINGLE_FILES


@pytest.fixture(scope="session")
def chromium():
    chrome, driver, why = find_chromium()
    if not (chrome and driver):
        pytest.skip(why)
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    return chrome, driver


def test_flagship_report_opens_in_headless_chromium_without_console_errors(flagship, chromium, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chrome, driver_path = chromium
    profile = tempfile.mkdtemp(prefix="jm-chromium-", dir=tmp_path)
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--window-size=1280,1600"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    try:
        drv.set_page_load_timeout(120)
        drv.get((flagship / "report.html").resolve().as_uri())
        assert drv.title.startswith("Joint heavy-lift concept")
        # every image decoded by the browser itself, at its natural size
        broken = drv.execute_script(
            "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt)")
        assert broken == []
        n_images = drv.execute_script("return document.images.length")
        assert n_images >= len(FIGURES)
        height = drv.execute_script("return document.documentElement.scrollHeight")
        drv.set_window_size(1280, min(int(height), 16000))
        shot = tmp_path / "report.png"
        assert drv.save_screenshot(str(shot))
        logs = drv.get_log("browser")
    finally:
        drv.quit()
    errors = [e for e in logs if e.get("level") in ("SEVERE", "ERROR")]
    assert errors == [], errors
    im = decode_image("data:image/png;base64," + __import__("base64").b64encode(shot.read_bytes()).decode())
    assert im.size[0] >= 1000 and im.size[1] >= 1600
    keep = os.environ.get("JM_REPORT_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
