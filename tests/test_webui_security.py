"""The web UI's defences: security headers, a CSP without inline scripts, no state change from
forms or cross-site requests, and no stack traces to clients."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph.rdfio import read_rdf
from graph.store import open_store
from webui import create_app
from webui.security import CONTENT_SECURITY_POLICY, SECURITY_HEADERS

FIXTURES = Path(__file__).parent / "fixtures" / "webui"
TEMPLATES = Path(__file__).parent.parent / "webui" / "templates"
STATIC = Path(__file__).parent.parent / "webui" / "static"
BASE = "https://regelgraf.dk/id/"
TOKEN = "a-test-token-that-is-long-enough"
PAGES = [
    "/", "/index.json", "/search?q=madservice", "/id/work/serviceloven", "/id/work/serviceloven/par_83",
    "/id/work/serviceloven/par_83.ttl", "/id/kommune/0410", "/id/aftale/viborg-aeldre", "/document/lta/2019/1200",
    "/queries", "/queries/agreements_in_force?as_of=2023-01-01&run=1", "/queries/agreements_in_force.csv",
    "/impact", "/impact?target=serviceloven+§+83", "/impact.graphml?target=serviceloven+§+83", "/editor",
    "/validation", "/static/regelgraf.css", "/static/impact.js", "/id/work/nothing", "/impact?target=x&depth=z",
    "/sparql?query=ASK{}",
]


class Spy:
    """A store whose every write is recorded (and refused), around a real store."""

    WRITES = ("replace_graphs", "add_graphs", "remove_graphs", "update", "clear")

    def __init__(self, store):
        self._store = store
        self.writes: list[str] = []

    def __getattr__(self, name):
        if name in self.WRITES:
            def refuse(*args, **kwargs):
                self.writes.append(name)
                raise AssertionError(f"a GET request called Store.{name}")
            return refuse
        return getattr(self._store, name)


@pytest.fixture(scope="module")
def store():
    opened = open_store("oxigraph")
    opened.replace_graphs(read_rdf(FIXTURES / "graph.trig"))
    yield opened
    opened.close()


@pytest.fixture
def spy(store):
    return Spy(store)


@pytest.fixture
def client(spy):
    return create_app({"REGELGRAF_STORE": spy, "REGELGRAF_BASE": BASE, "REGELGRAF_QUERIES_DIR": FIXTURES / "queries",
                       "REGELGRAF_ALLOW_UPDATE": True, "REGELGRAF_UPDATE_TOKEN": TOKEN}).test_client()


# --- headers -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{path}: {name}"


def test_the_policy_allows_only_our_own_scripts():
    directives = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self'" and directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'" and directives["form-action"] == "'self'"
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in directives["script-src"]
    assert "http" not in CONTENT_SECURITY_POLICY  # no outside host is trusted


class _Tags(HTMLParser):
    """Collects start tags with their attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(path: Path) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script_or_handlers(template):
    for tag, attrs in _tags(template):
        if tag == "script":
            assert "src" in attrs or attrs.get("type") == "application/json", \
                f"{template.name}: an inline <script> would need a nonce; load a file from /static or use a JSON data block"
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"{template.name}: inline event handler {handlers} is blocked by the CSP"
        assert "javascript:" not in (attrs.get("href") or ""), f"{template.name}: javascript: URL"


def test_pages_load_scripts_from_our_static_folder_only(client):
    for path in ("/impact?target=serviceloven+§+83", "/editor"):
        html = client.get(path).get_data(as_text=True)
        sources = re.findall(r'<script src="([^"]+)"', html)
        assert sources and all(src.startswith("/static/") for src in sources), sources
        for src in sources:
            assert (STATIC / src.removeprefix("/static/")).name == src.rsplit("/", 1)[-1]


# --- state changes and CSRF ---------------------------------------------------------------------

@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_every_form_is_a_get_form(template):
    for tag, attrs in _tags(template):
        if tag == "form":
            assert attrs.get("method", "get").lower() == "get", \
                f"{template.name}: a form that changes state needs CSRF protection (see webui/security.py)"


def test_only_the_sparql_endpoint_accepts_unsafe_methods(client):
    for rule in client.application.url_map.iter_rules():
        unsafe = set(rule.methods or ()) - {"GET", "HEAD", "OPTIONS"}
        if rule.endpoint.startswith("sparql."):
            continue
        assert not unsafe, f"{rule.rule} accepts {sorted(unsafe)}: a state-changing route needs CSRF protection"


def test_submitting_every_form_changes_nothing(client, spy, store):
    before = (sorted(store.graph_names()), store.count())
    submissions = [
        "/search?q=serviceloven+§+83", "/search?q=INSERT+DATA+{}", "/?as_of=2023-01-01",
        "/queries/agreements_in_force?as_of=2023-01-01&run=1", "/queries/decisions_setting_aside?municipality=0410&run=1",
        "/impact?target=serviceloven+§+83&depth=2&relations=cites&relations=part_of&direction=dependencies",
        "/impact?target=DROP+ALL", "/id/work/serviceloven?lang=en",
    ]
    for path in submissions + PAGES:
        assert client.get(path).status_code < 500, path
    assert spy.writes == []
    assert (sorted(store.graph_names()), store.count()) == before


def test_a_cross_site_form_cannot_update_the_store(client, spy):
    # What a hostile page can make a browser send: a form POST with the reader's cookies but
    # without the Authorization header, which only a script on our own origin could add.
    response = client.post("/sparql", data={"update": "DROP ALL"},
                           headers={"Origin": "https://evil.example", "Cookie": "regelgraf_lang=da"})
    assert response.status_code == 401 and spy.writes == []
    for path in ("/", "/impact", "/editor", "/queries/agreements_in_force"):
        assert client.post(path, data={"q": "x"}, headers={"Origin": "https://evil.example"}).status_code == 405


# --- errors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/impact?target=serviceloven+§+83", "/impact.json?target=serviceloven+§+83",
                                  "/impact.csv?target=serviceloven+§+83", "/editor", "/id/work/serviceloven.ttl"])
def test_no_stack_trace_reaches_the_client(client, monkeypatch, path):
    import webui.views.browse as browse
    import webui.views.editor as editor
    import webui.views.impact as impact

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(impact, "impact", broken)
    monkeypatch.setattr(editor, "describe_query", broken)
    monkeypatch.setattr(browse, "rdf_description", broken)
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in body and "secret internal detail" not in body and "RuntimeError" not in body
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
