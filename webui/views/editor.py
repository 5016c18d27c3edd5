"""The SPARQL editor page: YASGUI pointed at our own /sparql, with the catalogue's queries as examples."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for

from webui.rendering import output_format, respond, t
from webui.state import state
from webui.views.catalogue import describe_query

bp = Blueprint("editor", __name__)

PERSISTENCE_ID = "regelgraf-yasgui"  # the localStorage key YASGUI keeps its tabs under
# The first tab's query: every agreement with its municipality and period, readable on any data.
DEFAULT_QUERY = """\
# {comment}
PREFIX rg: <https://regelgraf.dk/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT ?agreement ?municipality ?validFrom ?validUntil WHERE {{
  ?agreement a rg:WelfareAgreement ;
             rg:municipality ?m ;
             rg:validFrom ?validFrom ;
             rg:validUntil ?validUntil .
  ?m skos:prefLabel ?municipality .
}}
ORDER BY ?municipality
"""


@bp.route("/editor")
@bp.route("/editor.json", endpoint="editor_json", defaults={"suffix": "json"})
def editor(suffix: str | None = None) -> Response:
    """YASGUI over /sparql; ``?example=<name>`` opens that catalogue query in a tab of its own.

    (Not ``?query=``: YASGUI reads that argument of the page's own URL as a query text to run.)
    """
    catalogue = state().catalogue
    examples = [{**describe_query(q), "text": q.text, "form": url_for("catalogue.query", name=q.name)} for q in catalogue]
    wanted = request.args.get("example", "")
    data = {
        "endpoint": url_for("sparql.endpoint", _external=True),
        "persistence_id": PERSISTENCE_ID if current_app.config["REGELGRAF_EDITOR_PERSISTENCE"] else None,
        "default_query": DEFAULT_QUERY.format(comment=t("editor.default_tab")),
        "open": wanted if wanted in catalogue.names() else None,
        "examples": examples,
    }
    return respond("editor.html", data, fmt=output_format(suffix))
