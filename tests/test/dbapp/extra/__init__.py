"""A second app, for ``available_apps``."""
