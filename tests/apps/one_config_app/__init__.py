"""An app whose apps.py has exactly one AppConfig subclass."""
