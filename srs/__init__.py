"""Learn a concept graph by spaced repetition."""

__version__ = "0.1.0"
