"""An app with a models module and a ready() that records the registry's state."""
