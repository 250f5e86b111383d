"""Exporters: the loaded banks written out for other tools.

``anki`` writes Anki packages (.apkg) with genanki, in the note types of ``anki_notetypes``;
``markup`` holds what every exporter shares (bank text as HTML, the citation of a reading).
Exporters read the loaded banks, never the database, and import nothing from Flask.
"""
