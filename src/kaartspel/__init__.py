"""kaartspel: turn a card game's content (YAML) into print-ready PDF decks."""

__version__ = "0.1.0"
