"""A non-editable install ships the templates, the static files and the five banks."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from studyapp.cli import main

from .conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
    )
    (built,) = out.glob("studyapp-*.whl")
    return built


def test_wheel_carries_templates_static_files_and_banks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for bank in (REPO / "questions").glob("*.yaml"):
        assert f"studyapp/_questions/{bank.name}" in names
        assert f"studyapp/_questions/{bank.stem}.txt" in names
    assert "studyapp/_questions/bank.schema.json" in names
    for template in (REPO / "templates").rglob("*.html"):
        assert f"studyapp/_templates/{template.relative_to(REPO / 'templates')}" in names
    assert "studyapp/static/css/app.css" in names
    assert "studyapp/export/anki.css" in names


def test_installed_wheel_checks_and_serves_the_shipped_banks(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    env = os.environ | {"PYTHONPATH": str(target), "STUDYAPP_INSTANCE": str(tmp_path / "inst")}
    env.pop("STUDYAPP_QUESTIONS", None)
    script = (
        "import studyapp, sys;"
        "assert studyapp.__file__.startswith(sys.argv[1]), studyapp.__file__;"
        "from studyapp import create_app;"
        "app = create_app();"
        "print(sorted(app.extensions['studyapp'].registry.snapshot.banks));"
        "print(app.test_client().get('/login').status_code)"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    banks, status = run.stdout.splitlines()[-2:]
    assert banks == str(sorted(p.stem for p in (REPO / "questions").glob("*.yaml")))
    assert status == "200"


def test_every_command_has_help_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    commands = []

    def walk(group, prefix):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                walk(cmd, f"{prefix}{name} ")
            else:
                commands.append((f"{prefix}{name}", cmd))

    walk(main, "")
    assert {name for name, _ in commands} >= {"check", "serve", "export", "user add", "db migrate"}
    for name, cmd in commands:
        assert cmd.help, f"'studyapp {name}' has no help"
        assert all(p.help for p in cmd.params if p.param_type_name == "option"), name
        assert f"studyapp {name}" in readme, f"'studyapp {name}' is not in the README"
