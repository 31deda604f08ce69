"""An app whose ready() populates the registry again (an error)."""
