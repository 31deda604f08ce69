"""A second installed app, to check the order apps are searched in."""
