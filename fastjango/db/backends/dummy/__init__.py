"""The backend of an alias without ENGINE: every use says how to configure it."""
