"""The form that starts a practice test, with its messages in the app's words.

Every message names its field and says what to give: WTForms' defaults ("Number must be between
0.1 and 240", "'x' is not a valid choice for this field", "Not a valid integer value.") do
neither, and a number that does not parse would get two messages, WTForms' and the range's.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, RadioField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

LAYOUTS = {"one": "One question per page", "all": "All questions on one page"}
MAX_QUESTIONS = 100
MAX_MINUTES = 240


class WholeNumberField(IntegerField):
    """An IntegerField that leaves ``data`` None for input that is not a whole number.

    WTForms would add its own "Not a valid integer value." beside the range message; leaving
    the range validator to refuse the None shows one message, in the app's words.
    """

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


class NumberField(FloatField):
    """A FloatField that leaves ``data`` None for input that is not a number (as above)."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None


COUNT_MESSAGE = f"Number of questions: give a whole number from 1 to {MAX_QUESTIONS}."
MINUTES_MESSAGE = f"Time limit: give a number of minutes from 0.1 to {MAX_MINUTES}."


class StartForm(FlaskForm):
    """Readings, how many questions, a time limit, and one page or one question at a time.

    The readings' choices are the banks in service, set by the view for each request.
    """

    banks = SelectMultipleField(
        "Readings",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[InputRequired(message="Pick at least one reading.")],
        invalid_choice_message="A reading you picked is no longer offered: pick again.",
    )
    count = WholeNumberField(
        "Number of questions",
        default=10,
        validators=[
            InputRequired(message=COUNT_MESSAGE),
            NumberRange(1, MAX_QUESTIONS, message=COUNT_MESSAGE),
        ],
    )
    minutes = NumberField(
        "Time limit in minutes",
        validators=[Optional(), NumberRange(0.1, MAX_MINUTES, message=MINUTES_MESSAGE)],
    )
    layout = RadioField(
        "Show",
        choices=[SelectChoice(k, v) for k, v in LAYOUTS.items()],
        default="one",
        invalid_choice_message="Show: pick one question per page or all questions on one page.",
    )
