"""``studyapp export``: Anki packages or Moodle XML from the banks, written into ``export/``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .banks import bank_paths
from .cli_options import QUESTIONS_OPTION, display
from .config import questions_dir, read_settings
from .problems import render, sort_problems, source_lines


@click.command("export")
@QUESTIONS_OPTION
@click.option(
    "--bank",
    "bank_ids",
    multiple=True,
    metavar="ID",
    help="Export only the bank with this id; repeat for several. The course package is then "
    "left as it is.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the packages (default: the EXPORT_DIR setting, ./export). Keep it between "
    "exports: the packages in it tell the next export which questions are unchanged.",
)
@click.option(
    "--course",
    "course_title",
    help="Name of the course deck, which holds one subdeck per reading (default: the "
    "COURSE_TITLE setting, 'China-South Korea Relations').",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["anki", "moodle-xml"]),
    default="anki",
    show_default=True,
    help="anki: Anki packages (.apkg); moodle-xml: Moodle XML quiz questions (.xml) for "
    "Moodle's question bank import, a category per reading.",
)
def export_command(
    questions: Path | None,
    bank_ids: tuple[str, ...],
    out_dir: Path | None,
    course_title: str | None,
    fmt: str,
) -> None:
    """Write Anki decks: one package (.apkg) per reading and one for the whole course.

    Students open a package in Anki (File > Import). Importing a later export updates the
    questions an instructor edited and adds new ones, keeping every review. Drafts are left out.
    A bank with problems stops the export before anything is written. With --format moodle-xml
    the same files are Moodle XML instead; self-graded card questions have no Moodle equivalent
    and are left out (the summary says how many).
    """
    from .banks import load_bank
    from .export import anki

    folder = questions_dir(questions)
    files = bank_paths(folder)
    if not files:
        raise click.ClickException(f"no bank (*.yaml) in {display(folder)}")
    err = sys.stderr
    sizes = [f.stat().st_size for f in files]
    results = []
    # About 300 bytes a question: a bar from some thousands of questions, which take seconds.
    with click.progressbar(
        length=sum(sizes), label="Loading banks", hidden=sum(sizes) < 1_000_000, file=err
    ) as bar:
        for f, size in zip(files, sizes, strict=True):
            results.append(load_bank(f, display(f)))
            bar.update(size)
    loaded = [r.bank for r in results if r.bank is not None]
    by_id: dict[str, list[Path]] = {}
    for b in loaded:
        by_id.setdefault(b.id, []).append(b.path)
    twice = {i: ps for i, ps in by_id.items() if len(ps) > 1}
    if twice:
        i, ps = next(iter(twice.items()))
        names = " and ".join(display(p) for p in ps)
        raise click.ClickException(f"{names} both have id '{i}': give each bank its own id")
    broken = [r for r in results if r.bank is None]
    missing = [i for i in bank_ids if i not in by_id]
    if broken and (not bank_ids or missing):
        problems = sort_problems(p for r in broken for p in r.problems)
        sources = {display(r.path): source_lines(r.source) for r in broken}
        click.echo(render(problems, "full", sources), err=True)
        click.echo(err=True)
        names = ", ".join(display(r.path) for r in broken)
        raise click.ClickException(
            f"{names}: {len(problems)} problem{'s' if len(problems) != 1 else ''} (above); "
            "nothing was written. Fix them (studyapp check shows them again) and export again."
        )
    if missing:
        known = ", ".join(sorted(by_id))
        raise click.ClickException(
            f"no bank with id '{missing[0]}' in {display(folder)}; the banks are: {known}"
        )
    banks = [b for b in loaded if not bank_ids or b.id in bank_ids]
    empty = [b.id for b in banks if not b.live_questions]
    banks = [b for b in banks if b.live_questions]
    if not banks:
        raise click.ClickException("no questions to export: every question is a draft")
    # The settings the web download uses too (instance config.py, STUDYAPP_* variables).
    settings = read_settings()
    out = out_dir or Path(settings["EXPORT_DIR"])
    title = course_title or str(settings["COURSE_TITLE"])
    if fmt == "moodle-xml":
        from .export import moodle

        try:
            written = moodle.write_quiz_files(
                banks, out, course_title=title, course_file=not bank_ids
            )
        except OSError as exc:
            raise click.ClickException(
                f"cannot write to {display(out)}: {exc.strerror or exc}"
            ) from None
        click.echo(moodle.summary(written, display(out)))
        return
    notes = sum(len(b.live_questions) for b in banks)
    cards = sum(len(q.card_numbers) for b in banks for q in b.live_questions)
    steps = notes if bank_ids else 2 * notes
    try:
        with click.progressbar(
            length=steps, label="Writing decks", hidden=steps < 20_000, file=err
        ) as bar:
            paths = anki.write_decks(
                banks, out, course_title=title, course_package=not bank_ids, progress=bar.update
            )
    except OSError as exc:
        raise click.ClickException(
            f"cannot write to {display(out)}: {exc.strerror or exc}"
        ) from None
    where = display(out)
    if bank_ids:
        what = ", ".join(p.name for p in paths)
    else:
        n = len(paths) - 1
        what = f"{n} reading package{'s' if n != 1 else ''} and the course package {paths[-1].name}"
    skipped = f"; skipped {', '.join(empty)} (only drafts)" if empty else ""
    click.echo(f"Wrote {what} ({notes} notes, {cards} cards) to {where}/{skipped}.")
