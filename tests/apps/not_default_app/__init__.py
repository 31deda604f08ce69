"""An app whose only AppConfig subclass opts out of being picked automatically."""
