"""The shape of the real corpus: document sizes, nesting depth and citation density, from the XML.

    .venv/bin/python -m bench.profile /tmp/corpus -o bench/corpus_profile.json

Reads every LexDania file below a directory (an unpacked copy of the archive) with lxml and the
citation finder, and writes histograms the synthetic generator (bench.generator) samples from.
Takes a few minutes on two cores; the result is committed, so the generator needs no corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

from lxml import etree

# LexDania element → the unit kind the importer makes of it.
UNIT_TAGS = {"Kapitel": "kapitel", "Paragraf": "paragraf", "Stk": "stk", "Indentatio": "nr"}
_TYPE_CODES = {"LOKDOK01": "LOV", "LOKDOK02": "LOV", "LOKDOK03": "LBK", "LOKDOK04": "BEK", "LOKDOK05": "BEK"}


def _doctype(root: etree._Element) -> str:
    code = (root.findtext("Meta/DocumentType") or "").rsplit("#", 1)[-1].strip()
    return _TYPE_CODES.get(code, "OTHER")


def _units(root: etree._Element) -> tuple[Counter, int, list[int], list[int]]:
    """Units per kind, the deepest nesting, stk per §, nr per stk."""
    kinds: Counter = Counter()
    stk_per_par: list[int] = []
    nr_per_stk: list[int] = []
    depth = 0

    def walk(element: etree._Element, level: int) -> None:
        nonlocal depth
        for child in element:
            if not isinstance(child.tag, str):
                continue
            kind = UNIT_TAGS.get(child.tag)
            if kind:
                kinds[kind] += 1
                depth = max(depth, level + 1)
                if kind == "paragraf":
                    stk_per_par.append(sum(1 for c in child if c.tag == "Stk"))
                if kind == "stk":
                    nr_per_stk.append(sum(1 for c in child.iter("Indentatio")))
                walk(child, level + 1)
            else:
                walk(child, level)

    body = root.find("DokumentIndhold")
    if body is not None:
        walk(body, 0)
    return kinds, depth, stk_per_par, nr_per_stk


def profile_file(path: str) -> dict:
    """One document's measures."""
    from graph.citations import find_citations

    root = etree.parse(path).getroot()
    kinds, depth, stk_per_par, nr_per_stk = _units(root)
    internal = external = chars = 0
    laws: Counter = Counter()
    for exitus in root.iter("Exitus"):
        text = " ".join(exitus.itertext())
        chars += len(text)
        for found in find_citations(text):
            for target in found.targets:
                if target.law or target.document:
                    external += 1
                    laws[target.law or "document"] += 1
                else:
                    internal += 1
    return {"type": _doctype(root), "units": dict(kinds), "depth": depth, "stk_per_par": stk_per_par,
            "nr_per_stk": nr_per_stk, "chars": chars, "internal": internal, "external": external,
            "laws": dict(laws), "bytes": Path(path).stat().st_size, "title": _law_name(root)}


def _law_name(root: etree._Element) -> str:
    """What a consolidation and the act it compiles share: the title without its preamble words."""
    title = (root.findtext("Meta/DocumentTitle") or "").strip().lower()
    return re.sub(r"^(bekendtgørelse af |lov om ændring af |lov om )", "", title)


def summarise(records: list[dict]) -> dict:
    """Histograms over all documents: what the generator samples."""
    def hist(values) -> dict[str, int]:  # type: ignore[no-untyped-def]
        return {str(k): v for k, v in sorted(Counter(values).items())}

    units = sum(sum(r["units"].values()) for r in records)
    laws: Counter = Counter()
    for r in records:
        laws.update(r["laws"])
    ranked = [n for _, n in laws.most_common() if _ != "document"]
    return {
        "documents": len(records),
        "bytes": sum(r["bytes"] for r in records),
        "types": hist(r["type"] for r in records),
        "paragraphs_per_document": hist(r["units"].get("paragraf", 0) for r in records),
        "chapters_per_document": hist(r["units"].get("kapitel", 0) for r in records),
        "stk_per_paragraph": hist(v for r in records for v in r["stk_per_par"]),
        "nr_per_stk": hist(v for r in records for v in r["nr_per_stk"]),
        "depth": hist(r["depth"] for r in records),
        "units": units,
        "chars_per_unit": round(sum(r["chars"] for r in records) / max(units, 1), 1),
        "citations_per_unit": round(sum(r["internal"] + r["external"] for r in records) / max(units, 1), 4),
        "external_share": round(sum(r["external"] for r in records)
                                / max(sum(r["internal"] + r["external"] for r in records), 1), 4),
        # How citations of other laws spread over the cited laws: a few laws draw most of them.
        "external_law_ranks": ranked[:200],
        "external_laws": len(ranked),
        # Documents that are a later version of a law already in the corpus (same title).
        "version_share": round(1 - len({r["title"] for r in records}) / max(len(records), 1), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="an unpacked copy of the corpus archive")
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).with_name("corpus_profile.json"))
    args = parser.parse_args(argv)
    files = sorted(str(p) for p in args.corpus.rglob("*.xml"))
    if not files:
        print(f"{args.corpus}: no XML files; unpack the corpus archive there first", file=sys.stderr)
        return 2
    with Pool(2) as pool:
        records = pool.map(profile_file, files, chunksize=20)
    args.output.write_text(json.dumps(summarise(records), indent=1) + "\n", encoding="utf-8")
    print(f"{len(records)} documents → {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
