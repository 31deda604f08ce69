"""A small installed app with templates, for the template tests."""
