"""The validation report of the store's data, grouped by named graph and focus node."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, Response, g
from rdflib import Dataset

from webui.rendering import output_format, respond
from webui.state import current_store, state

bp = Blueprint("report", __name__)

SEVERITY_ORDER = ("Violation", "Warning", "Info")


def store_dataset() -> Dataset:
    """Every named graph of the store copied into an rdflib Dataset (pySHACL validates rdflib graphs)."""
    store = current_store()
    dataset = Dataset()
    for name in store.graph_names():
        dataset.graph(name).__iadd__(store.get_graph(name))
    return dataset


def current_report() -> Any:
    """The validation report, recomputed only when the store's graphs or size changed."""
    from graph.validation import validate

    store = current_store()
    app_state = state()
    with app_state.report_lock:
        key = (tuple(sorted(str(n) for n in store.graph_names())), store.count())
        if app_state.report_cache.get("key") != key:
            # Messages come in both languages, so one run serves Danish and English readers.
            app_state.report_cache = {"key": key, "report": validate(store_dataset(), lang="da")}
        return app_state.report_cache["report"]


def severity_name(severity: Any) -> str:
    """``Violation`` for ``sh:Violation`` (or its IRI, or an enum of that name)."""
    text = str(getattr(severity, "name", severity))
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1].rsplit(".", 1)[-1].capitalize()


def grouped(report: Any, lang: str) -> dict[str, Any]:
    """Results per named graph, then per focus node, most severe first."""
    groups: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    counts: dict[str, int] = defaultdict(int)
    for result in report.results:
        severity = severity_name(result.severity)
        counts[severity] += 1
        graph = str(result.graph) if getattr(result, "graph", None) is not None else ""
        focus = str(result.focus)
        entry = groups[graph].setdefault(focus, {
            "focus": focus, "label": str(result.focus_label or result.focus), "results": [],
        })
        messages = getattr(result, "messages", None) or {}
        entry["results"].append({
            "severity": severity,
            "path": None if result.path is None else str(result.path),
            "value": None if result.value is None else str(result.value),
            "message": messages.get(lang) or str(result.message),
            "source_shape": None if getattr(result, "source_shape", None) is None else str(result.source_shape),
        })
    rank = {name: i for i, name in enumerate(SEVERITY_ORDER)}
    out = []
    for graph in sorted(groups):
        foci = sorted(groups[graph].values(), key=lambda f: (min(rank.get(r["severity"], 9) for r in f["results"]), f["label"]))
        for focus in foci:
            focus["results"].sort(key=lambda r: (rank.get(r["severity"], 9), r["path"] or ""))
        out.append({"graph": graph or None, "foci": foci})
    return {"conforms": bool(report.conforms), "counts": dict(counts), "total": sum(counts.values()), "graphs": out}


@bp.route("/validation")
@bp.route("/validation.json", endpoint="validation_json", defaults={"suffix": "json"})
def validation(suffix: str | None = None) -> Response:
    """Validate the store's data with graph.validation and show the grouped report."""
    return respond("validation.html", grouped(current_report(), g.lang), fmt=output_format(suffix))
