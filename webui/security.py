"""Security headers on every response, and why the app needs no CSRF tokens.

Every page, JSON twin, static file, error and /sparql answer gets a Content Security Policy, and
headers that stop MIME sniffing, framing and leaking addresses to other sites. The policy allows
scripts, styles, fonts and connections from our own origin only: the front-end libraries are
served from /static/vendor/ (see ``make assets``), data a script needs travels in
``<script type="application/json">`` blocks (which never run) and no page has an inline script.
Inline *style attributes* stay allowed: the front page's timeline places its bars with them, and
YASGUI and Cytoscape.js set them on the elements they draw.

CSRF: no form of the web UI changes state — every form is ``method="get"`` and every page route
answers GET only (tests/test_webui_security.py checks both). The one route that can change the store,
``/sparql`` with updates switched on, demands an ``Authorization: Bearer`` token, which a browser
never attaches on its own to a request another site makes it send, so a forged cross-site
request cannot carry it.
"""

from __future__ import annotations

from flask import Flask, Response

# Each directive on its own line so the policy reads (and diffs) clearly; joined with "; ".
CSP_DIRECTIVES: tuple[tuple[str, str], ...] = (
    ("default-src", "'self'"),
    ("script-src", "'self'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("font-src", "'self' data:"),
    ("connect-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
)
CONTENT_SECURITY_POLICY = "; ".join(f"{name} {value}" for name, value in CSP_DIRECTIVES)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP level 2
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def install(app: Flask) -> None:
    """Add the security headers to every response the app sends."""

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
