"""Modules starting with an underscore are not commands."""
