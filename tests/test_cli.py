"""The server-side commands: accounts and the database."""

from __future__ import annotations

from studyapp.cli import main

from .conftest import sign_in


def _invoke(args, env):
    from click.testing import CliRunner

    return CliRunner().invoke(main, args, env=env)


def test_user_add_creates_an_instructor_who_can_sign_in(tmp_path, app_config):
    env = {"STUDYAPP_INSTANCE": app_config["INSTANCE_PATH"]}
    result = _invoke(["user", "add", "iris", "--instructor", "--password", "correct horse"], env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Created instructor 'iris'")
    from studyapp import create_app

    app = create_app(app_config)
    with app.extensions["studyapp"].open_store() as store:
        assert store.user_by_name("iris").role == "instructor"
    assert sign_in(app.test_client(), "iris").status_code == 302


def test_user_add_refuses_a_taken_name_and_a_short_password(app_config):
    env = {"STUDYAPP_INSTANCE": app_config["INSTANCE_PATH"]}
    assert _invoke(["user", "add", "ann", "--password", "correct horse"], env).exit_code == 0
    again = _invoke(["user", "add", "ANN", "--password", "correct horse"], env)
    assert again.exit_code == 1 and "an account named 'ANN' already exists" in again.output
    short = _invoke(["user", "add", "bob", "--password", "short"], env)
    assert short.exit_code == 2 and "at least 8 characters" in short.output
    assert "Traceback" not in again.output + short.output


def test_db_migrate_reports_an_up_to_date_database(app_config):
    env = {"STUDYAPP_INSTANCE": app_config["INSTANCE_PATH"]}
    result = _invoke(["db", "migrate"], env)
    assert result.exit_code == 0 and "is up to date" in result.output


def test_an_unexpected_error_gets_the_friendly_500_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something broke on our side" in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)
