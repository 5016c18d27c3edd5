"""Deterministic IRIs for documents, law works and provisions.

Documents keep their official ELI on Retsinformation's host. Retsinformation publishes no IRIs
below the document, so subdivisions are minted under our own base (``REGELGRAF_BASE``), from the
document and a readable path (``par_16b/stk_2/nr_3``). A provision's identity across
consolidations lives under the law *work* (``{base}work/serviceloven/par_83/stk_1``); each
version's subdivision points to it with ``eli:is_member_of``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from rdflib import URIRef

ELI_HOST = "https://www.retsinformation.dk"
DEFAULT_BASE = "https://regelgraf.dk/id/"

# Order matters: it is the nesting order of Danish statutes.
SUBDIVISION_TYPES: tuple[str, ...] = ("afsnit", "kapitel", "paragraf", "stk", "nr", "litra", "pkt", "bilag")
_SEGMENT_PREFIX = {
    "afsnit": "afsnit", "kapitel": "kap", "paragraf": "par", "stk": "stk",
    "nr": "nr", "litra": "litra", "pkt": "pkt", "bilag": "bilag",
}
_PREFIX_TO_TYPE = {prefix: kind for kind, prefix in _SEGMENT_PREFIX.items()}
_ELI_PATTERN = re.compile(r"^https?://(?:www\.)?retsinformation\.dk/eli/(lta|ltb|ltc|accn)/(\d{4})/(\d+)/?$")
# Danish numbers: "2", "16 b", "57 c", roman for afsnit ("II"), letters for litra ("b").
NUMBER_PATTERN = re.compile(r"^(?:\d+(?: [a-z]{1,2})?|[IVXLC]+|[a-zæøå])$")


def base_iri() -> str:
    """The configured base for minted IRIs (always ends in '/')."""
    base = os.environ.get("REGELGRAF_BASE", DEFAULT_BASE)
    return base if base.endswith("/") else base + "/"


def document_iri(year: int | str, number: int | str, series: str = "lta") -> URIRef:
    """The official ELI of a Lovtidende document, in its one canonical host form."""
    return URIRef(f"{ELI_HOST}/eli/{series}/{int(year)}/{int(number)}")


def canonical_document_iri(iri: str) -> URIRef:
    """Normalise the host variants Retsinformation uses (with/without www, http) to one form."""
    match = _ELI_PATTERN.match(iri.strip())
    if not match:
        raise ValueError(f"not a Retsinformation ELI: {iri!r} (expected {ELI_HOST}/eli/lta/YEAR/NUMBER)")
    series, year, number = match.groups()
    return document_iri(year, number, series)


def work_iri(key: str) -> URIRef:
    """The IRI of a law as a work across versions, e.g. ``{base}work/serviceloven``."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", key):
        raise ValueError(f"work key {key!r} must be lower-case letters, digits and '-'")
    return URIRef(f"{base_iri()}work/{key}")


@dataclass(frozen=True)
class Step:
    """One level of a provision path: a subdivision type and its printed number."""

    kind: str
    number: str

    def __post_init__(self) -> None:
        if self.kind not in _SEGMENT_PREFIX:
            raise ValueError(f"unknown subdivision type {self.kind!r}; known: {', '.join(SUBDIVISION_TYPES)}")
        if not NUMBER_PATTERN.match(self.number):
            raise ValueError(f"{self.kind} number {self.number!r} is not in Danish form (e.g. '2', '16 b')")

    @property
    def segment(self) -> str:
        return f"{_SEGMENT_PREFIX[self.kind]}_{self.number.replace(' ', '')}"


def path_segments(steps: tuple[Step, ...] | list[Step]) -> str:
    """``par_16b/stk_2/nr_3``. Kapitel is kept only when it is the last step (§ numbers are
    unique within a document, so the chapter is not part of a paragraph's identity)."""
    kept = [s for i, s in enumerate(steps) if s.kind not in ("kapitel", "afsnit") or i == len(steps) - 1]
    return "/".join(s.segment for s in kept)


def provision_iri(work_key: str, steps: tuple[Step, ...] | list[Step]) -> URIRef:
    """The work-level identity of a provision: stable across consolidations."""
    return URIRef(f"{work_iri(work_key)}/{path_segments(steps)}")


def version_subdivision_iri(document: str, steps: tuple[Step, ...] | list[Step]) -> URIRef:
    """A subdivision of one published document, minted under our base from its ELI path."""
    match = _ELI_PATTERN.match(str(canonical_document_iri(document)))
    assert match  # canonical_document_iri has validated the form
    series, year, number = match.groups()
    return URIRef(f"{base_iri()}eli/{series}/{year}/{number}/{path_segments(steps)}")


def steps_from_segments(path: str) -> tuple[Step, ...]:
    """Inverse of :func:`path_segments` (``par_16b/stk_2`` → steps)."""
    steps = []
    for segment in filter(None, path.split("/")):
        prefix, _, raw = segment.partition("_")
        if prefix not in _PREFIX_TO_TYPE or not raw:
            raise ValueError(f"bad path segment {segment!r}")
        number = re.sub(r"^(\d+)([a-z]+)$", r"\1 \2", raw)
        steps.append(Step(_PREFIX_TO_TYPE[prefix], number))
    return tuple(steps)


def format_steps(steps: tuple[Step, ...] | list[Step]) -> str:
    """The printed Danish form: ``§ 83, stk. 1, nr. 3``; ``kapitel 4``; ``1. pkt.``."""
    parts = []
    for step in steps:
        if step.kind == "paragraf":
            parts.append(f"§ {step.number}")
        elif step.kind == "pkt":
            parts.append(f"{step.number}. pkt.")
        elif step.kind in ("stk", "nr"):
            parts.append(f"{step.kind}. {step.number}")
        else:
            parts.append(f"{step.kind} {step.number}")
    return ", ".join(parts)


def sort_key(steps: tuple[Step, ...] | list[Step]) -> str:
    """Zero-padded key so that § 2 < § 10 < § 10 a in plain string order."""
    out = []
    for step in steps:
        match = re.match(r"^(\d+)(?: ([a-z]+))?$", step.number)
        out.append(f"{int(match.group(1)):05d}{match.group(2) or ''}" if match else step.number)
    return ".".join(out)
