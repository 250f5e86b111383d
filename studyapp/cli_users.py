"""The ``studyapp user`` commands: add, list, reset a password, change a role.

Instructor accounts are made and promoted here, on the server's machine: sign-up on the web only
ever makes students. Every limit is the sign-up form's, so an account made here can always sign
in; a mistake ends in ``click.ClickException`` with what to do.
"""

from __future__ import annotations

import sys
import warnings
from typing import TYPE_CHECKING, Any

import click
from flask.cli import AppGroup

from . import create_app

if TYPE_CHECKING:
    from .store import Store, User


def _app():
    """Build the app the way the server does (instance folder, STUDYAPP_* settings)."""
    return create_app()


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Manage accounts."""


@user_group.command("add", with_appcontext=False)
@click.argument("name")
@click.option("--instructor", is_flag=True, help="Give the account the instructor role.")
@click.option(
    "--password",
    envvar="STUDYAPP_NEW_PASSWORD",
    help="The password (prompted for when not given; or set STUDYAPP_NEW_PASSWORD).",
)
@click.option("--timezone", default="UTC", show_default=True, help="The account's time zone.")
def user_add_command(name: str, instructor: bool, password: str | None, timezone: str) -> None:
    """Create an account (a student unless --instructor)."""
    from werkzeug.security import generate_password_hash

    from .store import UserExists
    from .web.auth import SignupForm

    # Asked for here, not by the option, so that a refused NAME is reported before anyone
    # types a password twice; a password of the wrong length is asked again.
    _check_account(name, password)
    if password is None:
        password = _ask_password("Password", SignupForm.password)
    app = _app()
    role = "instructor" if instructor else "student"
    with app.extensions["studyapp"].open_store() as store:
        try:
            user = store.create_user(name, generate_password_hash(password), role, timezone)
        except UserExists:
            raise click.ClickException(f"an account named '{name}' already exists") from None
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"Created {role} '{user.name}' in {app.extensions['studyapp'].database}.")


# The store's ROLES, written out so that loading the commands does not load the store (and
# fsrs with it); the store checks the role again, and a test checks that the two agree.
ROLES = ("student", "instructor")


@user_group.command("list", with_appcontext=False)
@click.option("--role", type=click.Choice(ROLES), help="Only the accounts with this role.")
def user_list_command(role: str | None) -> None:
    """List the accounts: name, role, time zone, when each was created and last seen (UTC)."""
    app = _app()
    database = app.extensions["studyapp"].database
    with app.extensions["studyapp"].open_store() as store:
        users = store.users(role)
    if not users:
        what = f"{role} accounts" if role else "accounts"
        click.echo(f"No {what} in {database}: add one with 'studyapp user add NAME'.")
        return
    rows = [("Name", "Role", "Time zone", "Created (UTC)", "Last seen (UTC)")]
    for u in users:
        seen = f"{u.last_seen:%Y-%m-%d %H:%M}" if u.last_seen else "never"
        rows.append((u.name, u.role, u.timezone, f"{u.created:%Y-%m-%d %H:%M}", seen))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)]
        click.echo("  ".join(cells).rstrip())
    counts = ", ".join(
        _count(sum(u.role == r for u in users), r) for r in ROLES if role in (None, r)
    )
    click.echo(f"\n{_count(len(users), 'account')} ({counts}) in {database}.")


def _width(text: str) -> int:
    """The columns ``text`` takes in a terminal: a Korean, Chinese or Japanese character takes
    two, and accounts made before ``user add`` applied sign-up's name rule may have them."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


@user_group.command("password", with_appcontext=False)
@click.argument("name")
@click.option(
    "--password",
    envvar="STUDYAPP_NEW_PASSWORD",
    help="The new password (prompted for when not given; or set STUDYAPP_NEW_PASSWORD).",
)
def user_password_command(name: str, password: str | None) -> None:
    """Set a new password for an account, such as a student's who forgot theirs.

    NAME is matched ignoring case, as on the sign-in page. The password obeys the sign-up
    form's limits. Every device signed in to the account is signed out.
    """
    from werkzeug.security import generate_password_hash

    from .web.auth import SignupForm

    if password is not None:
        problem = _length_problem(password, SignupForm.password)
        if problem:
            raise click.BadParameter(problem, param_hint="--password")
    app = _app()
    with app.extensions["studyapp"].open_store() as store:
        user = _account(store, name)
        if password is None:
            # Asked for here, not by the option, so that a mistyped NAME is reported before
            # anyone types a password twice; a password of the wrong length is asked again.
            password = _ask_password(f"New password for '{user.name}'", SignupForm.password)
        store.update_user(user.id, password_hash=generate_password_hash(password))
    click.echo(f"Set a new password for {user.role} '{user.name}'.")


def _ask_password(text: str, field: Any) -> str:
    """Ask for a password twice, hidden, until the sign-up form's ``field`` would take it.

    Without a terminal (a script, cron, ``ssh host cmd``) getpass cannot hide the input: it
    warns and reads stdin in clear. The help promises a prompt or ``STUDYAPP_NEW_PASSWORD``, not
    a password read from a pipe, so this refuses and says how to pass it. getpass's warning,
    made an error, decides: it comes exactly when getpass cannot hide the input, before it
    writes or reads anything.
    """
    from getpass import GetPassWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", GetPassWarning)
        try:
            return click.prompt(
                text,
                hide_input=True,
                confirmation_prompt=True,
                value_proc=lambda value: _password_or_retry(value, field),
            )
        except GetPassWarning:
            raise click.ClickException(
                "no terminal to type the password on: set STUDYAPP_NEW_PASSWORD (or pass "
                "--password) and run the command again"
            ) from None


def _password_or_retry(value: str, field: Any) -> str:
    problem = _length_problem(value, field)
    if problem:
        raise click.UsageError(problem)  # click.prompt shows it and asks again
    return value


@user_group.command("role", with_appcontext=False)
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES), metavar="ROLE")
def user_role_command(name: str, role: str) -> None:
    """Give an account the student or the instructor role.

    ROLE is student or instructor; NAME is matched ignoring case, as on the sign-in page. The
    last instructor cannot become a student: nobody could then open the instructor pages (make
    another account an instructor first). The change applies from the account's next page,
    without signing in again.
    """
    app = _app()
    with app.extensions["studyapp"].open_store() as store:
        # One write transaction for the check and the change, so that two demotions run at
        # once cannot both see another instructor left and leave none.
        with store.write():
            user = _account(store, name)
            if user.role == role:
                click.echo(f"'{user.name}' is already {_a(role)}; nothing changed.")
                return
            if user.role == "instructor" and len(store.users("instructor")) == 1:
                raise click.ClickException(
                    f"'{user.name}' is the last instructor: as a student, nobody could open "
                    "the instructor pages or manage the course there. Make another account an "
                    "instructor first ('studyapp user role NAME instructor', or 'studyapp user "
                    "add NAME --instructor'). Nothing changed."
                )
            store.update_user(user.id, role=role)
    click.echo(f"'{user.name}' was {_a(user.role)} and is now {_a(role)}.")


def _a(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def _account(store: Store, name: str) -> User:
    """The account called ``name``, found as sign-in finds it (ignoring case)."""
    import difflib

    user = store.user_by_name(name)
    if user is None:
        names = [u.name for u in store.users()]
        close = difflib.get_close_matches(name, names, n=3)
        hint = (
            "did you mean " + " or ".join(f"'{n}'" for n in close) + "?"
            if close
            else "'studyapp user list' shows the accounts"
        )
        raise click.ClickException(f"no account named '{name}': {hint}")
    return user


def _length_rule(field: Any) -> tuple[int, int]:
    """The (min, max) length a sign-up form field accepts, from its Length validators, so that
    an account made here obeys the forms' limits (a longer name or password could never sign
    in). WTForms writes -1 for a bound a validator leaves open."""
    from wtforms.validators import Length

    rules = [v for v in field.kwargs["validators"] if isinstance(v, Length)]
    low = max((r.min for r in rules if r.min >= 0), default=0)
    high = min((r.max for r in rules if r.max >= 0), default=sys.maxsize)
    return low, high


def _check_account(name: str, password: str | None) -> None:
    """Refuse, as the sign-up form would, a name it does not accept or a password of a length
    it does not accept (None: the password is yet to be asked for).

    The name is checked as the store will keep it, stripped.
    """
    from .web.auth import SignupForm

    name = name.strip()
    problem = _length_problem(name, SignupForm.name)
    if not problem and (rule := _pattern_problem(name, SignupForm.name)):
        problem = f"{name!r} is not a name sign-up accepts: {rule}"
    if problem:
        raise click.BadParameter(problem, param_hint="NAME")
    problem = None if password is None else _length_problem(password, SignupForm.password)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")


def _pattern_problem(value: str, field: Any) -> str | None:
    """What a sign-up form field's Regexp validators say of ``value``, if anything.

    Read from the form, as the lengths are (for the name, ``NAME_RULE`` in ``web.auth``), so
    that the command and the form apply one rule in the same words and cannot drift apart.
    """
    from wtforms.validators import Regexp

    for rule in field.kwargs["validators"]:
        if isinstance(rule, Regexp) and not rule.regex.match(value):
            why = rule.message or f"match {rule.regex.pattern}"
            return why[:1].lower() + why[1:]
    return None


def _length_problem(value: str, field: Any) -> str | None:
    """What is wrong with the length of ``value`` for a sign-up form field, if anything."""
    low, high = _length_rule(field)
    if len(value) < low:
        return f"use at least {low} characters"
    if len(value) > high:
        return (
            f"use at most {high} characters (this one has {len(value)}): the sign-in form "
            "accepts no more"
        )
    return None
