"""The validation report of the store's data, grouped by document, then by provision or focus node."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g

from webui.rendering import output_format, respond
from webui.resources import compact_iri
from webui.state import current_store, state

bp = Blueprint("report", __name__)


def current_report() -> Any:
    """The validation report, recomputed only when the store's graphs or size changed."""
    from graph.conformance import validate_store

    store = current_store()
    app_state = state()
    with app_state.report_lock:
        key = (tuple(sorted(str(n) for n in store.graph_names())), store.count())
        if app_state.report_cache.get("key") != key:
            # Messages come in both languages, so one run serves Danish and English readers.
            # The store runs the compiled shapes (graph.conformance), the same results as pySHACL
            # without copying the whole store into rdflib.
            app_state.report_cache = {"key": key, "report": validate_store(store, lang="da")}
        return app_state.report_cache["report"]


def grouped(report: Any, lang: str) -> dict[str, Any]:
    """The report's own grouping (per document, then per provision) with messages in ``lang``."""
    counts = {name: n for name, n in report.counts().items() if n}
    documents = []
    for document, document_label, results in report.groups():
        foci: dict[str, dict[str, Any]] = {}
        for result in results:
            key = str(result.provision or result.focus)
            focus = foci.setdefault(key, {
                "focus": key, "label": result.provision_label or result.label, "results": [],
            })
            focus["results"].append({
                "severity": result.severity, "severity_label": result.severity_label(lang),
                "focus": str(result.focus), "focus_label": result.focus_label,
                "path": None if result.path is None else compact_iri(str(result.path)),
                "value": None if result.value is None else str(result.value),
                "message": result.messages.get(lang) or result.message,
                "source_shape": None if result.source_shape is None else str(result.source_shape),
            })
        documents.append({"document": None if document is None else str(document),
                          "label": document_label, "foci": list(foci.values())})
    return {"conforms": bool(report.conforms), "counts": counts, "total": sum(counts.values()), "documents": documents}


@bp.route("/validation")
@bp.route("/validation.json", endpoint="validation_json", defaults={"suffix": "json"})
def validation(suffix: str | None = None) -> Response:
    """Validate the store's data with graph.validation and show the grouped report."""
    return respond("validation.html", grouped(current_report(), g.lang), fmt=output_format(suffix))
