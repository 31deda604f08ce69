"""An app whose apps.py has two AppConfig subclasses, one marked default."""
