"""An app whose ready() fails."""
