"""One handler per error status: a friendly page, or JSON for a script's ``fetch``."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

PAGES = (400, 403, 404, 405, 409, 413, 429, 500)
TITLES = {
    400: "That request did not make sense",
    403: "Not for you",
    404: "Nothing here",
    405: "Not like that",
    409: "Already done",
    413: "Too much at once",
    429: "Slow down",
    500: "Something broke on our side",
}
# Said when nothing more specific was passed to ``abort``: Werkzeug's own sentences ("The
# requested URL was not found on the server. If you entered the URL manually ...") speak of
# servers and URLs, not of this app. The 404 and 429 pages add their advice in their templates;
# the 429 message is the one place that says to wait.
MESSAGES = {
    400: "Something in that request was missing or not as expected. Go back and try again.",
    403: "Your account cannot open this page.",
    405: "This address does not take that kind of request. Use the page's own links and buttons.",
    409: "That was already done, or the page changed meanwhile. Reload it and try again.",
    413: "That was more than the app accepts at once.",
    429: "Too many tries in a short time. Wait a few minutes and try again.",
    500: "The error has been logged. Your acknowledged answers are safe.",
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def _werkzeug_default(error: HTTPException) -> bool:
    """Whether ``error`` carries only Werkzeug's sentence for its class, not one of ours."""
    if not error.description:
        return True
    defaults = (vars(cls).get("description") for cls in type(error).__mro__)
    return error.description in [d for d in defaults if isinstance(d, str)]


def render_error(error: HTTPException):
    code = error.code or 500
    if isinstance(error, CSRFError):
        message = "The form expired or came from elsewhere. Go back, reload the page and try again."
    elif code == 500 or _werkzeug_default(error):
        message = MESSAGES.get(code, "")
    else:
        message = error.description or ""
    if _wants_json():
        return jsonify(error=TITLES.get(code, error.name), message=message), code
    # A status without a page of its own gets the plain one: a missing template must never
    # turn an error the user can act on into a 500.
    templates = [f"errors/{code}.html", "errors/_error.html"]
    return render_template(
        templates, code=code, title=TITLES.get(code, error.name), message=message
    ), code


def _internal(error: Exception):
    return render_error(InternalServerError())


def init_app(app: Flask) -> None:
    for code in PAGES:
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_error)
