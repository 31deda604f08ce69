"""The backend base classes: the whole contract a vendor package implements."""
