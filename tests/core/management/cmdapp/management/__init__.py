"""Test app for management command discovery."""
