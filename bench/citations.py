"""Benchmark of the citation finder: precision/recall on the labelled set, throughput, growth.

    .venv/bin/python -m bench.citations               # labelled set + adversarial growth
    .venv/bin/python -m bench.citations --corpus ../shared/corpus/lexdania-lta-2010-2017.tar.xz

``--corpus`` takes the corpus archive (read as a stream) or an unpacked directory; every text of
every document (each LexDania ``Exitus``) goes through ``find_citations`` the way an importer
calls it, and the time spent in the finder alone gives the throughput in characters per second.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Run as a script, this folder comes first on sys.path, and bench/http.py would shadow the
# standard library's http package; the repository root is what the imports below need.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import tarfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from lxml import etree  # noqa: E402

from graph.citations import find_citations, grammar  # noqa: E402
from graph.citations.evaluation import Evaluation, evaluate, load_labelled  # noqa: E402

LABELLED = ROOT / "tests" / "fixtures" / "citations" / "labelled.yaml"
# Texts no importer reads as provisions: the meta data and the title.
_SKIPPED = {"Meta", "TitelGruppe"}


def labelled_table() -> str:
    """Precision and recall per part of the labelled set and overall, as a Markdown table."""
    excerpts = load_labelled(LABELLED)
    rows = []
    parts = [(name, [e for e in excerpts if e.part == name]) for name in ("development", "holdout", "holdout2")]
    for name, part in [*parts, ("all", excerpts)]:
        result = evaluate(part)
        rows.append(_row(name, result))
    header = ("| set | documents | excerpts | citations | targets | found | precision | recall |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|")
    return "\n".join([header, *rows])


def _row(name: str, result: Evaluation) -> str:
    intended = result.true_positives + result.false_negatives
    found = result.true_positives + result.false_positives
    return (f"| {name} | {len(result.per_document)} | {result.excerpts} | {result.citations} | {intended} | {found} | "
            f"{result.precision:.3f} | {result.recall:.3f} |")


def corpus_texts(source: Path) -> Iterator[tuple[str, list[str]]]:
    """(file name, texts) for every document of the archive or directory ``source``."""
    if source.is_dir():
        for path in sorted(source.rglob("*.xml")):
            yield path.name, _texts(path.read_bytes())
        return
    with tarfile.open(source, "r|*") as archive:
        for member in archive:
            if member.isfile() and member.name.endswith(".xml"):
                handle = archive.extractfile(member)
                if handle is not None:
                    yield Path(member.name).name, _texts(handle.read())


def _texts(data: bytes) -> list[str]:
    root = etree.fromstring(data.removeprefix(b"\xef\xbb\xbf"))
    texts = []
    for exitus in root.iter("Exitus"):
        if exitus.find("Linea") is None or any(a.tag in _SKIPPED for a in exitus.iterancestors()):
            continue
        texts.append("".join(exitus.itertext()).strip())
    return texts


def throughput(source: Path, limit: int | None = None) -> str:
    """Characters per second of the finder over the corpus, and what it found."""
    documents = characters = texts = citations = targets = unresolved = 0
    seconds = 0.0
    for _name, document_texts in corpus_texts(source):
        documents += 1
        for text in document_texts:
            started = time.perf_counter()
            found = find_citations(text, law_key="x")
            seconds += time.perf_counter() - started
            characters += len(text)
            texts += 1
            citations += len(found)
            targets += sum(len(f.targets) for f in found)
            unresolved += sum(f.certainty == "unresolved" for f in found)
        if limit and documents >= limit:
            break
    return (f"corpus: {documents} documents, {texts} texts, {characters:,} characters in {seconds:.1f} s of finder time "
            f"= {characters / seconds:,.0f} characters/s; {citations:,} citations, {targets:,} targets, "
            f"{unresolved:,} unresolved")


ADVERSARIAL = {
    "list without end": "§§ 1, " + "2, " * 5000,
    "ordinals without pkt.": "stk. 1, " + "2., " * 5000,
    "keywords without numbers": "stk. nr. litra § " * 2000,
    "jf. chains": "§ 1, stk. 2, jf. stk. 3, " * 1000,
    "one § with jf. chains": "§ 1, stk. 2" + ", jf. stk. 3" * 2000,
    "whitespace runs": ("§ 1" + " " * 500) * 50,
    "law names": "servicelovens § 1 i lov om social service, jf. lovbekendtgørelse nr. 1 af 1. januar 2000 " * 200,
    "long words": "a" * 50000 + " § 1",
}


def growth() -> str:
    """Steps (tokens read) and time at sizes n and 10 n for each adversarial input: linear means ~10."""
    lines = ["| input | n chars | tokens n | tokens 10 n | ratio | time n | time 10 n | ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, text in ADVERSARIAL.items():
        (small_steps, small), (large_steps, large) = _measure(text), _measure(text * 10)
        lines.append(f"| {name} | {len(text):,} | {small_steps:,} | {large_steps:,} | {large_steps / small_steps:.1f} "
                     f"| {small * 1000:.1f} ms | {large * 1000:.1f} ms | {large / small:.1f} |")
    return "\n".join(lines)


def _measure(text: str) -> tuple[int, float]:
    """Tokens the finder reads for ``text`` and the best of three times."""
    real = grammar.next_token
    counted = [0]

    def counting(text: str, position: int):  # type: ignore[no-untyped-def]
        counted[0] += 1
        return real(text, position)

    grammar.next_token = counting  # type: ignore[assignment]
    try:
        find_citations(text, law_key="x")
    finally:
        grammar.next_token = real  # type: ignore[assignment]
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        find_citations(text, law_key="x")
        best = min(best, time.perf_counter() - started)
    return counted[0], best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="corpus archive (.tar.xz) or unpacked directory")
    parser.add_argument("--limit", type=int, help="read at most this many corpus documents")
    parser.add_argument("--no-growth", action="store_true", help="skip the adversarial growth table")
    options = parser.parse_args()
    print("Labelled citations (tests/fixtures/citations/labelled.yaml):\n")
    print(labelled_table())
    if not options.no_growth:
        print("\nAdversarial inputs, n and 10 n characters:\n")
        print(growth())
    if options.corpus:
        print()
        print(throughput(options.corpus, options.limit))


if __name__ == "__main__":
    main()
