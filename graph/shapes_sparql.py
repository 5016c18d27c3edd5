"""The SHACL shapes compiled to SPARQL queries that the store itself runs.

Each constraint of each targeted shape becomes one SELECT that returns the focus nodes (and
value nodes) *breaking* it, so a store holding millions of triples answers with an index scan
per constraint instead of pySHACL walking every node in Python. The shapes in
``ontology/shapes/`` stay the single source of truth: nothing here names a shape; an
unsupported SHACL construct raises :class:`UnsupportedShape` naming the shape, and
tests/test_conformance.py proves on every shape fixture that the queries find exactly what
pySHACL finds.

Every query has a ``{focus}`` slot in front of the pattern that binds ``?this``; filling it with
``VALUES ?this { … }`` checks only those focus nodes (see graph.conformance).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from graph.namespaces import PREFIXES

__all__ = ["Check", "UnsupportedShape", "compile_shapes", "prefix_block", "inverse_predicates"]

# Casting an ill-typed literal to its own datatype fails in SPARQL; SHACL's sh:datatype then
# reports it (pySHACL reads rdflib's ill_typed flag). Only these casts exist in SPARQL 1.1.
_CASTS = {XSD.date, XSD.dateTime, XSD.integer, XSD.decimal, XSD.boolean, XSD.double, XSD.float}
_NODE_KINDS = {
    SH.IRI: "!isIRI({v})", SH.Literal: "!isLiteral({v})", SH.BlankNode: "!isBlank({v})",
    SH.BlankNodeOrIRI: "isLiteral({v})", SH.BlankNodeOrLiteral: "isIRI({v})", SH.IRIOrLiteral: "isBlank({v})",
}
_COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
# Constraint parameters a shape may carry that this compiler understands (others are refused).
_HANDLED = {
    SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.node, SH["in"], SH.pattern, SH.flags,
    SH.nodeKind, SH.minLength, SH.maxLength, SH.languageIn, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals,
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.sparql, SH.property, SH.severity, SH.message, SH.name,
    SH.description, SH.order, SH.group, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.targetNode, SH.target, SH.deactivated, *_COMPARISONS,
}
_IGNORED_NAMESPACES = (str(RDF), str(RDFS), "http://purl.org/dc/terms/", "http://www.w3.org/2002/07/owl#")


class UnsupportedShape(ValueError):
    """A shape uses SHACL this compiler does not translate; pySHACL must validate it instead."""

    def __init__(self, shape: Node, what: str) -> None:
        super().__init__(f"shape {shape.n3() if isinstance(shape, URIRef) else shape}: {what} is not "
                         "supported by graph.shapes_sparql; add it there (with a fixture) or validate with pySHACL")


@dataclass(frozen=True)
class Check:
    """One constraint as a query: SELECT ?this [?value] … with a ``{focus}`` slot."""

    shape: Node  # sh:sourceShape of its results
    component: URIRef  # sh:sourceConstraintComponent
    severity: URIRef
    path: Node | None
    query: str
    has_value: bool = True
    sparql: Node | None = None  # the sh:SPARQLConstraint node: its query runs per focus batch
    messages: tuple[Literal, ...] = field(default=(), hash=False)
    # The same check for a few focus nodes: NOT EXISTS looks up each row, where the MINUS of
    # ``query`` (faster over a whole class) would evaluate its pattern over the whole store.
    focused: str | None = None

    def text(self, restricted: bool) -> str:
        """The query for a full run, or for a VALUES-restricted one."""
        return self.focused if restricted and self.focused else self.query


def prefix_block(shapes: Graph) -> str:
    """PREFIX lines for every prefix the project and the shapes' sh:declare define."""
    found = dict(PREFIXES)
    for declaration in shapes.objects(None, SH.declare):
        prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
        if prefix is not None and namespace is not None:
            found[str(prefix)] = str(namespace)
    found.setdefault("rdfs", str(RDFS))
    found.setdefault("sh", str(SH))
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(found.items()))


def inverse_predicates(shapes: Graph) -> set[URIRef]:
    """Predicates some shape path follows backwards (their objects' surroundings are read too)."""
    return {p for p in shapes.objects(None, SH.inversePath) if isinstance(p, URIRef)}


class _Compiler:
    def __init__(self, shapes: Graph, subclasses: Mapping[URIRef, Iterable[URIRef]] | None) -> None:
        self.g = shapes
        self.names = itertools.count()
        self.subclasses = subclasses

    def instance(self, v: str, cls: Node) -> str:
        """A pattern matching when ``v`` is a SHACL instance of ``cls`` (rdf:type/rdfs:subClassOf*).

        With the data's subclasses known beforehand, the path becomes plain rdf:type patterns,
        which Oxigraph answers about three times faster.
        """
        if self.subclasses is None:
            return f"{v} rdf:type/rdfs:subClassOf* {cls.n3()} ."
        classes = sorted({cls, *self.subclasses.get(cls, ())}, key=str)  # type: ignore[arg-type]
        if len(classes) == 1:
            return f"{v} rdf:type {cls.n3()} ."
        return "{ " + " } UNION { ".join(f"{v} rdf:type {c.n3()}" for c in classes) + " }"

    def var(self) -> str:
        return f"?v{next(self.names)}"

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    # -- paths and targets --------------------------------------------------------------------

    def path(self, node: Node, shape: Node) -> str:
        if isinstance(node, URIRef):
            return node.n3()
        if (node, RDF.first, None) in self.g:
            return "(" + " / ".join(self.path(p, shape) for p in self.items(node)) + ")"
        for predicate, template in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                                    (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
            inner = self.g.value(node, predicate)
            if inner is not None:
                return template.format(self.path(inner, shape))
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + " | ".join(self.path(p, shape) for p in self.items(alternatives)) + ")"
        raise UnsupportedShape(shape, "this sh:path form")

    def target(self, shape: Node) -> str | None:
        parts = []
        for cls in self.g.objects(shape, SH.targetClass):
            parts.append(self.instance("?this", cls))
        if (shape, RDF.type, SH.NodeShape) in self.g and (shape, RDF.type, RDFS.Class) in self.g:
            parts.append(self.instance("?this", shape))  # implicit class target
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {p.n3()} ?target_o .")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"?target_s {p.n3()} ?this .")
        for node in self.g.objects(shape, SH.targetNode):
            parts.append(f"VALUES ?this {{ {node.n3()} }}")
        for target in self.g.objects(shape, SH.target):
            select = self.g.value(target, SH.select)
            if select is None:
                raise UnsupportedShape(shape, "a sh:target without sh:select")
            parts.append(f"{{ {_inner_select(str(select))} }}")
        if not parts:
            return None
        return "{ " + " } UNION { ".join(parts) + " }" if len(parts) > 1 else parts[0]

    # -- one shape's violation as a SPARQL expression -------------------------------------------

    def value_exprs(self, shape: Node, v: str) -> list[tuple[URIRef, str]]:
        """(component, expression true when ``v`` breaks it) for each value-level constraint."""
        g, out = self.g, []
        for datatype in g.objects(shape, SH.datatype):
            out.append((SH.DatatypeConstraintComponent, _datatype_expr(datatype, v)))
        for cls in g.objects(shape, SH["class"]):
            out.append((SH.ClassConstraintComponent, f"NOT EXISTS {{ {self.instance(v, cls)} }}"))
        for node in g.objects(shape, SH.node):
            out.append((SH.NodeConstraintComponent, self.violates(node, v)))
        for allowed in g.objects(shape, SH["in"]):
            terms = self.items(allowed)
            either = " || ".join(f"sameTerm({v}, {t.n3()})" for t in terms) or "false"
            out.append((SH.InConstraintComponent, f"!({either})"))
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            args = f"STR({v}), {_string(str(pattern))}" + (f", {_string(str(flags))}" if flags else "")
            out.append((SH.PatternConstraintComponent, f"(isBlank({v}) || !REGEX({args}))"))
        for kind in g.objects(shape, SH.nodeKind):
            out.append((SH.NodeKindConstraintComponent, _NODE_KINDS[kind].format(v=v)))
        for n in g.objects(shape, SH.minLength):
            out.append((SH.MinLengthConstraintComponent, f"(isBlank({v}) || STRLEN(STR({v})) < {int(n)})"))
        for n in g.objects(shape, SH.maxLength):
            out.append((SH.MaxLengthConstraintComponent, f"(isBlank({v}) || STRLEN(STR({v})) > {int(n)})"))
        for languages in g.objects(shape, SH.languageIn):
            matches = " || ".join(f"langMatches(LANG({v}), {_string(str(t))})" for t in self.items(languages))
            out.append((SH.LanguageInConstraintComponent, f"(!isLiteral({v}) || !({matches or 'false'}))"))
        for predicate, operator in _COMPARISONS.items():
            for bound in g.objects(shape, predicate):
                component = SH[predicate.split("#")[-1][0].upper() + predicate.split("#")[-1][1:] + "ConstraintComponent"]
                out.append((component, f"!COALESCE({v} {operator} {bound.n3()}, false)"))
        return out

    def violates(self, shape: Node, v: str) -> str:
        """An expression true when node ``v`` does not conform to ``shape`` (used by sh:node)."""
        self.refuse_unknown(shape)
        if self.g.value(shape, SH.sparql) is not None:
            raise UnsupportedShape(shape, "sh:sparql inside a shape reached by sh:node")
        parts = [expr for _, expr in self.value_exprs(shape, v)]
        path = self.g.value(shape, SH.path)
        if path is not None:
            parts += self.nested_property(shape, v, self.path(path, shape))
        for prop in self.g.objects(shape, SH.property):
            self.refuse_unknown(prop)
            parts += self.nested_property(prop, v, self.path(self.g.value(prop, SH.path), prop))
        return "(" + " || ".join(parts) + ")" if parts else "false"

    def nested_property(self, prop: Node, v: str, path: str) -> list[str]:
        g, out, x = self.g, [], self.var()
        for n in g.objects(prop, SH.minCount):
            if int(n) > 1:
                raise UnsupportedShape(prop, "sh:minCount above 1 in a shape reached by sh:node")
            if int(n) == 1:
                out.append(f"NOT EXISTS {{ {v} {path} {x} }}")
        for n in g.objects(prop, SH.maxCount):
            values = [self.var() for _ in range(int(n) + 1)]
            distinct = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(values, 2))
            out.append(f"EXISTS {{ {v} {path} {', '.join(values)} .{f' FILTER({distinct})' if distinct else ''} }}")
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            out.append(self.qualified(prop, qualified, v, path))
        for _, expr in self.value_exprs(prop, x):
            out.append(f"EXISTS {{ {v} {path} {x} . FILTER({expr}) }}")
        for predicate in (SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals):
            if g.value(prop, predicate) is not None:
                raise UnsupportedShape(prop, f"{predicate.n3()} in a shape reached by sh:node")
        return out

    def qualified(self, prop: Node, qualified: Node, v: str, path: str) -> str:
        low = self.g.value(prop, SH.qualifiedMinCount)
        if low is None or int(low) != 1 or self.g.value(prop, SH.qualifiedMaxCount) is not None:
            raise UnsupportedShape(prop, "a qualified value shape other than sh:qualifiedMinCount 1")
        x = self.var()
        return f"NOT EXISTS {{ {v} {path} {x} . FILTER(!{self.violates(qualified, x)}) }}"

    def refuse_unknown(self, shape: Node) -> None:
        for predicate in set(self.g.predicates(shape, None)):
            if predicate not in _HANDLED and predicate != RDF.type and not str(predicate).startswith(_IGNORED_NAMESPACES):
                raise UnsupportedShape(shape, predicate.n3())

    # -- the checks of one targeted shape -----------------------------------------------------

    def checks(self, shape: Node, target: str) -> list[Check]:
        self.refuse_unknown(shape)
        severity = self.g.value(shape, SH.severity) or SH.Violation
        out: list[Check] = []
        focus = "{focus} " + target
        path_node = self.g.value(shape, SH.path)
        if path_node is not None:  # a property shape with targets of its own
            out += self.property_checks(shape, focus, self.path(path_node, shape), path_node, severity)
        else:
            for component, expr in self.value_exprs(shape, "?this"):
                out.append(Check(shape, component, severity, None,
                                 f"SELECT DISTINCT ?this (?this AS ?value) WHERE {{ {focus} FILTER({expr}) }}"))
        for prop in self.g.objects(shape, SH.property):
            if self.g.value(prop, SH.deactivated) == Literal(True):
                continue
            self.refuse_unknown(prop)
            path_node = self.g.value(prop, SH.path)
            out += self.property_checks(prop, focus, self.path(path_node, prop), path_node,
                                        self.g.value(prop, SH.severity) or SH.Violation)
        for constraint in self.g.objects(shape, SH.sparql):
            select = self.g.value(constraint, SH.select)
            if select is None:
                raise UnsupportedShape(shape, "a sh:sparql without sh:select")
            out.append(Check(shape, SH.SPARQLConstraintComponent, self.g.value(constraint, SH.severity) or severity,
                             None, f"SELECT DISTINCT ?this WHERE {{ {focus} }}", sparql=constraint,
                             messages=tuple(m for m in self.g.objects(constraint, SH.message) if isinstance(m, Literal))))
        return out

    def property_checks(self, prop: Node, focus: str, path: str, path_node: Node, severity: URIRef) -> list[Check]:
        g, out = self.g, []
        shown = path_node if isinstance(path_node, URIRef) else None

        def add(component: URIRef, query: str, has_value: bool = True, focused: str | None = None) -> None:
            out.append(Check(prop, component, severity, shown, query, has_value, focused=focused))

        for n in g.objects(prop, SH.minCount):
            n = int(n)
            if n == 1:
                add(SH.MinCountConstraintComponent,
                    f"SELECT DISTINCT ?this WHERE {{ {focus} MINUS {{ ?this {path} ?value }} }}", False,
                    f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?value }} }}")
            elif n > 1:
                add(SH.MinCountConstraintComponent, f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) "
                    f"AS ?n) WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} GROUP BY ?this }} FILTER(?n < {n}) }}",
                    False)
        for n in g.objects(prop, SH.maxCount):
            n = int(n)
            if n == 0:
                add(SH.MaxCountConstraintComponent, f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?value }}", False)
            elif n == 1:  # a self-join is cheaper than grouping every focus node
                add(SH.MaxCountConstraintComponent, f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?a, ?b . "
                    "FILTER(!sameTerm(?a, ?b)) }", False)
            else:
                add(SH.MaxCountConstraintComponent, f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?value) "
                    f"AS ?n) WHERE {{ {focus} ?this {path} ?value }} GROUP BY ?this }} FILTER(?n > {n}) }}", False)
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            expr = self.qualified(prop, qualified, "?this", path)
            group = _only_not_exists(expr)
            condition = f"MINUS {group}" if group else f"FILTER({expr})"
            add(SH.QualifiedMinCountConstraintComponent, f"SELECT DISTINCT ?this WHERE {{ {focus} {condition} }}", False,
                f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER({expr}) }}")
        for component, expr in self.value_exprs(prop, "?value"):
            # "NOT EXISTS { X }" as MINUS { X }: Oxigraph answers it with one join instead of a
            # lookup per row (three to five times faster on large targets).
            group = _only_not_exists(expr)
            condition = f"MINUS {group}" if group else f"FILTER({expr})"
            add(component, f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . {condition} }}", True,
                f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . FILTER({expr}) }}")
        if g.value(prop, SH.uniqueLang) == Literal(True):
            add(SH.UniqueLangConstraintComponent, f"SELECT DISTINCT ?this (LANG(?a) AS ?lang) WHERE {{ {focus} "
                f"?this {path} ?a, ?b . FILTER(!sameTerm(?a, ?b) && LANG(?a) != \"\" && LANG(?a) = LANG(?b)) }}", False)
        for predicate, operator, component in ((SH.lessThan, "<", SH.LessThanConstraintComponent),
                                               (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent)):
            for other in g.objects(prop, predicate):
                # As pySHACL: a text (string or IRI) never compares with a non-text; pairs SPARQL
                # cannot order (an ill-typed date, a date and a dateTime) go by their text, as
                # rdflib's Literal ordering does.
                ok = (f"({_textual('?value')} = {_textual('?other')}) && "
                      f"COALESCE(?value {operator} ?other, STR(?value) {operator} STR(?other))")
                add(component, f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . "
                    f"?this {other.n3()} ?other . FILTER(!COALESCE({ok}, false)) }}")
        if g.value(prop, SH.sparql) is not None:
            raise UnsupportedShape(prop, "sh:sparql on a property shape")
        return out


def compile_shapes(shapes: Graph, subclasses: Mapping[URIRef, Iterable[URIRef]] | None = None) -> list[Check]:
    """Every constraint of every targeted, active shape as a Check.

    ``subclasses`` maps a class to all its subclasses in the data (rdfs:subClassOf+); the checks
    are then only valid for data with exactly those subclass statements. None keeps the paths.
    """
    compiler = _Compiler(shapes, subclasses)
    out: list[Check] = []
    shapes_with_targets = sorted({s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
                                              SH.targetNode, SH.target) for s in shapes.subjects(p, None)}, key=str)
    for shape in shapes_with_targets:
        if shapes.value(shape, SH.deactivated) == Literal(True):
            continue
        target = compiler.target(shape)
        if target is not None:
            out += compiler.checks(shape, target)
    return out


def _only_not_exists(expr: str) -> str | None:
    """``{ X }`` when the expression is exactly ``NOT EXISTS { X }`` (possibly in parentheses)."""
    text = expr.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    if not text.startswith("NOT EXISTS {") or not text.endswith("}"):
        return None
    group = text[len("NOT EXISTS "):]
    return group if _balanced(group[1:-1]) and _balanced(group) else None


def _balanced(text: str) -> bool:
    """Whether brackets and braces close in order (the compiler's own text has no strings with them)."""
    depth = 0
    for char in text:
        depth += char in "({"
        depth -= char in ")}"
        if depth < 0:
            return False
    return depth == 0


def _inner_select(select: str) -> str:
    """A SPARQL target's SELECT as a sub-select (its PREFIX lines go to the top of the query).

    The ``{focus}`` slot goes inside it too: a sub-select is evaluated on its own, so without it
    checking a few focus nodes would still select every node the target matches.
    """
    text = re.sub(r"(?im)^\s*PREFIX\s+\S*\s*<[^>]*>\s*$", "", select).strip().replace("$this", "?this")
    head, brace, body = text.partition("{")
    return f"{head}{brace} {{focus}} {body}" if brace else text


def _textual(v: str) -> str:
    """True for an IRI or a string literal: what pySHACL compares as text."""
    return f"(isIRI({v}) || LANG({v}) != \"\" || DATATYPE({v}) = {XSD.string.n3()})"


def _string(text: str) -> str:
    return Literal(text).n3()


def _datatype_expr(datatype: Node, v: str) -> str:
    if datatype == RDF.langString:
        return f"(!isLiteral({v}) || LANG({v}) = \"\")"
    wrong = f"(!isLiteral({v}) || LANG({v}) != \"\" || DATATYPE({v}) != {datatype.n3()}"
    if datatype in _CASTS:
        wrong += f" || !COALESCE(sameTerm({datatype.n3()}(STR({v})), {datatype.n3()}(STR({v}))), false)"
    return wrong + ")"
