"""Testing tools with Django's names: the test client, request factory and test cases."""

from fastjango.test.client import AsyncClient, AsyncRequestFactory, Client, RequestFactory
from fastjango.test.testcases import (
    SimpleTestCase,
    TestCase,
    TransactionTestCase,
    skipIfDBFeature,
    skipUnlessAnyDBFeature,
    skipUnlessDBFeature,
)
from fastjango.test.utils import modify_settings, override_settings

__all__ = [
    "AsyncClient",
    "AsyncRequestFactory",
    "Client",
    "RequestFactory",
    "SimpleTestCase",
    "TestCase",
    "TransactionTestCase",
    "modify_settings",
    "override_settings",
    "skipIfDBFeature",
    "skipUnlessAnyDBFeature",
    "skipUnlessDBFeature",
]
