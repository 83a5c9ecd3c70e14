"""Collect every scenario of the project's regression suite in features/."""

from pytest_bdd import scenarios

scenarios("../features")
