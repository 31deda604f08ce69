"""An app whose apps.py has two AppConfig subclasses and no default."""
