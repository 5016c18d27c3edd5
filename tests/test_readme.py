"""The README's generated tables match the catalogue and the settings."""

from graph.readme import README, synced


def test_readme_tables_are_up_to_date():
    text = README.read_text(encoding="utf-8")
    assert synced(text) == text, "README.md is out of date: run `.venv/bin/python -m graph.readme`"


def test_readme_names_both_quick_start_commands():
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
