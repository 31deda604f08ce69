"""The request handler: from an ASGI scope to a view and back."""
