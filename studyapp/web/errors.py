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


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def render_error(error: HTTPException):
    code = error.code or 500
    if isinstance(error, CSRFError):
        message = "The form expired or came from elsewhere. Go back, reload the page and try again."
    elif code == 500:
        message = "The error has been logged. Your acknowledged answers are safe."
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
