"""An app with a module that autodiscover_modules() imports."""
