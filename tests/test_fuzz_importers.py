"""Mutation fuzzing and hostile input for the importers (LexDania XML, Retsinformation HTML and
JSON): real documents from the shared corpus and the HTML sample, truncated, with tags renamed and
swapped, entities and random bytes injected. A damaged document is either read, or refused with
an ImportFailure that names the file — never an exception the import pipeline has to catch for
it ("report the error"). Hostile files read nothing but themselves and fetch nothing.

Examples are derandomized so `make test` is repeatable; REGELGRAF_FUZZ=deep runs 25 times as many
fresh random ones (see docs/security.md).
"""

from __future__ import annotations

import copy
import json
import os
import re
import tarfile
import time
from pathlib import Path

import lxml.html
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from graph.importers.detect import parse_document
from graph.importers.model import ImportFailure, ParsedDocument, Source
from graph.importers.pipeline import ImportSummary, run_import
from graph.importers.targets import StoreTarget
from graph.store import Store, StoreError, open_store
from test_sparql_guard import listener  # noqa: F401  (the fixture: a recording HTTP server)

DEEP = os.environ.get("REGELGRAF_FUZZ") == "deep"
CACHE = Path("/tmp/corpus")  # unpacked members are kept here between runs
CORPUS = "corpus/lexdania-lta-2010-2017.tar.xz"
MEMBERS = ("love/2014/2014-751.xml", "love/2014/2014-339.xml", "love/2014/2014-724.xml", "love/2014/2014-1519.xml")
HTML_SAMPLE = "samples/retsinfo-html-LBK-1238-2015-foraeldelsesloven.html"
CANARY = "regelgraf-canary-5d2e91"
CATCH_ALL = "report the error"  # the pipeline's fix text for an exception a reader did not handle


def fuzz(examples: int) -> settings:
    """Bounded, repeatable fuzzing; deep mode runs many more random examples."""
    return settings(max_examples=examples * 25 if DEEP else examples, derandomize=not DEEP, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


# -- the real documents ------------------------------------------------------------------------

def corpus_member(shared: Path, member: str) -> bytes:
    """One document of the shared corpus, unpacked once into /tmp/corpus."""
    cached = CACHE / member
    if not cached.is_file():
        wanted = {m for m in MEMBERS if not (CACHE / m).is_file()}
        with tarfile.open(shared / CORPUS, mode="r|xz") as archive:
            for entry in archive:
                if entry.name in wanted:
                    target = CACHE / entry.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.extractfile(entry).read())  # type: ignore[union-attr]
                    wanted.discard(entry.name)
                    if not wanted:
                        break
    return cached.read_bytes()


def json_answer(html: bytes) -> bytes:
    """An answer shaped like Retsinformation's JSON document API, around the HTML sample's text."""
    return json.dumps([{
        "title": "Bekendtgørelse af lov om forældelse af fordringer", "shortName": "LBK nr 1238 af 09/11/2015",
        "popularTitle": "Forældelsesloven", "ressort": "Justitsministeriet", "isHistorical": False,
        "metadata": [{"displayName": "Offentliggørelsesdato", "displayValue": "2015-11-10"}],
        "documentHtml": html.decode("utf-8-sig"),
    }], ensure_ascii=False).encode("utf-8")


@pytest.fixture
def seeds(shared_dir: Path) -> dict[str, bytes]:
    """Four LexDania documents (amending act, consolidation, act), the saved page, a JSON answer."""
    documents = {Path(m).name: corpus_member(shared_dir, m) for m in MEMBERS}
    html = (shared_dir / HTML_SAMPLE).read_bytes()
    return {**documents, "lbk-2015-1238.html": html, "lbk-2015-1238.json": json_answer(html)}


# -- damage -----------------------------------------------------------------------------------

_TAG = re.compile(rb"<(/?)([A-Za-z][\w.-]*)")
_START_TAG = re.compile(rb"<[A-Za-z][^<>]*>")
INJECTIONS = [b"&lol;", b"&#0;", b"&#x110000;", b"&amp", b"&#65;", b"]]>", b"<![CDATA[", b"<?pi x?>", b"<!--",
              b"\x00", b"\xff\xfe", b"<", b">", b"&", b'"', b"\\u0000", b"<Paragraf>", b"</Stk>",
              b'<p class="Paragraf">', b'<span class="ParagrafNr">\xc2\xa7 1.</span>', b"}", b"{", b"[", b"]", b","]


@st.composite
def damage(draw: st.DrawFn, data: bytes) -> bytes:
    """One to three damages: truncation, a cut-out piece, renamed or swapped tags, an injected
    entity or token, random bytes, or a duplicated piece."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "cut", "rename", "swap", "inject", "bytes", "duplicate"]))
        if kind == "truncate":
            data = data[:at]
        elif kind == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 300)):]
        elif kind == "rename":
            tags = list(_TAG.finditer(data))
            if tags:
                tag = draw(st.sampled_from(tags))
                name = draw(st.sampled_from(sorted({t.group(2) for t in tags})))
                data = data[:tag.start(2)] + name + data[tag.end(2):]
        elif kind == "swap":
            tags = list(_START_TAG.finditer(data))
            if len(tags) > 1:
                a, b = sorted(draw(st.lists(st.sampled_from(tags), min_size=2, max_size=2, unique_by=lambda m: m.start())),
                              key=lambda m: m.start())
                data = data[:a.start()] + b.group(0) + data[a.end():b.start()] + a.group(0) + data[b.end():]
        elif kind == "inject":
            data = data[:at] + draw(st.sampled_from(INJECTIONS)) + data[at:]
        elif kind == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        else:
            start = draw(st.integers(0, len(data)))
            data = data[:at] + data[start:start + draw(st.integers(1, 2000))] + data[at:]
    return data


TEXTS = ["", " ", "§ 1.", "§ 1 a.", "Stk. 2.", "1)", "a)", "Kapitel 1", "Afsnit IV", "Bilag 1", "0", "-1", "99999999999",
         "2014-13-45", "2014-06-25", "LOV nr 1 af 01/01/2014", "LBK H#LOKDOK03", "LOV Æ#LOKDOK02", "X#LOKDOK99",
         "jf. § 2, stk. 3, nr. 4", "§§ 1-999999", "lov nr. 751 af 25. juni 2014", "Valid", "\u00a0", "æøå"]


@st.composite
def structural_damage(draw: st.DrawFn, data: bytes, html: bool) -> bytes:
    """Damage that keeps the markup well-formed, so the reader's own logic is what gets tested:
    elements deleted, duplicated, moved or renamed, and texts replaced or swapped."""
    root = (lxml.html.document_fromstring(data.removeprefix(b"\xef\xbb\xbf")) if html
            else etree.fromstring(data.removeprefix(b"\xef\xbb\xbf")))
    for _ in range(draw(st.integers(1, 4))):
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        element = draw(st.sampled_from(elements))
        parent = element.getparent()
        kind = draw(st.sampled_from(["delete", "duplicate", "move", "rename", "text", "swap-text", "attribute"]))
        if kind == "delete" and parent is not None:
            parent.remove(element)
        elif kind == "duplicate" and parent is not None:
            element.addnext(copy.deepcopy(element))
        elif kind == "move" and parent is not None:
            target = draw(st.sampled_from(elements))
            if element not in target.iterancestors() and target is not element:
                target.append(element)
        elif kind == "rename":
            element.tag = draw(st.sampled_from(sorted({e.tag for e in elements})))
        elif kind == "text":
            element.text = draw(st.one_of(st.sampled_from(TEXTS), st.text(max_size=20)).filter(_xml_text))
        elif kind == "swap-text":
            other = draw(st.sampled_from(elements))
            element.text, other.text = other.text, element.text
        elif kind == "attribute" and element.attrib:
            name = draw(st.sampled_from(sorted(element.attrib)))
            element.set(name, draw(st.sampled_from(TEXTS + ["Paragraf", "Stk2", "ParagrafNr", "Liste1"])))
    if html:
        return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _xml_text(text: str) -> bool:
    """Text lxml can hold (no control characters or lone surrogates)."""
    return all(ch in "\t\n\r" or (0x20 <= ord(ch) < 0xD800) or (0xE000 <= ord(ch) <= 0xFFFD) for ch in text)


def source(path: Path) -> Source:
    return Source(path.as_uri(), str(path))


def read_or_refuse(path: Path, data: bytes) -> ParsedDocument | None:
    """parse_document's answer, checking that a refusal names the file and explains itself."""
    try:
        return parse_document(data, source(path))
    except ImportFailure as failure:
        assert failure.where.startswith(str(path)), failure.render("en")
        assert failure.reason and failure.reason_en and failure.fix_en, failure.render("en")
        return None


def import_into_empty_store(path: Path) -> tuple[ImportSummary, Store]:
    store = open_store("oxigraph")  # in memory
    return run_import([path], StoreTarget(store)), store


def check_import(summary: ImportSummary, store: Store, path: Path) -> None:
    """Either the document is in the store, or every failure names the file and nothing is written."""
    for failure in summary.failures:
        assert CATCH_ALL not in failure.fix_en, f"an exception escaped the reader: {failure.render('en')}"
        assert failure.where.startswith(str(path)), failure.render("en")
    if summary.failures:
        assert store.count() == 0, "a refused document was written"
    else:
        assert summary.documents == 1 and summary.graphs and store.count() == summary.triples


# -- properties -------------------------------------------------------------------------------

def test_the_seeds_import_cleanly(seeds, tmp_path):
    for name, data in seeds.items():
        path = tmp_path / name
        path.write_bytes(data)
        summary, store = import_into_empty_store(path)
        assert not summary.failures, [f.render("en") for f in summary.failures]
        assert summary.provisions > 0, name


@fuzz(250)
@given(data=st.data())
def test_a_damaged_document_is_read_or_refused_naming_the_file(seeds, tmp_path, data):
    name = data.draw(st.sampled_from(sorted(seeds)))
    damaged = data.draw(damage(seeds[name]))
    read_or_refuse(tmp_path / name, damaged)


@fuzz(50)
@given(data=st.data())
def test_a_damaged_document_imports_or_fails_cleanly(seeds, tmp_path, data):
    name = data.draw(st.sampled_from(sorted(seeds)))
    path = tmp_path / name
    path.write_bytes(data.draw(damage(seeds[name])))
    summary, store = import_into_empty_store(path)
    check_import(summary, store, path)


@fuzz(35)
@given(data=st.data())
def test_a_document_with_damaged_structure_imports_or_fails_cleanly(seeds, tmp_path, data):
    name = data.draw(st.sampled_from(sorted(seeds)))
    seed = seeds[name]
    if name.endswith(".json"):
        page = data.draw(structural_damage(seeds[name.replace(".json", ".html")], html=True))
        damaged = json_answer(page)
    else:
        damaged = data.draw(structural_damage(seed, html=name.endswith(".html")))
    path = tmp_path / name
    path.write_bytes(damaged)
    read_or_refuse(path, damaged)
    summary, store = import_into_empty_store(path)
    check_import(summary, store, path)


@fuzz(40)
@given(data=st.data())
def test_every_truncation_of_an_xml_document_is_refused_with_a_position(seeds, tmp_path, data):
    original = seeds["2014-724.xml"]
    end = original.rindex(b"</Dokument>")
    cut = data.draw(st.integers(0, end))
    path = tmp_path / "2014-724.xml"
    with pytest.raises(ImportFailure) as caught:
        parse_document(original[:cut], source(path))
    assert re.match(rf"{re.escape(str(path))}(:\d+:\d+)?$", caught.value.where), caught.value.where


# -- hostile XML: no entity expansion, no DTD, no network, no other file -----------------------

LAUGHS = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))


def lexdania_with(seed: bytes, prologue: str = "", in_text: str = "") -> bytes:
    """A real document with a prologue before its root and text placed in its first Char."""
    body = seed.removeprefix(b"\xef\xbb\xbf").split(b"?>", 1)[1]
    if in_text:
        body = body.replace(b"<Char>", b"<Char>" + in_text.encode() + b" ", 1)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + prologue.encode() + body


def refused_fast(path: Path, data: bytes) -> ImportFailure:
    started = time.monotonic()
    with pytest.raises(ImportFailure) as caught:
        parse_document(data, source(path))
    assert time.monotonic() - started < 1
    assert caught.value.where.startswith(str(path))
    return caught.value


def test_billion_laughs_fails_fast_and_expands_nothing(seeds, tmp_path):
    data = lexdania_with(seeds["2014-751.xml"], f'<!DOCTYPE Dokument [<!ENTITY l0 "lol">{LAUGHS}]>\n', "&l9;")
    path = tmp_path / "laughs.xml"
    failure = refused_fast(path, data)
    assert "DTD" in failure.reason_en and "entit" in failure.reason_en
    path.write_bytes(data)
    summary, store = import_into_empty_store(path)
    assert len(summary.failures) == 1 and store.count() == 0


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE Dokument [<!ENTITY xxe SYSTEM "{secret}">]>',
    '<!DOCTYPE Dokument [<!ENTITY % p SYSTEM "{secret}"> %p;]>',
    '<!DOCTYPE Dokument SYSTEM "{secret}">',
], ids=["general-entity", "parameter-entity", "external-dtd"])
def test_an_external_entity_reads_no_local_file(seeds, tmp_path, declaration):
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY, encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_bytes(lexdania_with(seeds["2014-751.xml"], declaration.format(secret=secret.as_uri()) + "\n", "&xxe;"))
    summary, store = import_into_empty_store(path)
    assert summary.failures and store.count() == 0
    assert all(CANARY not in f.render(lang) for f in summary.failures for lang in ("da", "en"))


@pytest.mark.parametrize("declaration", [
    '<!DOCTYPE Dokument [<!ENTITY xxe SYSTEM "{url}">]>',
    '<!DOCTYPE Dokument [<!ENTITY % p SYSTEM "{url}"> %p;]>',
    '<!DOCTYPE Dokument SYSTEM "{url}">',
    # After more than 4 KiB of comment, where a look at the head of the file would not see it:
    "<!--" + "x" * 5000 + '-->\n<!DOCTYPE Dokument SYSTEM "{url}">',
], ids=["general-entity", "parameter-entity", "external-dtd", "late-external-dtd"])
def test_an_external_entity_or_dtd_fetches_nothing(seeds, tmp_path, listener, declaration):  # noqa: F811
    url, requests = listener
    path = tmp_path / "remote.xml"
    path.write_bytes(lexdania_with(seeds["2014-751.xml"], declaration.format(url=url) + "\n", "&xxe;"))
    # Refused, or (a DTD declared past the first 4 KiB) read with the entity left unexpanded.
    read_or_refuse(path, path.read_bytes())
    summary, store = import_into_empty_store(path)
    check_import(summary, store, path)
    assert requests == []


def test_xinclude_is_not_followed(seeds, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY, encoding="utf-8")
    include = f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret.as_uri()}" parse="text"/>'
    path = tmp_path / "xinclude.xml"
    path.write_bytes(lexdania_with(seeds["2014-724.xml"], in_text=include))
    summary, store = import_into_empty_store(path)
    check_import(summary, store, path)
    assert CANARY.encode() not in store.dump("nquads")


# -- hostile HTML and JSON: nothing is fetched or read -------------------------------------

def hostile_html(html: bytes, url: str, secret: Path) -> bytes:
    """The sample page with a DTD entity, resources on the listener, frames and a local file."""
    page = html.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    prologue = f'<!DOCTYPE html [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    extras = (f'<link rel="stylesheet" href="{url}/style.css"><script src="{url}/script.js"></script>'
              f'<img src="{url}/image.png"><iframe src="{secret.as_uri()}"></iframe>'
              f'<object data="{url}/object"></object><svg><image href="{url}/svg.png"/></svg>'
              f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret.as_uri()}" parse="text"/>')
    page = re.sub(r"<!DOCTYPE[^>]*>", "", page, count=1, flags=re.I)
    page = page.replace('<p class="Paragraf">', f'<p class="Paragraf">&xxe; {extras}', 1)
    return (prologue + page).encode("utf-8")


@pytest.mark.parametrize("form", ["html", "json"])
def test_a_hostile_page_fetches_and_reads_nothing(seeds, tmp_path, listener, form):  # noqa: F811
    url, requests = listener
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY, encoding="utf-8")
    page = hostile_html(seeds["lbk-2015-1238.html"], url.rsplit("/", 1)[0], secret)
    path = tmp_path / f"hostile.{form}"
    path.write_bytes(page if form == "html" else json_answer(page))
    summary, store = import_into_empty_store(path)
    check_import(summary, store, path)
    assert requests == []
    assert CANARY.encode() not in store.dump("nquads")
    assert all(CANARY not in f.render("en") for f in summary.failures)


def test_a_huge_json_string_is_read_without_trouble(tmp_path):
    path = tmp_path / "huge.json"
    failure = refused_fast(path, json.dumps([{"documentHtml": "x" * 5_000_000, "shortName": "?"}]).encode())
    assert "short name" in failure.reason_en


def test_deeply_nested_json_is_refused_naming_the_file(tmp_path):
    refused_fast(tmp_path / "deep.json", b"[" * 100_000 + b"]" * 100_000)


def test_deeply_nested_xml_is_refused_with_a_position(seeds, tmp_path):
    path = tmp_path / "deep.xml"
    failure = refused_fast(path, lexdania_with(seeds["2014-751.xml"], in_text="<a>" * 5000 + "</a>" * 5000))
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+$", failure.where)


def test_the_pipeline_writes_nothing_of_a_refused_file_next_to_a_good_one(seeds, tmp_path):
    good, bad = tmp_path / "2014-724.xml", tmp_path / "broken.xml"
    good.write_bytes(seeds["2014-724.xml"])
    bad.write_bytes(seeds["2014-751.xml"][:2000])
    store = open_store("oxigraph")
    summary = run_import([bad, good], StoreTarget(store))
    assert [f.where.split(":")[0] for f in summary.failures] == [str(bad)]
    assert summary.documents == 1
    graphs = {str(g) for g in store.graph_names()}
    assert graphs == set(summary.graphs)
    assert not any(q.graph_name.value.endswith("/2014/751") for q in ox.parse(store.dump("nquads"),
                                                                               format=ox.RdfFormat.N_QUADS))


def test_a_damaged_schema_location_is_left_out_with_a_warning_naming_the_file(seeds, tmp_path):
    """Found by deep fuzzing: a damaged SchemaLocation once made the store refuse the whole batch.
    The importer now leaves that IRI out, warns about the file and imports both documents."""
    good, damaged = tmp_path / "2014-724.xml", tmp_path / "2014-751.xml"
    good.write_bytes(seeds["2014-724.xml"])
    damaged.write_bytes(seeds["2014-751.xml"].replace(b'SchemaLocation="https://', b'SchemaLocation="http//', 1))
    store = open_store("oxigraph")
    summary = run_import([damaged, good], StoreTarget(store))
    assert summary.documents == 2 and not summary.failures
    assert any(str(damaged) in str(where) for where in summary.warnings), summary.warnings


# -- imported text reaches the web pages as text ---------------------------------------------

SCRIPT = '<script>alert("regelgraf")</script>'


def test_markup_in_an_imported_document_renders_as_text(seeds, tmp_path):
    from webui import create_app

    escaped = SCRIPT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    in_xml = SCRIPT.replace("<", "&lt;").replace(">", "&gt;")
    data = seeds["2014-724.xml"].replace(b"<Char>Loven tr", f"<Char>{in_xml} Loven tr".encode(), 1)
    data = data.replace(b"<DocumentTitle>", f"<DocumentTitle>{in_xml} ".encode(), 1)
    path = tmp_path / "2014-724.xml"
    path.write_bytes(data)
    store = open_store("oxigraph")
    assert not run_import([path], StoreTarget(store)).failures
    rows = store.query('PREFIX rg: <https://regelgraf.dk/def#> PREFIX eli: <http://data.europa.eu/eli/ontology#> '
                       'SELECT ?s ?p WHERE { ?s rg:text ?t OPTIONAL { ?s eli:is_member_of ?p } '
                       'FILTER(CONTAINS(?t, "alert")) }').rows
    assert rows, "the injected text should have been imported as text"
    client = create_app({"REGELGRAF_STORE": store}).test_client()
    pages = [f"/resource?iri={iri}" for row in rows for iri in row if iri is not None]
    pages += ["/document/lta/2014/724", "/search?q=alert", "/?lang=en"]
    shown = 0
    for page in pages:
        answer = client.get(page)
        html = answer.get_data(as_text=True)
        assert answer.status_code in (200, 404), f"{page}: {answer.status_code}"
        assert SCRIPT not in html, f"{page} lets imported markup through"
        shown += escaped in html
    assert shown >= 2, "the escaped text should be shown on the document's pages"
