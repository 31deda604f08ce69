"""The models tag runs every installed model's check(), as Django's check_all_models does."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from fastjango.apps import apps
from fastjango.core import checks
from fastjango.core.checks.model_checks import check_all_models
from fastjango.core.management import call_command
from fastjango.db import models

LABEL = "model_checks_app"


@pytest.fixture
def bad_model() -> Iterator[type[models.Model]]:
    class Price(models.Model):
        amount = models.DecimalField(max_digits=5)  # no decimal_places: fields.E130

        class Meta:
            app_label = LABEL

    yield Price
    apps.all_models[LABEL].clear()
    apps.clear_cache()


class _AppConfig:
    def __init__(self, model: type[models.Model]) -> None:
        self.model = model

    def get_models(self) -> list[type[models.Model]]:
        return [self.model]


def test_check_all_models_reports_field_errors(bad_model: type[models.Model]) -> None:
    errors = check_all_models(app_configs=[_AppConfig(bad_model)])  # type: ignore[list-item]
    assert [error.id for error in errors] == ["fields.E130"]


def test_check_command_knows_the_models_tag() -> None:
    out = io.StringIO()
    call_command("check", tag=[checks.Tags.models], stdout=out)
    assert "System check identified no issues" in out.getvalue()
