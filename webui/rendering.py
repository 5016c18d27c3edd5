"""Per-request language and as-of date, links that keep them, HTML/JSON twins and error pages."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException, default_exceptions

from graph.store.errors import (
    EndpointHTTPError, EndpointUnreachableError, QueryTimeoutError, StoreBusyError, StoreError,
)
from webui.i18n import LANGUAGES, format_date, translate

LANG_COOKIE = "regelgraf_lang"
KNOWN_STATUSES = {400, 404, 405, 500, 503}  # statuses with their own title and text in webui.i18n
COOKIE_MAX_AGE = 365 * 24 * 3600
_ELI = re.compile(r"^https://www\.retsinformation\.dk/eli/(lta|ltb|ltc|accn)/(\d{4})/(\d+)$")
log = logging.getLogger(__name__)


def split_suffix(value: str, suffixes: tuple[str, ...] = ("json", "csv")) -> tuple[str, str | None]:
    """``("work/x", "json")`` for ``work/x.json``; a path without a known suffix is returned as is."""
    for suffix in suffixes:
        if value.endswith("." + suffix):
            return value[: -len(suffix) - 1], suffix
    return value, None


def output_format(suffix: str | None = None) -> str:
    """``html``, ``json`` or ``csv`` from a path suffix, else ``?format=``."""
    wanted = suffix or request.args.get("format") or "html"
    return wanted if wanted in ("html", "json", "csv") else "html"


def t(key: str, **values: Any) -> str:
    """A UI message in the reader's language."""
    return translate(g.get("lang", "da"), key, **values)


def _choose_language() -> str:
    default = current_app.config["REGELGRAF_LANG"]
    for candidate in (request.args.get("lang"), request.cookies.get(LANG_COOKIE), default):
        if candidate in LANGUAGES:
            return candidate
    return "da"


def _read_as_of() -> None:
    raw = request.args.get("as_of", "").strip()
    g.as_of = None
    if raw:
        try:
            g.as_of = dt.date.fromisoformat(raw)
        except ValueError:
            raise fail(400, translate(g.lang, "error.as_of", value=raw)) from None
    g.as_of_effective = g.as_of or dt.date.today()


def _format_date(value: Any) -> str:
    return format_date(value, g.get("lang", "da"))


def page_url(endpoint: str, **values: Any) -> str:
    """``url_for`` that keeps the chosen as-of date on the link."""
    if g.get("as_of") and "as_of" not in values:
        values["as_of"] = g.as_of.isoformat()
    return url_for(endpoint, **values)


def href(iri: str | None) -> str:
    """The page of an IRI: our own under /id/, documents under /document/, anything else by query."""
    if not iri:
        return ""
    base = current_app.config["REGELGRAF_BASE"]
    if iri.startswith(base) and len(iri) > len(base):
        return page_url("browse.resource", rest=iri[len(base):])
    match = _ELI.match(iri)
    if match:
        series, year, number = match.groups()
        return page_url("browse.document", series=series, year=year, number=number)
    return page_url("browse.resource_by_iri", iri=iri)


def _with_args(**changes: Any) -> str:
    args = {k: v for k, v in request.args.items() if k not in changes}
    args.update({k: v for k, v in changes.items() if v is not None})
    return request.path + ("?" + urlencode(args) if args else "")


def json_twin_url() -> str:
    """This page's JSON twin."""
    return _with_args(format="json")


def respond(template: str, data: dict[str, Any], status: int = 200, fmt: str | None = None) -> Response:
    """The page as HTML or, for a .json twin, the same data as JSON."""
    if (fmt or output_format()) == "json":
        response = jsonify(data)
        response.status_code = status
        return response
    return Response(render_template(template, page=data), status=status, mimetype="text/html")


def _error_response(status: int, message: str) -> Response:
    title = translate(g.get("lang", "da"), f"error.{status}" if status in KNOWN_STATUSES else "error.other")
    if _wants_json():
        response = jsonify({"error": {"status": status, "title": title, "message": message}})
        response.status_code = status
        return response
    return Response(render_template("error.html", page={"status": status, "title": title, "message": message}),
                    status=status, mimetype="text/html")


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.args.get("format") == "json"


def install(app: Flask) -> None:
    """Wire the per-request state, template helpers and error handlers into the app."""

    @app.before_request
    def _prepare() -> None:
        g.lang = _choose_language()
        _read_as_of()

    @app.after_request
    def _remember_language(response: Response) -> Response:
        chosen = request.args.get("lang")
        if chosen in LANGUAGES:
            response.set_cookie(LANG_COOKIE, chosen, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True)
        return response  # security headers: webui.security

    # Functions read the request state when called, so macros imported without context can use them.
    app.jinja_env.globals.update({"_": t, "href": href, "url": page_url, "fmt_date": _format_date})

    @app.context_processor
    def _helpers() -> dict[str, Any]:
        lang = g.get("lang", "da")
        other = "en" if lang == "da" else "da"
        return {
            "lang": lang, "other_lang": other,
            "switch_lang_url": _with_args(lang=other), "clear_as_of_url": _with_args(as_of=None),
            "as_of": g.as_of.isoformat() if g.get("as_of") else "",
            "as_of_effective": g.get("as_of_effective", dt.date.today()).isoformat(),
            "json_url": json_twin_url(),
        }

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        if "lang" not in g:
            g.lang = current_app.config["REGELGRAF_LANG"]
        status = error.code or 500
        if getattr(error, "regelgraf_message", False):
            message = error.description or ""
        else:
            message = translate(g.lang, f"error.{status}.text" if status in KNOWN_STATUSES else "error.other.text")
        return _error_response(status, message)

    @app.errorhandler(EndpointUnreachableError)
    @app.errorhandler(EndpointHTTPError)
    @app.errorhandler(QueryTimeoutError)
    @app.errorhandler(StoreBusyError)
    def _store_unavailable(error: StoreError) -> Response:
        # A store that does not answer in time is not our bug: say so, in the reader's language.
        log.warning("store unavailable on %s: %s", request.path, error)
        if "lang" not in g:
            g.lang = current_app.config["REGELGRAF_LANG"]
        return _error_response(503, error.message(g.lang))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        # The reader gets a plain message; the trace goes to the log, never to the client.
        log.exception("unexpected error on %s", request.path)
        if "lang" not in g:
            g.lang = current_app.config["REGELGRAF_LANG"]
        return _error_response(500, translate(g.lang, "error.500.text"))


def fail(status: int, message: str) -> HTTPException:
    """An HTTP error whose message (already in the reader's language) is shown as is."""
    error = default_exceptions[status](description=message)
    error.regelgraf_message = True  # type: ignore[attr-defined]
    return error
