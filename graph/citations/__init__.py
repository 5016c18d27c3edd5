"""Danish legal citations: parse one canonical citation, find citations in running text, resolve them.

* :func:`parse_citation` reads one canonical citation ("servicelovens § 83, stk. 1, nr. 3");
* :func:`find_citations` finds every citation in published text, with lists, ranges, relative
  references and the law each names, as :class:`FoundCitation` with :class:`Target` provisions;
* :func:`resolve_found` turns targets into IRIs and marks those the store holds.
"""

from graph.citations.canonical import (Citation, CitationError, LawIndex, law_name_variants, normalise_text,
                                       parse_citation)
from graph.citations.finder import find_citations
from graph.citations.laws import LawNames, work_key_for
from graph.citations.model import FoundCitation, Range, Target
from graph.citations.resolution import complete_ranges, resolve_found, target_iris

__all__ = [
    "Citation", "CitationError", "FoundCitation", "LawIndex", "LawNames", "Range", "Target", "complete_ranges",
    "find_citations", "law_name_variants", "normalise_text", "parse_citation", "resolve_found", "target_iris",
    "work_key_for",
]
