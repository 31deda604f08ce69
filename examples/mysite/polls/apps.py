from fastjango.apps import AppConfig


class PollsConfig(AppConfig):
    default_auto_field = "fastjango.db.models.BigAutoField"
    name = "polls"
