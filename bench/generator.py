"""Synthetic corpora shaped like the real one, at any multiple of its size.

    .venv/bin/python -m bench.generator --scale 3 -o /tmp/synthetic-3x.nq

Each document becomes one named graph with the triples the LexDania importer writes
(graph/importers/build.py): the document, its law work, a version subdivision and a work-level
rg:Provision per unit, and eli:cites / eli:based_on links between provisions. Sizes come from
``corpus_profile.json`` (made by bench.profile from the real corpus): the number of §§ per
document, stk. per §, nr. per stk., the share of each document type, text length per unit, the
citations per unit, the share of citations naming another law, and how those spread over the
cited laws (a few laws draw most of them). One provision, ``hub``, is the empowering provision
of a fixed share of the executive orders and is cited from a fixed share of all §§, so that it
has more than 10,000 dependents from 1× on — the hub row of the benchmark.

The output is N-Quads (one graph per document); everything is drawn from one seeded random
generator, so the same scale and seed give the same bytes.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.identifiers import Step, format_steps, path_segments, sort_key
from graph.namespaces import DCTERMS, DOCTYPE, ELI, PROV, RDF, RDFS, RG, SUBDIV, XSD

__all__ = ["Profile", "SyntheticCorpus", "generate", "HUB_CITE_SHARE", "HUB_BASIS_SHARE"]

PROFILE_PATH = Path(__file__).with_name("corpus_profile.json")
BASE = "https://regelgraf.dk/id/"
# The hub: cited by this share of all §§ and the hjemmel of this share of executive orders.
HUB_CITE_SHARE = 0.12
HUB_BASIS_SHARE = 0.3
# Internal citations point to provisions this many places away on average (mostly backwards).
LOCAL_SPAN = 6
_WORDS = ("kommunalbestyrelsen skal sikre at der tilbydes hjælp efter reglerne i denne lov og at "
          "borgeren modtager en afgørelse inden for en rimelig frist stk ministeren kan fastsætte "
          "nærmere regler om ansøgning behandling og klage ").split()
_T = {name: str(term) for name, term in {
    "type": RDF.type, "label": RDFS.label, "LegalResource": ELI.LegalResource,
    "Subdivision": ELI.LegalResourceSubdivision, "LawWork": RG.LawWork, "Provision": RG.Provision,
    "is_part_of": ELI.is_part_of, "is_member_of": ELI.is_member_of, "has_member": ELI.has_member,
    "type_document": ELI.type_document, "type_subdivision": ELI.type_subdivision, "number": ELI.number,
    "title": ELI.title, "date_document": ELI.date_document, "in_force": ELI.first_date_entry_in_force,
    "cites": ELI.cites, "based_on": ELI.based_on, "citation": RG.citation, "text": RG.text,
    "sort_key": RG.sortKey, "work_key": RG.workKey, "popular_name": RG.popularName,
    "Entity": PROV.Entity, "derived_from": PROV.wasDerivedFrom, "generated_at": PROV.generatedAtTime,
    "format": DCTERMS.format,
}.items()}
_DATE = str(XSD.date)
_DATETIME = str(XSD.dateTime)


class Histogram:
    """An empirical distribution to draw integers from."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.values = [int(k) for k in counts]
        self.cumulative: list[int] = []
        total = 0
        for k in counts:
            total += counts[k]
            self.cumulative.append(total)
        self.total = total

    def draw(self, rng: random.Random) -> int:
        return self.values[bisect.bisect_right(self.cumulative, rng.randrange(self.total))]

    def mean(self) -> float:
        weights = [c - (self.cumulative[i - 1] if i else 0) for i, c in enumerate(self.cumulative)]
        return sum(v * w for v, w in zip(self.values, weights)) / self.total


@dataclass
class Profile:
    """What the generator copies from the real corpus (see bench.profile)."""

    documents: int
    types: dict[str, int]
    paragraphs: Histogram
    stk: Histogram
    nr: Histogram
    chars_per_unit: float
    citations_per_unit: float
    external_share: float
    law_weights: list[int]
    version_share: float

    @classmethod
    def load(cls, path: Path = PROFILE_PATH) -> Profile:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(documents=data["documents"], types=data["types"],
                   paragraphs=Histogram(data["paragraphs_per_document"]), stk=Histogram(data["stk_per_paragraph"]),
                   nr=Histogram(data["nr_per_stk"]), chars_per_unit=data["chars_per_unit"],
                   citations_per_unit=data["citations_per_unit"], external_share=data["external_share"],
                   law_weights=data["external_law_ranks"] or [1], version_share=data["version_share"])


@dataclass
class Work:
    """A law work and the provisions its first version created (later versions share them)."""

    key: str
    name: str
    doctype: str
    paragraphs: list[tuple[str, list[int]]]  # (§ IRI, nr count per stk)
    provisions: list[str] = field(default_factory=list)  # every provision IRI, for citation targets
    index: dict[str, int] = field(default_factory=dict)  # provision → its place in ``provisions``


@dataclass
class SyntheticCorpus:
    """Counts of what was generated (filled while generating)."""

    documents: int = 0
    triples: int = 0
    provisions: int = 0
    cites: int = 0
    based_on: int = 0
    hub: str = ""
    graphs: list[str] = field(default_factory=list)


def _lit(value: str, lang: str | None = None, datatype: str | None = None) -> str:
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{quoted}@{lang}" if lang else f"{quoted}^^<{datatype}>" if datatype else quoted


def _text(rng: random.Random, length: float) -> str:
    words: list[str] = []
    size = 0
    target = max(20, int(rng.expovariate(1 / length)))
    while size < target:
        word = rng.choice(_WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words).capitalize() + "."


def _structure(profile: Profile, rng: random.Random) -> list[tuple[str, list[int]]]:
    """§ numbers with, for each §, the number of nr. in each of its stk."""
    out = []
    for number in range(1, max(1, profile.paragraphs.draw(rng)) + 1):
        out.append((str(number), [profile.nr.draw(rng) for _ in range(max(1, profile.stk.draw(rng)))]))
    return out


def generate(scale: float = 1.0, *, seed: int = 8, profile: Profile | None = None,
             corpus: SyntheticCorpus | None = None) -> Iterator[tuple[str, str]]:
    """(graph IRI, N-Quads text) per document of a corpus ``scale`` times the real one's size."""
    profile = profile or Profile.load()
    rng = random.Random(seed)
    corpus = corpus if corpus is not None else SyntheticCorpus()
    total = max(3, round(profile.documents * scale))
    types = [t for t in profile.types if t in ("LOV", "LBK", "BEK")]
    weights = [profile.types[t] for t in types]
    laws: list[Work] = []
    # The hub law exists first, so every later document can cite it and rest on it.
    hub_work = Work("hubloven", "hubloven", "LOV", [("1", [0, 0])])
    corpus.hub = f"{BASE}work/hubloven/par_1"
    documents = [("LOV", hub_work)]
    for _ in range(total - 1):
        doctype = rng.choices(types, weights)[0]
        if doctype != "BEK" and laws and rng.random() < profile.version_share:
            documents.append((doctype, rng.choice(laws)))  # a new version of a known law
            continue
        index = len(laws) + len(documents)
        key = f"{'lov' if doctype != 'BEK' else 'bek'}-{index}"
        work = Work(key, key, doctype, _structure(profile, rng))
        if doctype != "BEK":
            laws.append(work)
        documents.append((doctype, work))
    laws.insert(0, hub_work)
    # Cited laws follow the corpus' rank distribution: the most cited law draws the most.
    law_weights = [profile.law_weights[min(i, len(profile.law_weights) - 1)] for i in range(len(laws))]
    for year_index, (doctype, work) in enumerate(documents):
        year = 2010 + year_index * 8 // len(documents)
        number = year_index + 1
        graph = f"{BASE}graph/lta/{year}/{number}"
        lines = _document(rng, profile, corpus, graph, year, number, doctype, work, laws, law_weights)
        corpus.documents += 1
        corpus.triples += len(lines)
        corpus.graphs.append(graph)
        suffix = f" <{graph}> .\n"
        yield graph, "".join(f"{line}{suffix}" for line in lines)


def _document(rng: random.Random, profile: Profile, corpus: SyntheticCorpus, graph: str, year: int, number: int,
              doctype: str, work: Work, laws: list[Work], law_weights: list[int]) -> list[str]:
    """The triples of one document's named graph, as N-Triples lines without the final dot."""
    t = _T
    doc = f"https://www.retsinformation.dk/eli/lta/{year}/{number}"
    work_iri = f"{BASE}work/{work.key}"
    day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    out = [
        f"<{doc}> <{t['type']}> <{t['LegalResource']}>",
        f"<{doc}> <{t['type_document']}> <{DOCTYPE}{doctype}>",
        f"<{doc}> <{t['number']}> {_lit(str(number))}",
        f"<{doc}> <{t['label']}> {_lit(f'{doctype} nr. {number} af {day}', 'da')}",
        f"<{doc}> <{t['title']}> {_lit(f'Lov om {work.name}', 'da')}",
        f"<{doc}> <{t['date_document']}> {_lit(day, datatype=_DATE)}",
        f"<{doc}> <{t['in_force']}> {_lit(day, datatype=_DATE)}",
        f"<{doc}> <{t['is_member_of']}> <{work_iri}>",
        f"<{work_iri}> <{t['has_member']}> <{doc}>",
        f"<{work_iri}> <{t['type']}> <{t['LawWork']}>",
        f"<{work_iri}> <{t['work_key']}> {_lit(work.key)}",
        f"<{work_iri}> <{t['popular_name']}> {_lit(work.name, 'da')}",
        f"<{work_iri}> <{t['label']}> {_lit(work.name, 'da')}",
        f"<{graph}> <{t['type']}> <{t['Entity']}>",
        f"<{graph}> <{t['derived_from']}> <{doc}>",
        f"<{graph}> <{t['generated_at']}> {_lit('2025-01-01T00:00:00Z', datatype=_DATETIME)}",
        f"<{graph}> <{t['format']}> {_lit('application/xml')}",
    ]
    new_work = not work.provisions
    sections: list[str] = []

    def unit(steps: tuple[Step, ...], parent_version: str) -> str:
        segments = path_segments(steps)
        version = f"{doc}/{segments}".replace("https://www.retsinformation.dk/", BASE)
        provision = f"{work_iri}/{segments}"
        kind = steps[-1].kind
        citation = f"{work.name} {format_steps(steps)}"
        out.extend((
            f"<{version}> <{t['type']}> <{t['Subdivision']}>",
            f"<{version}> <{t['is_part_of']}> <{parent_version}>",
            f"<{version}> <{t['is_member_of']}> <{provision}>",
            f"<{version}> <{t['type_subdivision']}> <{SUBDIV}{kind}>",
            f"<{version}> <{t['number']}> {_lit(steps[-1].number)}",
            f"<{version}> <{t['text']}> {_lit(_text(rng, profile.chars_per_unit), 'da')}",
            f"<{provision}> <{t['type']}> <{t['Provision']}>",
            f"<{provision}> <{t['is_part_of']}> <{f'{work_iri}/{path_segments(steps[:-1])}' if len(steps) > 1 else work_iri}>",
            f"<{provision}> <{t['type_subdivision']}> <{SUBDIV}{kind}>",
            f"<{provision}> <{t['number']}> {_lit(steps[-1].number)}",
            f"<{provision}> <{t['citation']}> {_lit(citation)}",
            f"<{provision}> <{t['label']}> {_lit(citation, 'da')}",
            f"<{provision}> <{t['sort_key']}> {_lit(sort_key(steps))}",
        ))
        corpus.provisions += 1
        if new_work:
            work.index[provision] = len(work.provisions)
            work.provisions.append(provision)
        _links(rng, profile, corpus, out, provision, work, laws, law_weights, kind == "paragraf")
        return version

    for par_number, stks in work.paragraphs:
        par_steps = (Step("paragraf", par_number),)
        par_version = unit(par_steps, doc)
        sections.append(f"{work_iri}/{path_segments(par_steps)}")
        for stk_index, nrs in enumerate(stks, start=1):
            if len(stks) == 1 and not nrs:
                break  # a § without stk. holds its text itself
            stk_steps = par_steps + (Step("stk", str(stk_index)),)
            stk_version = unit(stk_steps, par_version)
            for nr_index in range(1, nrs + 1):
                unit(stk_steps + (Step("nr", str(nr_index)),), stk_version)
    if doctype == "BEK" and len(laws) > 1:
        # An executive order rests on an empowering provision: the hub, or a § of a cited law.
        if rng.random() < HUB_BASIS_SHARE:
            basis = corpus.hub
        else:
            law = rng.choices(laws, law_weights)[0]
            basis = rng.choice(law.provisions) if law.provisions else corpus.hub
        out.append(f"<{doc}> <{t['based_on']}> <{basis}>")
        corpus.based_on += 1
    return out


def _links(rng: random.Random, profile: Profile, corpus: SyntheticCorpus, out: list[str], provision: str,
           work: Work, laws: list[Work], law_weights: list[int], is_section: bool) -> None:
    """Citations from one provision: internal, to another law by rank, or to the hub."""
    t = _T
    count = _poisson(rng, profile.citations_per_unit)
    targets = set()
    for _ in range(count):
        if rng.random() < profile.external_share:
            law = rng.choices(laws, law_weights)[0]
            if law.provisions:
                targets.add(rng.choice(law.provisions))
        elif work.provisions:
            targets.add(_nearby(rng, work, provision))
    if is_section and rng.random() < HUB_CITE_SHARE:
        targets.add(corpus.hub)
    targets.discard(provision)
    for target in sorted(targets):
        out.append(f"<{provision}> <{t['cites']}> <{target}>")
    corpus.cites += len(targets)


def _nearby(rng: random.Random, work: Work, provision: str) -> str:
    """An internal citation's target: a provision close by, mostly an earlier one ("jf. stk. 2",
    "efter § 3"), as drafting puts them; not one drawn from the whole law."""
    here = work.index.get(provision, len(work.provisions) - 1)
    step = max(1, int(rng.expovariate(1 / LOCAL_SPAN)))
    there = here - step if rng.random() < 0.7 else here + step
    return work.provisions[min(max(there, 0), len(work.provisions) - 1)]


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are small)."""
    limit, k, p = 2.718281828459045 ** -mean, 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus as N-Quads.")
    parser.add_argument("--scale", type=float, default=1.0, help="multiple of the real corpus (default 1)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    corpus = SyntheticCorpus()
    with args.output.open("w", encoding="utf-8") as out:
        for _, text in generate(args.scale, seed=args.seed, corpus=corpus):
            out.write(text)
    print(f"{corpus.documents} documents, {corpus.triples} triples, {corpus.provisions} provisions, "
          f"{corpus.cites} citations, hub {corpus.hub} → {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
