"""An app whose discovered module registers something, then fails."""
