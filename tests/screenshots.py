"""The screenshots of the user guides (docs/guide-da.md, docs/guide-en.md), taken in Debian's
Chromium from the shipped data.

    python -m tests.screenshots            # writes docs/img/*.png
    python -m tests.screenshots OUT_DIR    # writes elsewhere

tests/test_browser.py runs :func:`make` too (into test-artifacts/), so the guide's pictures
cannot silently stop matching the pages.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # as a script or `python -m tests.screenshots`

from browser_session import REPO, launch, missing_assets, new_context, wait_until  # noqa: E402

DOCS_IMG = REPO / "docs" / "img"
MAX_BYTES = 200_000  # keep the repository light: every picture under ~200 KB
PROVISION = "serviceloven § 79 a"
VIEWPORT = {"width": 1100, "height": 760}


def shipped_app() -> Any:
    """The web UI over the shipped data (data/ and the ontology), built into a memory store."""
    from graph.authoring import compile_sources
    from graph.loading import load_graphs, ontology_graphs
    from graph.resolve import reference_context
    from graph.store import open_store
    from webui import create_app

    store = open_store("oxigraph")
    graphs = compile_sources([REPO / "data"], context=reference_context(store))
    load_graphs(store, {**ontology_graphs(), **graphs})
    return create_app({"REGELGRAF_STORE": store, "REGELGRAF_EDITOR_PERSISTENCE": False})


@contextmanager
def chromium(browser: Any = None) -> Iterator[Any]:
    """The browser given, or Debian's Chromium started for the occasion (one Playwright at a time)."""
    if browser is not None:
        yield browser
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        started = launch(playwright)
        try:
            yield started
        finally:
            started.close()


@contextmanager
def browser_page(browser: Any, base_url: str, lang: str) -> Iterator[Any]:
    """A watched page in its own context; fails if any page logged an error or broke its CSP."""
    context, watch = new_context(browser, base_url, viewport=VIEWPORT, device_scale_factor=1,
                                 locale="da-DK" if lang == "da" else "en-GB")
    context.add_cookies([{"name": "regelgraf_lang", "value": lang, "url": base_url}])
    try:
        yield context.new_page()
    finally:
        context.close()
    if watch.problems:
        raise RuntimeError("the pages reported problems:\n" + "\n".join(watch.problems))


def take(page: Any, path: Path, selector: str | None = None, height: int | None = None) -> Path:
    """A screenshot of one element (its top ``height`` pixels when given), or of the top of the
    page; refuses one larger than MAX_BYTES."""
    if selector:
        box = page.locator(selector).first.bounding_box()
        scroll = page.evaluate("[window.scrollX, window.scrollY]")
        clip = {"x": box["x"] + scroll[0], "y": box["y"] + scroll[1], "width": box["width"],
                "height": min(box["height"], height or box["height"])}
        page.screenshot(path=str(path), clip=clip, full_page=True)
    else:
        page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height or VIEWPORT["height"]})
    if path.stat().st_size > MAX_BYTES:
        raise RuntimeError(f"{path}: {path.stat().st_size} bytes; crop the screenshot under {MAX_BYTES} bytes")
    return path


def make(out: Path = DOCS_IMG, langs: tuple[str, ...] = ("da", "en"), browser: Any = None) -> list[Path]:
    """Take every screenshot of the guides, in each language, into ``out``; returns the files.

    ``browser`` is a running Playwright browser to use (else Chromium is started here)."""
    from live_server import served

    if missing_assets():
        raise RuntimeError(f"front-end files missing ({', '.join(missing_assets())}); run `make assets`")
    out.mkdir(parents=True, exist_ok=True)
    taken: list[Path] = []
    with served(shipped_app()) as base_url, chromium(browser) as running:
        for lang in langs:
            with browser_page(running, base_url, lang) as page:
                taken += _scenes(page, base_url, out, lang)
    return taken


def _scenes(page: Any, base_url: str, out: Path, lang: str) -> list[Path]:
    """The guide's pictures in one language, in the order the guide shows them."""
    files = []
    page.goto(base_url + "/search")
    page.locator("main input[type=search]").fill(PROVISION)
    files.append(take(page, out / f"search-{lang}.png", height=420))

    page.locator("main form.search button").click()
    page.wait_for_url("**/id/work/serviceloven/par_79a")
    files.append(take(page, out / f"provision-{lang}.png", height=640))

    page.locator("a.button").first.click()
    wait_until(page, "window.regelgrafImpact && window.regelgrafImpact.nodes().length > 0")
    page.locator("#impact-graph").scroll_into_view_if_needed()
    cy_box = page.locator("#impact-graph").bounding_box()
    decision = page.evaluate("""() => { const n = window.regelgrafImpact.nodes('[kind = "decision"]')[0];
                                const p = n.renderedPosition(); return [p.x, p.y]; }""")
    page.mouse.move(cy_box["x"] + decision[0], cy_box["y"] + decision[1])
    page.locator("#impact-explanation .explanation").wait_for()
    files.append(take(page, out / f"impact-graph-{lang}.png", selector=".impact-drawing"))
    files.append(take(page, out / f"impact-downloads-{lang}.png", selector="section:has(#downloads-heading)"))
    page.locator("ol.impact-nodes").nth(1).scroll_into_view_if_needed()
    files.append(take(page, out / f"impact-explanations-{lang}.png", selector="ol.impact-nodes >> nth=1"))

    page.goto(base_url + "/queries/municipalities_exempt_from?provision=serviceloven+§+79+a&as_of=2023-01-01&run=1")
    page.locator("table.results-table").wait_for()
    files.append(take(page, out / f"query-{lang}.png", selector="main", height=1150))

    page.goto(base_url + "/editor")
    wait_until(page, "window.regelgrafEditor !== undefined")
    page.locator(".yasqe_queryButton").first.click()
    page.locator(".yasr table tbody tr").first.wait_for()
    files.append(take(page, out / f"editor-{lang}.png", selector="section.editor"))
    return files


def main(argv: list[str]) -> int:
    """Write the screenshots; print each file with its size."""
    out = Path(argv[0]) if argv else DOCS_IMG
    for path in make(out):
        print(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
