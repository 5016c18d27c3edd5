"""The relations an impact search follows: their names, RDF properties and how to say them.

Every relation is read in the direction of its RDF statement: the *subject* depends on the
*object* (a BEK ``based_on`` a stk.; a stk. ``part_of`` its §). Inverse properties that the data
may also hold (``eli:has_part``, ``eli:cited_by`` …) are folded onto the same relation.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from graph.namespaces import ELI, RG


@dataclass(frozen=True)
class Relation:
    """One followable relation, with the active and inverse phrases of its sentences."""

    name: str
    predicates: tuple[URIRef, ...]  # subject depends on object
    inverse_predicates: tuple[URIRef, ...]  # object depends on subject (the same link, stated backwards)
    da: str  # "A <da> B"
    en: str
    da_inverse: str  # "B <da_inverse> A"
    en_inverse: str

    @property
    def predicate(self) -> URIRef:
        """The property an export writes for this relation."""
        return self.predicates[0]


_ALL = (
    Relation("cites", (ELI.cites,), (ELI.cited_by,), "henviser til", "cites", "henvises til af", "is cited by"),
    Relation("based_on", (ELI.based_on, RG.legalBasis), (ELI.basis_for,),
             "hviler på (hjemmel)", "is based on (legal basis)", "er hjemmel for", "is the legal basis of"),
    Relation("implements", (RG.implements, ELI.ensures_implementation_of), (),
             "gennemfører", "implements", "gennemføres af", "is implemented by"),
    Relation("sets_aside", (RG.setsAside,), (), "fraviger", "sets aside", "fraviges af", "is set aside by"),
    Relation("exemptible", (RG.exemptibleProvision,), (),
             "giver adgang til at fravige", "allows setting aside", "kan fraviges efter", "may be set aside under"),
    Relation("protects", (RG.protects,), (), "beskytter (hegnspæl)", "protects (non-derogable)",
             "er beskyttet af", "is protected by"),
    Relation("disapplies", (RG.disapplies,), (), "sætter ud af kraft for kommunerne",
             "disapplies for the municipalities", "gælder ikke efter", "is disapplied by"),
    Relation("stated_in", (RG.statedIn,), (), "står i", "is stated in", "indeholder", "contains"),
    Relation("changes", (ELI.changes,), (ELI.changed_by,), "ændrer", "changes", "ændres af", "is changed by"),
    Relation("amends", (ELI.amends,), (ELI.amended_by,), "ændrer loven", "amends", "ændres ved", "is amended by"),
    Relation("repeals", (ELI.repeals,), (ELI.repealed_by,), "ophæver", "repeals", "ophæves af", "is repealed by"),
    Relation("consolidates", (ELI.consolidates,), (ELI.consolidated_by,),
             "sammenskriver", "consolidates", "er sammenskrevet i", "is consolidated in"),
    Relation("member_of", (ELI.is_member_of,), (ELI.has_member,),
             "er en udgave af", "is a version of", "har udgaven", "has the version"),
    Relation("part_of", (ELI.is_part_of,), (ELI.has_part,), "er en del af", "is part of", "omfatter", "includes"),
    Relation("municipality", (RG.municipality,), (), "gælder for", "concerns", "er omfattet af", "is covered by"),
    Relation("agreement", (RG.agreement,), (), "hører under", "falls under", "omfatter beslutningen",
             "covers the decision"),
    Relation("under_possibility", (RG.underPossibility,), (), "udnytter", "makes use of", "udnyttes af", "is used by"),
)

RELATIONS: dict[str, Relation] = {relation.name: relation for relation in _ALL}
"""Every relation by its public name (the values ``--relations`` accepts)."""

RELATION_NAMES: tuple[str, ...] = tuple(RELATIONS)

STRUCTURAL = "part_of"
# A statement's own parts of the world: from a municipality to its agreements and decisions, from
# an agreement or a possibility to the decisions made under it.
OWNERSHIP = frozenset({"municipality", "agreement", "under_possibility"})
# What an exemption-like statement points at: followed forwards when the question starts at the
# statement ("what does this decision touch?"), backwards otherwise.
TOUCH = frozenset({"sets_aside", "exemptible", "disapplies", "protects"})

# Relations by which one text refers to another: a citation, an amendment, a repeal, a
# consolidation. A provision that cites the target is affected when the target changes; one that
# cites *that* provision is not, unless it rests on it in another way (hjemmel, implementation,
# an exemption). Left unbounded, chains of references join nearly every act of a national corpus
# (on the 2,343 real acts, a typical provision reached ~90,000 nodes), so the search reads a
# reference once per path by default (see search.search and docs/impact.md).
REFERENCE = frozenset({"cites", "changes", "amends", "repeals", "consolidates"})
DEFAULT_REFERENCE_HOPS = 1

# Relations that bind a resource as a whole, so that its parts are bound too: setting aside § 3 a
# sets aside its stk.; an executive order based on a provision rests on it with all its parts.
# A provision that cites the target is touched as a whole, but which of its own parts holds the
# reference is not known, so the search does not descend into a citer's parts.
WHOLE_UNIT = frozenset({"sets_aside", "exemptible", "disapplies", "protects", "based_on", "member_of", "part_of"})

PREDICATE_RELATION: dict[URIRef, tuple[str, bool]] = {}
"""Each RDF property → (relation name, True when the statement runs from dependant to dependency)."""
for _relation in _ALL:
    for _p in _relation.predicates:
        PREDICATE_RELATION[_p] = (_relation.name, True)
    for _p in _relation.inverse_predicates:
        PREDICATE_RELATION[_p] = (_relation.name, False)
