"""Reading one YAML source file into typed records that remember where every value stood.

ruamel.yaml's round-trip loader keeps the line and column of every key, value and list item;
the reader checks keys and types against ``schema`` and collects every problem as an
AuthoringError instead of stopping at the first, so one run reports all of them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.nodes import SequenceNode
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from graph.authoring.errors import AuthoringError, Loc, make_error
from graph.authoring.schema import CODE_LIST_NAMES, CODE_LISTS, KINDS, QUALIFIER_KEYS, SPECS, Field, Spec
from graph.citations import Citation, CitationError, parse_citation

__all__ = ["Qualifier", "Value", "Record", "read_source", "CERTAINTIES"]

CERTAINTIES = ("certain", "inferred", "unverified")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Constructor(RoundTripConstructor):
    """Keeps dates as the text written, so the reader can insist on exactly YYYY-MM-DD."""

    def construct_unknown(self, node: Any) -> Any:
        """A node with an unknown tag (``!tag [x]``), with the places of a list's items kept.

        ruamel.yaml builds such a list without recording where its items stand (an untagged list
        gets them from construct_rt_sequence), so an error in an item could not name its line.
        """
        data = None
        for data in super().construct_unknown(node):
            yield data
        if isinstance(node, SequenceNode) and isinstance(data, CommentedSeq):
            for index, child in enumerate(node.value):
                data._yaml_set_idx_line_col(index, [child.start_mark.line, child.start_mark.column])


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)
_Constructor.add_constructor(None, _Constructor.construct_unknown)


@dataclass(frozen=True)
class Qualifier:
    """A value's own certainty/source/note, when it differs from its statement's."""

    certainty: str | None
    sources: tuple[str, ...]
    note: str | None


@dataclass
class Value:
    """One read value and where it stood; ``raw`` is the text as written (for messages)."""

    value: Any
    loc: Loc
    raw: str = ""
    qualifier: Qualifier | None = None


@dataclass
class Record:
    """A mapping read against a Spec."""

    spec: Spec
    loc: Loc
    values: dict[str, Value] = field(default_factory=dict)
    complete: bool = True  # False when a required key was missing or unreadable

    def get(self, name: str, default: Any = None) -> Any:
        value = self.values.get(name)
        return default if value is None else value.value

    def v(self, name: str) -> Value | None:
        return self.values.get(name)

    def items(self, name: str) -> list[Value]:
        """The list under ``name`` (empty when absent)."""
        return list(self.get(name, []))

    def key_loc(self, name: str) -> Loc:
        value = self.values.get(name)
        return value.loc if value is not None else self.loc

    @property
    def certainty(self) -> str:
        return self.get("certainty", "certain")

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(self.get("source", ()))

    @property
    def note(self) -> str | None:
        return self.get("note")


class _Bad(Exception):
    """A value could not be read; carries the error already built."""

    def __init__(self, error: AuthoringError):
        self.error = error


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    return yaml


def _type_name_en(raw: object) -> str:
    """``_type_name`` in English."""
    if raw is None:
        return "empty"
    if isinstance(raw, bool):
        return "true/false"
    if isinstance(raw, (int, float)):
        return "a number"
    if isinstance(raw, str):
        return f"the text '{raw}'"
    if isinstance(raw, (list, CommentedSeq)):
        return "a list"
    if isinstance(raw, (dict, CommentedMap)):
        return "a mapping"
    return type(raw).__name__


def _label_en(spec: Spec) -> str:
    """How English messages name a record: 'a municipality', 'an agreement'."""
    words = spec.name.replace("_", " ")
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _type_name(raw: object) -> str:
    if raw is None:
        return "tom"
    if isinstance(raw, bool):
        return "sand/falsk"
    if isinstance(raw, (int, float)):
        return "et tal"
    if isinstance(raw, str):
        return f"teksten »{raw}«"
    if isinstance(raw, (list, CommentedSeq)):
        return "en liste"
    if isinstance(raw, (dict, CommentedMap)):
        return "en samling af nøgler"
    return type(raw).__name__


class _FileReader:
    """Reads one file; ``errors`` collects every problem found."""

    def __init__(self, path: Path):
        self.path = path
        self.errors: list[AuthoringError] = []

    def loc(self, node: Any, key: object = None, *, value: bool = True) -> Loc:
        """The 1-based place of ``node[key]`` (or of ``node`` itself)."""
        try:
            if key is None:
                line, column = node.lc.line, node.lc.col
            elif isinstance(node, CommentedSeq):
                line, column = node.lc.item(key)
            else:
                line, column = node.lc.value(key) if value else node.lc.key(key)
            return Loc(self.path, line + 1, column + 1)
        except (AttributeError, KeyError, TypeError, IndexError):
            return Loc(self.path)

    def read(self) -> Record | None:
        """The file's top-level record, or None when it cannot be read at all."""
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            # The line of the first bad byte, so the user can find it.
            raw = self.path.read_bytes()
            line = raw.count(b"\n", 0, error.start) + 1
            column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
            self.errors.append(make_error(Loc(self.path, line, column), "yaml-syntax",
                                          problem=f"ikke UTF-8 ({error.reason})"))
            return None
        kinds = ", ".join(KINDS)
        try:
            node = _yaml().load(text)
        except MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            loc = Loc(self.path, mark.line + 1, mark.column + 1) if mark else Loc(self.path)
            self.errors.append(make_error(loc, "yaml-syntax", problem=error.problem or error.context or "ukendt fejl"))
            return None
        except YAMLError as error:
            # ruamel's ReaderError (e.g. a control character) carries a character offset, no mark.
            position = getattr(error, "position", None)
            loc = Loc(self.path)
            if isinstance(position, int):
                line = text.count("\n", 0, position) + 1
                loc = Loc(self.path, line, position - (text.rfind("\n", 0, position) + 1) + 1)
            self.errors.append(make_error(loc, "yaml-syntax", problem=str(error).splitlines()[0]))
            return None
        if node is None:
            self.errors.append(make_error(Loc(self.path, 1, 1), "empty-file", kinds=kinds))
            return None
        if not isinstance(node, CommentedMap):
            self.errors.append(make_error(Loc(self.path, 1, 1), "not-mapping", where="filen", got=_type_name(node),
                                          where_en="the file", got_en=_type_name_en(node)))
            return None
        if "kind" not in node:
            self.errors.append(make_error(self.loc(node), "missing-kind", kinds=kinds))
            return None
        kind = node["kind"]
        if not isinstance(kind, str) or kind not in KINDS:
            hint = difflib.get_close_matches(str(kind), list(KINDS), n=1)
            self.errors.append(make_error(self.loc(node, "kind"), "unknown-kind", kind=kind,
                                          kinds=(f"»{hint[0]}« eller " if hint else "") + kinds))
            return None
        return self.record(node, KINDS[kind], self.loc(node))

    def record(self, node: Any, spec: Spec, loc: Loc) -> Record:
        """Read a mapping against ``spec``; unknown, missing and bad keys become errors."""
        record = Record(spec, loc)
        if not isinstance(node, CommentedMap):
            self.errors.append(make_error(loc, "not-mapping", where=spec.label_da, got=_type_name(node),
                                          where_en=_label_en(spec), got_en=_type_name_en(node)))
            record.complete = False
            return record
        allowed = [f.name for f in spec.all_fields()]
        for key in node:
            if spec.field(str(key)) is None:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                self.errors.append(make_error(
                    self.loc(node, key, value=False), "unknown-key", key=key, where=spec.label_da, allowed=", ".join(allowed),
                    hint=f"mente du »{close[0]}«? " if close else "", hint_en=f"did you mean '{close[0]}'? " if close else ""))
        for fld in spec.all_fields():
            if fld.name not in node or node[fld.name] is None:
                if fld.required:
                    code = "missing-source" if fld.name == "source" else "missing-key"
                    self.errors.append(make_error(loc, code, key=fld.name, where=spec.label_da, doc=fld.doc))
                    record.complete = False
                continue
            try:
                record.values[fld.name] = self.field(node, fld, spec)
            except _Bad as bad:
                self.errors.append(bad.error)
                if fld.required:
                    record.complete = False
        return record

    def field(self, node: CommentedMap, fld: Field, spec: Spec) -> Value:
        """Read one key's value (a list, a nested record or a qualifiable scalar)."""
        raw = node[fld.name]
        loc = self.loc(node, fld.name)
        if fld.type.startswith("list:"):
            item_type = fld.type.removeprefix("list:")
            if not isinstance(raw, CommentedSeq):
                # A lone scalar (or qualified value) stands for a one-item list; records must be listed.
                if item_type.startswith("spec:") or (isinstance(raw, CommentedMap) and not fld.qualifiable):
                    raise _Bad(make_error(loc, "wrong-type", key=fld.name, expected="en liste (linjer med »- «)",
                                          expected_en="a list (lines starting with '- ')", got=_type_name(raw),
                                          example=f"»{fld.name}:« efterfulgt af linjer med »- …«"))
                return Value([self.item(raw, item_type, fld, loc)], loc)
            items = []
            for index, item in enumerate(raw):
                try:
                    items.append(self.item(item, item_type, fld, self.loc(raw, index)))
                except _Bad as bad:
                    self.errors.append(bad.error)
            return Value(items, loc)
        return self.item(raw, fld.type, fld, loc)

    def item(self, raw: Any, type_: str, fld: Field, loc: Loc) -> Value:
        """One scalar or nested record, with an optional {value: …, certainty: …} qualifier."""
        if type_.startswith("spec:"):
            spec = SPECS[type_.removeprefix("spec:")]
            return Value(self.record(raw, spec, loc), loc)
        if fld.qualifiable and isinstance(raw, CommentedMap) and type_ != "langtext":
            return self.qualified(raw, type_, fld, loc)
        return Value(self.scalar(raw, type_, fld, loc), loc, raw=str(raw))

    def qualified(self, raw: CommentedMap, type_: str, fld: Field, loc: Loc) -> Value:
        """``{value: X, certainty: …, source: …, note: …}`` — a value with its own certainty."""
        for key in raw:
            if key not in QUALIFIER_KEYS:
                # "{note: Plausibel, men …}" splits at the comma inside a flow mapping.
                split = " " in str(key) and raw[key] is None
                self.errors.append(make_error(
                    self.loc(raw, key, value=False), "unknown-key", key=key, where=f"værdien under »{fld.name}«",
                    allowed=", ".join(QUALIFIER_KEYS),
                    hint="er det resten af en tekst med komma inde i { … }? Så sæt teksten i anførselstegn; " if split else "",
                    hint_en="is it the rest of a text with a comma inside { … }? Then quote the text; " if split else ""))
        if raw.get("value") is None:
            raise _Bad(make_error(loc, "missing-key", key="value", where=f"værdien under »{fld.name}«",
                                  doc="selve værdien, når den har sin egen certainty/source/note"))
        value = self.scalar(raw["value"], type_, fld, self.loc(raw, "value"))
        certainty = self.scalar(raw["certainty"], "certainty", fld, self.loc(raw, "certainty")) if raw.get("certainty") is not None else None
        sources = tuple(self.scalar(raw["source"], "urls", fld, self.loc(raw, "source"))) if raw.get("source") is not None else ()
        note = self.scalar(raw["note"], "text", fld, self.loc(raw, "note")) if raw.get("note") is not None else None
        return Value(value, self.loc(raw, "value"), raw=str(raw["value"]), qualifier=Qualifier(certainty, sources, note))

    def scalar(self, raw: Any, type_: str, fld: Field, loc: Loc) -> Any:
        """Convert and check one scalar; raise _Bad with the right message."""
        def wrong(expected: str, expected_en: str, example: str) -> _Bad:
            return _Bad(make_error(loc, "wrong-type", key=fld.name, expected=expected, expected_en=expected_en,
                                   got=_type_name(raw), example=example))

        if isinstance(raw, (CommentedMap, CommentedSeq)) and type_ not in ("langtext", "urls"):
            raise wrong("en enkelt værdi", "a single value", f"»{fld.name}: …« på én linje")
        if type_ in ("text", "ref"):
            if isinstance(raw, bool) or raw is None or not str(raw).strip():
                raise wrong("en tekst", "a text", f"»{fld.name}: …« med teksten efter kolon")
            return " ".join(str(raw).split())
        if type_ == "number":
            if isinstance(raw, bool) or not re.fullmatch(r"\d+", str(raw).strip()):
                raise wrong("et nummer", "a number", f"»{fld.name}: \"880\"«")
            return str(raw).strip()
        if type_ == "slug":
            if not isinstance(raw, str) or not _SLUG.match(raw):
                raise _Bad(make_error(loc, "bad-slug", value=raw))
            return raw
        if type_ == "date":
            text = str(raw).strip()
            if isinstance(raw, bool) or not _DATE.match(text):
                raise _Bad(make_error(loc, "bad-date", value=raw))
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise _Bad(make_error(loc, "bad-date", value=raw)) from None
        if type_ == "url":
            text = str(raw).strip()
            parsed = urlparse(text)
            # Characters an IRI may not hold are refused here, naming the line, not later by the store.
            if parsed.scheme not in ("http", "https") or not parsed.netloc or any(c in text for c in ' <>"{}|\\^`'):
                raise _Bad(make_error(loc, "bad-url", value=raw))
            return text
        if type_ == "urls":
            items = list(raw) if isinstance(raw, CommentedSeq) else [raw]
            if not items:
                raise _Bad(make_error(loc, "missing-source", where=f"»{fld.name}«"))
            return [self.scalar(item, "url", fld, self.loc(raw, i) if isinstance(raw, CommentedSeq) else loc)
                    for i, item in enumerate(items)]
        if type_ == "certainty":
            if str(raw) not in CERTAINTIES:
                raise _Bad(make_error(loc, "bad-certainty", value=raw))
            return str(raw)
        if type_ == "langtext":
            return self.langtext(raw, fld, loc)
        if type_ == "citation":
            return self.citation(raw, fld, loc)
        if type_.startswith("code:"):
            return self.code(raw, type_.removeprefix("code:"), loc)
        raise AssertionError(f"unknown field type {type_!r}")

    def langtext(self, raw: Any, fld: Field, loc: Loc) -> dict[str, str]:
        """``{da: …, en: …}`` — both languages required."""
        if not isinstance(raw, CommentedMap):
            raise _Bad(make_error(loc, "wrong-type", key=fld.name, expected="en tekst på dansk og engelsk",
                                  expected_en="a text in Danish and English", got=_type_name(raw),
                                  example=f"»{fld.name}:« med linjerne »da: …« og »en: …« indrykket under"))
        for key in raw:
            if key not in ("da", "en"):
                self.errors.append(make_error(self.loc(raw, key, value=False), "unknown-key", key=key,
                                              where=f"»{fld.name}«", allowed="da, en", hint="", hint_en=""))
        result = {}
        for lang in ("da", "en"):
            text = raw.get(lang)
            if text is None or not str(text).strip():
                raise _Bad(make_error(loc, "missing-key", key=lang, where=f"»{fld.name}«",
                                      doc="dansk tekst" if lang == "da" else "engelsk tekst"))
            result[lang] = " ".join(str(text).split())
        return result

    def citation(self, raw: Any, fld: Field, loc: Loc) -> Citation:
        if not isinstance(raw, str):
            raise _Bad(make_error(loc, "wrong-type", key=fld.name, expected="en henvisning", expected_en="a citation",
                                  got=_type_name(raw), example="»serviceloven § 83, stk. 1«"))
        try:
            return parse_citation(raw)
        except CitationError as error:
            fix, fix_en = error.fix, error.fix_en
            if re.match(r"^\s*(stk\.|nr\.|litra\b|\d+\.\s*pkt\.)", raw, re.IGNORECASE):
                # "[§ 3 a, stk. 2]" splits at the comma: YAML flow lists need quoted citations.
                fix = "står henvisningen i en [ … ]-liste, så sæt hver henvisning i anførselstegn, fx [\"§ 3 a, stk. 2\"]"
                fix_en = "if the citation stands in a [ … ] list, quote each citation, e.g. [\"§ 3 a, stk. 2\"]"
            raise _Bad(make_error(loc, "bad-citation", text=raw, detail=error.message, detail_en=error.message_en,
                                  fix=fix, fix_en=fix_en)) from None

    def code(self, raw: Any, list_name: str, loc: Loc) -> str:
        codes = CODE_LISTS[list_name]
        text = str(raw).strip()
        match = codes.get(text) or codes.get(text.casefold()) or codes.get(text.upper())
        if match is None:
            what, what_en = CODE_LIST_NAMES[list_name]
            close = difflib.get_close_matches(text, list(codes), n=1)
            raise _Bad(make_error(loc, "bad-code", what=what, what_en=what_en, value=raw,
                                  allowed=", ".join(sorted(set(codes.values()))),
                                  hint=f"mente du »{close[0]}«? " if close else "",
                                  hint_en=f"did you mean '{close[0]}'? " if close else ""))
        return match


def read_source(path: Path) -> tuple[Record | None, list[AuthoringError]]:
    """Read and check one source file: its top-level record (None if unreadable) and all errors."""
    reader = _FileReader(path)
    record = reader.read()
    return record, reader.errors
