"""The web UI in a real browser (Debian's Chromium under Playwright), served by waitress on a free
loopback port: search → provision → impact graph → click a node; a catalogue query and its CSV;
a query in YASGUI; switching language; no console errors or CSP violations on any page.
Screenshots of every scenario are kept in test-artifacts/browser/."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from browser_session import ARTIFACTS, CHROMIUM, launch, missing_assets, new_context, wait_until
from graph.rdfio import read_rdf
from graph.store import open_store
from live_server import served
from webui import create_app

pytestmark = pytest.mark.browser
if not CHROMIUM.exists():
    pytest.skip(f"Debian's Chromium is not at {CHROMIUM}; install it with `make system` "
                "(apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extras: pip install -e '.[test]'")

FIXTURES = Path(__file__).parent / "fixtures" / "webui"
BASE = "https://regelgraf.dk/id/"
NR_3 = "/id/work/serviceloven/par_83/stk_1/nr_3"
BEK = "https://www.retsinformation.dk/eli/lta/2019/1200"
TIMEOUT = 15_000  # ms; generous for a loaded CI machine


@pytest.fixture(scope="module")
def base_url():
    if missing_assets():
        pytest.fail(f"front-end files missing from webui/static/vendor/: {', '.join(missing_assets())}; run `make assets`")
    store = open_store("oxigraph")
    store.replace_graphs(read_rdf(FIXTURES / "graph.trig"))
    app = create_app({"REGELGRAF_STORE": store, "REGELGRAF_BASE": BASE, "REGELGRAF_QUERIES_DIR": FIXTURES / "queries",
                      "REGELGRAF_EDITOR_PERSISTENCE": False})
    with served(app) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def session(browser, base_url, request):
    """A fresh context and page; afterwards a screenshot, and a failure for anything that went wrong."""
    context, watch = new_context(browser, base_url)
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    yield page, watch
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if not page.is_closed() and page.url.startswith("http"):
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        page.screenshot(path=str(ARTIFACTS / f"{name}-end.png"), full_page=True)
    context.close()
    assert not watch.problems, "\n".join(watch.problems)


def shot(page, name: str) -> None:
    """Keep a screenshot of the page as it is now."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def drawn_nodes(page) -> int:
    """How many nodes Cytoscape has drawn, once the layout has run."""
    wait_until(page, "window.regelgrafImpact && window.regelgrafImpact.nodes().length > 0")
    return page.evaluate("window.regelgrafImpact.nodes().length")


def click_node(page, iri: str) -> None:
    """A real mouse click on the node's place on the canvas."""
    page.locator("#impact-graph").scroll_into_view_if_needed()
    box = page.locator("#impact-graph").bounding_box()
    x, y = page.evaluate("(id) => { const p = window.regelgrafImpact.getElementById(id).renderedPosition(); return [p.x, p.y]; }", iri)
    page.mouse.click(box["x"] + x, box["y"] + y)


# --- scenarios -----------------------------------------------------------------------------------

def test_search_provision_impact_and_click_a_node(session, base_url):
    page, watch = session
    page.goto(base_url + "/")
    page.get_by_label("Søg efter en henvisning eller et ord").fill("serviceloven § 83, stk. 1, nr. 3")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_url(re.compile(re.escape(NR_3) + "$"))
    assert page.get_by_role("heading", level=1).inner_text() == "serviceloven § 83, stk. 1, nr. 3"
    shot(page, "01-provision")

    page.get_by_role("link", name="Vis konsekvenser").click()
    page.wait_for_url(re.compile(r"/impact\?target="))
    listed = page.locator("a.node-link").count()
    assert drawn_nodes(page) == listed == 20
    edges = page.evaluate("window.regelgrafImpact.edges().length")
    assert page.locator(".summary-line").inner_text().startswith(f"{listed} knude(r) og {edges} kant(er).")
    # The layout put every node inside the drawing, one row per step from the target.
    rows = page.evaluate("""() => { const cy = window.regelgrafImpact; const ys = {};
        cy.nodes().forEach(n => { (ys[n.data('depth')] = ys[n.data('depth')] || []).push(n.position('y')); });
        return Object.keys(ys).sort().map(d => [Math.min(...ys[d]), Math.max(...ys[d])]); }""")
    assert all(rows[i][1] < rows[i + 1][0] for i in range(len(rows) - 1)), rows

    # Pointing at a node explains it; clicking it opens its page.
    page.locator("#impact-graph").scroll_into_view_if_needed()
    box = page.locator("#impact-graph").bounding_box()
    x, y = page.evaluate("(id) => { const p = window.regelgrafImpact.getElementById(id).renderedPosition(); return [p.x, p.y]; }", BEK)
    page.mouse.move(box["x"] + x, box["y"] + y)
    explanation = page.locator("#impact-explanation")
    sync_api.expect(explanation).to_contain_text("BEK nr. 1200 af 20. november 2019 hviler på (hjemmel)")
    shot(page, "02-impact-graph")
    click_node(page, BEK)
    page.wait_for_url(re.compile(r"/document/lta/2019/1200$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Bekendtgørelse om madservice (testdokument)"


def test_filter_the_impact_graph_by_depth_and_relation(session, base_url):
    page, watch = session
    page.goto(base_url + "/impact?target=serviceloven+§+83")
    everything = drawn_nodes(page)
    page.get_by_label("Dybde").select_option("1")
    page.get_by_role("button", name="Analysér").click()
    page.wait_for_url(re.compile(r"depth=1"))
    shallow = drawn_nodes(page)
    assert shallow < everything
    assert page.evaluate("window.regelgrafImpact.nodes().map(n => n.data('depth')).every(d => d <= 1)")

    page.locator("details.relations summary").click()
    for box in page.locator(".impact-form input[name=relations]").all():
        if box.get_attribute("value") != "part_of":
            box.uncheck()
    page.get_by_role("button", name="Analysér").click()
    page.wait_for_url(re.compile(r"relations=part_of"))
    assert drawn_nodes(page) == 3  # § 83, its stk. 1 and the law (partly)
    relations = page.evaluate("window.regelgrafImpact.edges().map(e => e.data('relation'))")
    assert set(relations) == {"part_of"}
    shot(page, "03-impact-filtered")


def test_without_javascript_the_impact_page_still_lists_everything(browser, base_url):
    context, watch = new_context(browser, base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/impact?target=serviceloven+§+83")
    assert page.locator("a.node-link").count() == 21
    assert page.get_by_text("Tegningen kræver JavaScript").is_visible()
    assert page.get_by_text("BEK nr. 1200 af 20. november 2019 hviler på (hjemmel)").is_visible()
    shot(page, "04-impact-without-javascript")
    context.close()
    assert not watch.problems, "\n".join(watch.problems)


def test_download_every_impact_format(session, base_url):
    page, watch = session
    page.goto(base_url + "/impact?target=serviceloven+§+83&depth=1")
    drawn_nodes(page)
    for link in page.locator("ul.downloads a").all():
        with page.expect_download() as download:
            link.click()
        suffix = "." + link.get_attribute("data-format")
        name = download.value.suggested_filename
        assert name == f"impact-serviceloven-83{suffix}", name
        saved = ARTIFACTS / "downloads" / name
        download.value.save_as(str(saved))
        assert saved.stat().st_size > 100


def test_run_a_catalogue_query_and_download_csv(session, base_url):
    page, watch = session
    page.goto(base_url + "/queries")
    page.get_by_role("link", name="agreements_in_force").click()
    page.get_by_label("as_of").fill("2023-01-01")
    page.get_by_role("button", name="Kør forespørgslen").click()
    page.wait_for_selector("table.results-table tbody tr")
    assert page.locator("table.results-table tbody tr").count() == 2
    assert "run=1" in page.get_by_role("link", name="Permanent link").get_attribute("href")
    shot(page, "05-catalogue-query")
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent CSV").click()
    assert download.value.suggested_filename == "agreements_in_force.csv"
    saved = ARTIFACTS / "downloads" / "agreements_in_force.csv"
    download.value.save_as(str(saved))
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows[0] == ["agreement", "municipality", "from", "until"] and len(rows) == 3


def test_run_a_query_in_yasgui(session, base_url):
    page, watch = session
    page.goto(base_url + "/editor")
    wait_until(page, "window.regelgrafEditor !== undefined")
    assert page.evaluate("Yasgui.Yasqe.defaults.autocompleters") == ["variables", "prefixes"]
    tab = "window.regelgrafEditor.getTab()"
    assert page.evaluate(f"{tab}.getEndpoint()") == base_url + "/sparql"
    assert "rg:WelfareAgreement" in page.evaluate(f"{tab}.getYasqe().getValue()")
    page.locator(".yasqe_queryButton").first.click()
    page.wait_for_selector(".yasr table tbody tr")
    assert page.locator(".yasr table tbody tr").count() == 2
    sync_api.expect(page.locator(".yasr")).to_contain_text("Middelfart")
    shot(page, "06-yasgui-results")

    # A catalogue example opens in a tab of its own and runs against our endpoint too.
    page.locator("[data-example=agreements_in_force]").click()
    wait_until(page, f"{tab}.getYasqe().getValue().includes('FILTER(!BOUND(?as_of)')")
    assert page.evaluate(f"{tab}.getEndpoint()") == base_url + "/sparql"
    with page.expect_response(lambda r: r.url.startswith(base_url + "/sparql") and r.request.method == "POST") as answer:
        page.locator(".yasqe_queryButton").last.click()
    assert answer.value.status == 200
    page.wait_for_selector(".tabPanel.active .yasr table tbody tr")
    assert any(u.startswith(base_url + "/sparql") for u in watch.requests)


def test_switch_language_and_keep_it(session, base_url):
    page, watch = session
    page.goto(base_url + NR_3)
    page.get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"lang=en"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Show impact").is_visible()
    page.get_by_role("link", name="Impact", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "en"  # the cookie keeps the choice
    assert page.get_by_role("heading", level=1).inner_text() == "Impact analysis"
    shot(page, "07-english")
    page.get_by_role("link", name="Dansk").click()
    assert page.locator("html").get_attribute("lang") == "da"


@pytest.mark.parametrize("path", [
    "/", "/search?q=madservice", "/id/work/serviceloven", NR_3, "/id/kommune/0410", "/id/aftale/viborg-aeldre",
    "/document/lta/2019/1200", "/queries", "/queries/protected_provisions", "/impact",
    "/impact?target=Middelfart", "/impact?target=serviceloven+§+84", "/editor", "/editor?example=agreements_in_force", "/editor?query=SELECT+*+{?s+?p+?o}+LIMIT+1",
    "/validation", "/id/work/nothing-here",
])
def test_no_console_errors_or_csp_violations(session, base_url, path):
    page, watch = session
    response = page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    assert response.status in (200, 404)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    if "impact?target=Middelfart" in path:
        assert drawn_nodes(page) > 0
    if path.startswith("/editor"):
        wait_until(page, "window.regelgrafEditor !== undefined")
    # 404 pages are expected here; anything else logged counts (checked by the fixture).
    watch.problems[:] = [p for p in watch.problems if not ("404" in p and path in ("/impact?target=serviceloven+§+84", "/id/work/nothing-here"))]


def test_the_guide_screenshots_can_be_taken(browser):
    """tests/screenshots.py (which makes docs/img/) still runs on the shipped data, under the size cap."""
    import screenshots

    out = ARTIFACTS / "guide"
    taken = screenshots.make(out, browser=browser)
    committed = {p.name for p in screenshots.DOCS_IMG.glob("*.png")}
    assert {p.name for p in taken} == committed, "run `python -m tests.screenshots` and commit docs/img/"
    assert all(p.stat().st_size <= screenshots.MAX_BYTES for p in taken)


def test_the_policy_blocks_inline_script_and_the_watch_reports_it(browser, base_url):
    """The CSP is really in force, and a violation really reaches PageWatch (so the other
    scenarios' silence means something)."""
    context, watch = new_context(browser, base_url)
    page = context.new_page()
    page.goto(base_url + "/")
    page.evaluate("""() => { const s = document.createElement('script');
                              s.textContent = 'window.injected = true'; document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined")
    context.close()
    assert any("CSP violation: script-src" in problem for problem in watch.problems), watch.problems
