"""An app with no apps.py: it gets a plain AppConfig."""
