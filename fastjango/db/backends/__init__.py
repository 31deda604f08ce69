"""Database backends: one package per vendor on top of the ``base`` package."""
