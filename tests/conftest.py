"""The garbage collector for every test run (unit, contract, integration).

The cloud SDKs' modules leave millions of long-lived objects after import, which every
automatic full collection walks again: building an Azure platform under the mocks spent
half its time there. After collection, those objects are moved to the permanent generation
(`gc.freeze`), automatic collection is off, and each test's garbage is collected after it
instead, so no test keeps another's memory and nothing long-lived is walked twice.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()
    gc.disable()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    gc.collect()
