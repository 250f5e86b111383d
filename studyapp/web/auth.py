"""Accounts: sign up, sign in, sign out (Flask-Login sessions, Werkzeug's scrypt hashes).

Sign-in attempts are counted per account name and per address, and a successful one clears its
counts; past the limit within the window the form answers 429 until the window has passed. The
counts live in the database, so that every server worker sees the same ones. Behind a reverse
proxy, set ``PROXIES`` so that the address is the client's, not the proxy's.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..store import Store, User, UserExists
from .db import get_store

bp = Blueprint("auth", __name__)
NAME_RULE = Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    message="Use letters, digits, dots, hyphens or underscores, starting with a letter or digit.",
)
# A hash to compare against when the name is unknown, so a wrong name takes as long as a wrong
# password and the response time does not reveal which names exist.
_DUMMY_HASH = generate_password_hash("not a password")
LAST_SEEN_EVERY = timedelta(minutes=1)


@dataclass
class SessionUser:
    """The signed-in account as Flask-Login wants it."""

    user: User

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session and the remember cookie: the account id and
        a fingerprint of its password hash, so that a new password signs out every other
        session and device (their stored id no longer matches)."""
        return f"{self.user.id}-{password_fingerprint(self.user.password_hash)}"

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def is_instructor(self) -> bool:
        return self.user.role == "instructor"


class LoginThrottle:
    """Counts recent sign-in attempts per key (the name tried, the address) in the database, so
    that every server worker sees the same counts (wall-clock seconds, shared by processes)."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts = attempts
        self.window = window

    def attempt(self, store: Store, *keys: str) -> bool:
        """Count an attempt; False when a key has used up its attempts for now."""
        return store.count_login_attempt(keys, time.time(), self.window, self.attempts)

    def succeeded(self, store: Store, *keys: str) -> None:
        store.clear_login_attempts(keys)


NAME_MAX = 64
PASSWORD_MAX = 256  # a hash of a longer one costs the server for nothing
PASSWORD_LENGTH = Length(
    max=PASSWORD_MAX, message=f"A password is at most {PASSWORD_MAX} characters."
)


class LoginForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter your name."),
            Length(max=NAME_MAX, message=f"A name is at most {NAME_MAX} characters."),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Enter your password."),
            PASSWORD_LENGTH,
        ],
    )
    remember = BooleanField("Keep me signed in on this device")


def new_password_fields(label: str, repeat: str) -> tuple[PasswordField, PasswordField]:
    """A new password and its repetition, with the limits every way of setting one obeys (the
    sign-up form, the account page; ``studyapp user`` reads them from the sign-up form)."""
    password = PasswordField(
        label,
        validators=[
            DataRequired("Choose a password."),
            Length(min=8, message="Use at least 8 characters."),
            Length(max=PASSWORD_MAX, message=f"Use at most {PASSWORD_MAX} characters."),
        ],
    )
    confirm = PasswordField(
        repeat,
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", message="The passwords differ."),
        ],
    )
    return password, confirm


class SignupForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Choose a name."),
            Length(min=2, max=NAME_MAX, message=f"A name is 2 to {NAME_MAX} characters."),
            NAME_RULE,
        ],
    )
    password, confirm = new_password_fields("Password", "Repeat the password")
    # Filled in by the browser (static/js/timezone.js); the student never sees it, so a value we
    # do not know falls back to the default instead of failing the form.
    timezone = HiddenField("Time zone", default="UTC")


@cache
def known_zones() -> frozenset[str]:
    """The IANA zone names the server knows; cached, as ``available_timezones`` reads the zone
    files from disk at every call and the set does not change while the server runs."""
    return frozenset(available_timezones())


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def _safe_next(target: str | None) -> str:
    """Only follow a ``next`` that stays on this site and is a page: one left by a form post
    (a rating sent after signing out elsewhere) cannot be fetched, so it leads home."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and _a_page(parts.path):
            return target
    return url_for("study.home")


def _a_page(path: str) -> bool:
    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except RequestRedirect:  # a slash added: still a page
        return True
    except HTTPException:  # not found, or not a GET route
        return False
    return True


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if not current_app.config["SIGNUP_OPEN"]:
        abort(403, "Sign-up is closed. Ask your instructor for an account.")
    form = SignupForm()
    if form.validate_on_submit():
        tz = form.timezone.data
        if tz not in known_zones():
            tz = current_app.config["DEFAULT_TIMEZONE"]
        try:
            user = get_store().create_user(
                form.name.data, hash_password(form.password.data), "student", timezone=tz
            )
        except UserExists:
            form.name.errors = [*form.name.errors, "That name is taken."]
        else:
            login_user(SessionUser(user))
            flash(f"Welcome, {user.name}. Pick a reading to start.", "success")
            return redirect(url_for("study.home"))
    return render_template("auth/signup.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        state = current_app.extensions["studyapp"]
        keys = (f"name:{form.name.data.casefold()}", f"addr:{request.remote_addr}")
        store = get_store()
        if not state.throttle.attempt(store, *keys):
            abort(429, "Too many failed sign-ins. Wait a few minutes and try again.")
        user = store.user_by_name(form.name.data)
        if check_password_hash(user.password_hash if user else _DUMMY_HASH, form.password.data):
            assert user is not None
            state.throttle.succeeded(store, *keys)
            login_user(SessionUser(user), remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors = [*form.password.errors, "Wrong name or password."]
    signup_open = current_app.config["SIGNUP_OPEN"]
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form, signup_open=signup_open), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: it changes with the password and reveals nothing of
    the hash (the session cookie is signed, not encrypted)."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _load_user(session_id: str) -> SessionUser | None:
    user_id, _, fingerprint = session_id.partition("-")
    if not user_id.isdigit():
        return None
    store = get_store()
    user = store.user_by_id(int(user_id))
    if user is None:
        return None
    if not hmac.compare_digest(fingerprint, password_fingerprint(user.password_hash)):
        return None  # the password changed since this session signed in
    now = datetime.now(UTC)
    if user.last_seen is None or now - user.last_seen >= LAST_SEEN_EVERY:
        store.touch_user(user.id, now)  # for 'studyapp user list'; a write a minute at most
    return SessionUser(user)


def init_app(app: Flask) -> None:
    manager = LoginManager(app)
    manager.login_view = "auth.login"
    manager.login_message = "Sign in to study."
    manager.login_message_category = "info"
    manager.session_protection = "basic"
    manager.user_loader(_load_user)
    app.jinja_env.globals["current_user"] = current_user
