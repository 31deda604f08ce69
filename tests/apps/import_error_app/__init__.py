"""An app that fails to import: the error must reach the user unmasked."""

raise ImportError("Oops")
