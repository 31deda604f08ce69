"""An app whose apps.py marks two AppConfig subclasses as default (an error)."""
