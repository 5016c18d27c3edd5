"""Mutation fuzzing of the authoring format and property tests of the citation parser.

Random damage to the shipped data files and to the documented example (lines deleted,
duplicated, copied, re-indented, values swapped or replaced, tokens and bytes inserted) must end
in one of two ways: compile_sources succeeds, or it raises AuthoringErrors whose every error names
the file, a line in it and a fix, in Danish and English. Anything else is a bug.

Examples are derandomized so `make test` is repeatable; REGELGRAF_FUZZ=deep runs 25 times as many
fresh random ones (see docs/security.md).
"""

from __future__ import annotations

import os
import re
import time
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from graph.authoring import AuthoringError, AuthoringErrors, compile_sources, source_graph_iri
from graph.authoring.errors import Loc
from graph.citations import Citation, CitationError, parse_citation
from graph.cli import cli
from graph.settings import DATA_DIR, REPO_ROOT

DEEP = os.environ.get("REGELGRAF_FUZZ") == "deep"


def fuzz(examples: int) -> settings:
    """Bounded, repeatable fuzzing; deep mode runs many more random examples."""
    return settings(max_examples=examples * 25 if DEEP else examples, derandomize=not DEEP, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


DATA_FILES = sorted(DATA_DIR.rglob("*.yaml"))
DOC_EXAMPLES = dict(re.findall(r"<!-- example: (\S+) -->\n```yaml\n(.*?)```",
                               (REPO_ROOT / "docs" / "authoring.md").read_text(encoding="utf-8"), re.S))

# What YAML and the format give meaning to, plus values of the wrong kind.
TOKENS = [":", ": ", "- ", "-", "#", "'", '"', "[", "]", "{", "}", ",", "&a ", "*a", "<<: *a", "? ", "|", ">",
          "!!binary ", "!!python/object/apply:os.system ['true'] ", "!tag ", "%YAML 1.1", "---", "...", "\t",
          "\\u0000", "\u00a0", "\u202e", "§", "æøå"]
VALUES = ["", "null", "~", "[]", "{}", "yes", "no", "2021-13-45", "2021-02-30", "0217", "217", "-1", "1e309",
          "https://example.org/x", "ftp://x", "not a url", "serviceloven § 999 z", "§ 83", "serviceloven",
          "certain", "unverified", "helt", "delvis", "DK-99", "[a, b]", "{a: b}", "*a", "&a x", "'''", "\"\\x\""]


@cache
def shipped() -> dict[URIRef, Graph]:
    return compile_sources([DATA_DIR])


@cache
def context_without(path: Path) -> Graph:
    """All shipped graphs but the one compiled from `path`: what `regelgraf build <path>` sees."""
    context, own = Graph(), source_graph_iri(path)
    for name, graph in shipped().items():
        if name != own:
            context += graph
    return context


@cache
def context_all() -> Graph:
    context = Graph()
    for graph in shipped().values():
        context += graph
    return context


# -- mutations -------------------------------------------------------------------------------

_KEY_VALUE = re.compile(r"^(\s*(?:- )?[\w-]+: )(\S.*)$")


@st.composite
def yaml_damage(draw: st.DrawFn, text: str) -> str:
    """One to three damages to the lines of a YAML file."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "copy", "swap", "indent", "dedent", "truncate",
                                     "token", "value", "text"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "copy":
            lines.insert(i, lines[draw(st.integers(0, len(lines) - 1))])
        elif kind == "swap":
            pairs = [n for n, line in enumerate(lines) if _KEY_VALUE.match(line)]
            if len(pairs) >= 2:
                a, b = draw(st.lists(st.sampled_from(pairs), min_size=2, max_size=2, unique=True))
                ma, mb = _KEY_VALUE.match(lines[a]), _KEY_VALUE.match(lines[b])
                lines[a], lines[b] = ma[1] + mb[2], mb[1] + ma[2]  # type: ignore[index]
        elif kind == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i].lstrip()
        elif kind == "truncate":
            lines = lines[:i] + [lines[i][:draw(st.integers(0, len(lines[i])))]]
        elif kind == "value":
            match = _KEY_VALUE.match(lines[i])
            if match:
                lines[i] = match[1] + draw(st.sampled_from(VALUES))
        else:
            insert = draw(st.sampled_from(TOKENS)) if kind == "token" else draw(st.text(max_size=12))
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + insert + lines[i][at:]
    return "\n".join(lines)


@st.composite
def damaged_data_file(draw: st.DrawFn) -> tuple[Path, str]:
    path = draw(st.sampled_from(DATA_FILES))
    return path, draw(yaml_damage(path.read_text(encoding="utf-8")))


# -- the property ----------------------------------------------------------------------------

def compile_or_explain(paths: list[Path], context: Graph) -> None:
    """compile_sources succeeds with non-empty graphs, or every error has file, line and fix."""
    try:
        graphs = compile_sources(paths, context=context)
    except (AuthoringErrors, AuthoringError) as raised:
        errors = list(raised) if isinstance(raised, AuthoringErrors) else [raised]
        assert errors, "AuthoringErrors without an error"
        for error in errors:
            assert error.path in paths, str(error)
            assert error.message and error.fix and error.message_en and error.fix_en, str(error)
            lines = error.path.read_bytes().count(b"\n") + 2
            assert error.line is not None and 1 <= error.line <= lines, str(error)
            assert str(error).startswith(f"{Loc(error.path).display_path()}:{error.line}")
    else:
        assert graphs and all(len(graph) for graph in graphs.values())


def test_every_shipped_file_compiles_against_the_others(tmp_path):
    """The starting points of the fuzzing are good: each file alone, with the rest as context."""
    for path in DATA_FILES:
        compile_sources([path], context=context_without(path))
    assert set(DOC_EXAMPLES) == {"eksempelby-kommune.yaml", "eksempelby-dagtilbud.yaml"}


@fuzz(90)
@given(case=damaged_data_file())
def test_damaged_data_files_compile_or_name_file_and_line(tmp_path, case):
    original, text = case
    path = tmp_path / original.name
    path.write_text(text, encoding="utf-8")
    compile_or_explain([path], context_without(original))


@fuzz(40)
@given(name=st.sampled_from(sorted(DOC_EXAMPLES)), data=st.data())
def test_the_damaged_documented_example_compiles_or_names_file_and_line(tmp_path, name, data):
    paths = []
    for example, text in DOC_EXAMPLES.items():
        if example == name:
            text = data.draw(yaml_damage(text))
        path = tmp_path / example
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    compile_or_explain(paths, context_all())


@fuzz(40)
@given(original=st.sampled_from(DATA_FILES), data=st.data())
def test_random_bytes_compile_or_name_the_file(tmp_path, original, data):
    raw = original.read_bytes()
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(st.binary(min_size=1, max_size=6)) + raw[at:]
    path = tmp_path / original.name
    path.write_bytes(raw)
    compile_or_explain([path], context_without(original))


# -- hostile YAML ----------------------------------------------------------------------------

def test_an_alias_bomb_fails_fast(tmp_path):
    lines = ["kind: municipalities", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    lines.append(f"municipalities: [{', '.join(['*l8'] * 9)}]")  # 9¹⁰ strings if anything expanded it
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources([path])
    assert time.monotonic() - started < 2
    assert all(error.path == path and error.line for error in caught.value)


def test_python_tags_construct_nothing(tmp_path):
    marker = tmp_path / "constructed"
    path = tmp_path / "tags.yaml"
    path.write_text("kind: municipalities\nmunicipalities: !!python/object/apply:os.system "
                    f"['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources([path])
    assert not marker.exists()
    assert [(error.path, error.code) for error in caught.value] == [(path, "not-mapping")]


@pytest.mark.parametrize("text, line", [
    ("municipalities: !tag [Helsingør]\n", 2),
    ("municipalities: !tag\n  - name: Helsingør\n  - Helsingør\n", 4),
    ("municipalities: !!python/object/apply:os.system [Helsingør]\n", 2),
])
def test_an_item_of_a_tagged_list_is_reported_with_its_line(tmp_path, text, line):
    """A tagged list's items keep their places; the English message has no Danish words."""
    path = tmp_path / "tagged-list.yaml"
    path.write_text("kind: municipalities\n" + text, encoding="utf-8")
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources([path])
    not_mappings = [error for error in caught.value if error.code == "not-mapping"]
    assert [error.line for error in not_mappings] == [line]
    error = not_mappings[0]
    assert error.message_en == "a municipality must be a mapping ('key: value'), not the text 'Helsingør'"
    assert "kommune" in error.message and "teksten" in error.message


def test_a_control_character_is_reported_with_its_line(tmp_path):
    path = tmp_path / "control.yaml"
    path.write_text("kind: municipalities\nmunicipalities:\n  - name: Helsing\x1før\n", encoding="utf-8")
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources([path])
    assert caught.value.errors[0].line == 3


def test_a_kind_that_is_a_list_is_an_authoring_error(tmp_path):
    path = tmp_path / "list-kind.yaml"
    path.write_text("kind: [act]\n", encoding="utf-8")
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources([path])
    assert caught.value.errors[0].line == 1


def test_a_file_that_is_not_utf8_is_reported_with_a_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("kind: municipalities\nmunicipalities:\n  - name: Helsingør\n".encode("latin-1"))
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources([path])
    assert caught.value.errors[0].line == 3


@pytest.mark.parametrize("character", ["{", "<", "|"])
def test_a_source_url_the_store_cannot_hold_is_an_authoring_error(tmp_path, character):
    original = DATA_DIR / "agreements" / "esbjerg-folkeskole.yaml"
    text = original.read_text(encoding="utf-8")
    assert "https://skoler.esbjerg.dk/" in text
    path = tmp_path / original.name
    path.write_text(text.replace("https://skoler.esbjerg.dk/", f"https://skoler.esbjerg.dk/a{character}b/", 1),
                    encoding="utf-8")
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources([path], context=context_without(original))
    assert caught.value.errors[0].code == "bad-url"


# -- `regelgraf build` with a broken file: exit code, place, store unchanged -------------------

def test_build_with_a_broken_file_names_the_place_and_changes_nothing(tmp_path):
    store = ["--store", str(tmp_path / "store")]
    runner = CliRunner()
    assert runner.invoke(cli, [*store, "build"], catch_exceptions=False).exit_code == 0
    before = runner.invoke(cli, [*store, "export", "--format", "nquads"], catch_exceptions=False).stdout_bytes
    broken = tmp_path / "helsingoer-dagtilbud.yaml"
    text = (DATA_DIR / "agreements" / broken.name).read_text(encoding="utf-8").split("\n")
    text[5] = "  " + text[5] + ": ["  # an indented, unclosed flow sequence
    broken.write_text("\n".join(text), encoding="utf-8")
    result = runner.invoke(cli, [*store, "build", str(broken)])
    assert result.exit_code not in (0, None) and result.exception is None or isinstance(result.exception, SystemExit)
    assert re.search(rf"{re.escape(broken.name)}:\d+:\d+: ", result.output), result.output
    assert "Traceback" not in result.output
    after = runner.invoke(cli, [*store, "export", "--format", "nquads"], catch_exceptions=False).stdout_bytes
    assert sorted(after.splitlines()) == sorted(before.splitlines())


# -- the citation parser: any text is a citation or a positioned, explained refusal ---------

_PIECES = st.sampled_from([
    "§", "§§", " ", "\u00a0", "\u00ad", "\n", ",", ".", "-", "–", "stk.", "Stk.", "nr.", "litra", "pkt.", "kapitel",
    "kap.", "afsnit", "bilag", "1", "2", "16", "83", "999999", "a", "b", "B", "I", "IV", "i", "og", "jf.",
    "serviceloven", "servicelovens", "dagtilbudsloven", "lov", "nr.", "om", "af", "28.", "december", "2021",
    "lov nr. 2594 af 28. december 2021", "lov om velfærdsaftaler på ældreområdet", "»", "«", "(", ")",
])
_CITATION_TEXTS = st.one_of(st.text(max_size=120), st.lists(_PIECES, max_size=40).map("".join))


@fuzz(600)
@given(text=_CITATION_TEXTS)
def test_any_text_is_a_citation_or_a_refusal_that_points_into_it(text):
    try:
        citation = parse_citation(text)
    except CitationError as error:
        assert 0 <= error.offset <= len(text), (text, error.offset)
        assert error.message and error.fix and error.message_en and error.fix_en
        assert error.render("da") != error.render("en")
    else:
        assert isinstance(citation, Citation) and citation.steps
        assert parse_citation(str(citation)) == citation, "the canonical form reads back as the same citation"
