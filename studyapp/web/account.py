"""A signed-in user's own account: a new password and the time zone their study day follows.

A new password signs out every other session and device (the session id carries a fingerprint
of the password hash, see ``auth.SessionUser``) and keeps this one signed in. The time zone was
guessed by the browser at sign-up; a student who moves, or signed up on a machine set to
another zone, would otherwise have their day roll over in the middle of their afternoon.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user
from flask_login.config import COOKIE_NAME
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, ValidationError

from .auth import (
    PASSWORD_LENGTH,
    SessionUser,
    hash_password,
    known_zones,
    new_password_fields,
)
from .db import get_store

bp = Blueprint("account", __name__, url_prefix="/account")


@cache
def menu_zones() -> frozenset[str]:
    """The zones a person picks from: one name per place, as tzdata's ``zone1970.tab`` lists
    them, and UTC. The rest of what the server knows stays out of the menu (old aliases such
    as "Asia/Calcutta", "Etc/GMT+5" whose sign reads backwards, "localtime", "Factory"), though
    a device that reports one is still understood at sign-up."""
    text = _zone_table()
    if text is None:
        return known_zones()
    listed = {
        line.split("\t")[2]
        for line in text.splitlines()
        if line and not line.startswith("#") and line.count("\t") >= 2
    }
    return frozenset((listed | {"UTC"}) & known_zones())


def _zone_table() -> str | None:
    """tzdata's list of zones by place: the system's copy, else the ``tzdata`` package's."""
    for folder in TZPATH:
        table = Path(folder) / "zone1970.tab"
        if table.is_file():
            return table.read_text(encoding="utf-8")
    try:
        return resources.files("tzdata.zoneinfo").joinpath("zone1970.tab").read_text("utf-8")
    except (OSError, ModuleNotFoundError):
        return None


def zone_choices(current: str) -> list[tuple[str, str]]:
    """The menu: each zone with its offset from UTC now ("Asia/Seoul (UTC+09:00)"), sorted by
    name, and the user's own zone even when it is an alias kept out of the menu."""
    now = datetime.now(UTC)
    names = sorted(menu_zones() | ({current} & known_zones()))
    return [(name, f"{name.replace('_', ' ')} ({_offset(now, name)})") for name in names]


def _offset(now: datetime, zone: str) -> str:
    minutes = int((now.astimezone(ZoneInfo(zone)).utcoffset() or timedelta()).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Current password",
        validators=[
            DataRequired("Enter your current password."),
            PASSWORD_LENGTH,
        ],
    )
    password, confirm = new_password_fields("New password", "Repeat the new password")


class TimezoneForm(FlaskForm):
    timezone = SelectField(
        "Time zone",
        validators=[DataRequired("Pick a time zone from the list.")],
        validate_choice=False,  # checked against the zone list below, with a clearer message
    )

    def validate_timezone(self, field: SelectField) -> None:
        if field.data not in known_zones():
            raise ValidationError("Pick a time zone from the list.")


def _forms() -> tuple[PasswordForm, TimezoneForm]:
    password = PasswordForm(prefix="pw")
    zone = TimezoneForm(prefix="tz")
    zone.timezone.choices = zone_choices(current_user.user.timezone)
    if request.endpoint != "account.change_timezone":  # show the saved zone, not a blank
        zone.timezone.data = current_user.user.timezone
    return password, zone


def _page(password: PasswordForm, zone: TimezoneForm, status: int = 200):
    hour = int(current_app.config["DAY_STARTS_AT_HOUR"])
    local = datetime.now(UTC).astimezone(ZoneInfo(current_user.user.timezone))
    body = render_template(
        "auth/account.html",
        password_form=password,
        zone_form=zone,
        day_starts=f"{hour:02d}:00",
        local_time=local.strftime("%H:%M"),
    )
    return body, status


def _top_of_page() -> str:
    """The account page at its top, where the flashed message is.

    Each form posts to its section of the page (``#password``, ``#time-zone`` in its action),
    so that a form sent back with a mistake opens at the form and its message rather than a
    screen above them on a phone. A redirect without a fragment keeps the request's, which
    would put the message out of sight: ``#top`` is the top of the page (HTML's own meaning
    of that fragment when no element has the id).
    """
    return url_for("account.account", _anchor="top")


@bp.get("")
@login_required
def account():
    return _page(*_forms())


@bp.post("/password")
@login_required
def change_password():
    password, zone = _forms()
    if password.validate_on_submit():
        if not check_password_hash(current_user.user.password_hash, password.current.data):
            password.current.errors = ["That is not your current password."]
        else:
            store = get_store()
            store.update_user(current_user.id, password_hash=hash_password(password.password.data))
            user = store.user_by_id(current_user.id)
            assert user is not None
            # Sign this session in again under the new fingerprint; keep "remember me" if set.
            remembered = (
                current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) in request.cookies
            )
            login_user(SessionUser(user), remember=remembered)
            flash(
                "Password changed. Other devices signed in to this account are signed out.",
                "success",
            )
            return redirect(_top_of_page())
    return _page(password, zone, 400)


@bp.post("/timezone")
@login_required
def change_timezone():
    password, zone = _forms()
    if zone.validate_on_submit():
        get_store().update_user(current_user.id, timezone=zone.timezone.data)
        flash(f"Time zone set to {zone.timezone.data}.", "success")
        return redirect(_top_of_page())
    return _page(password, zone, 400)
