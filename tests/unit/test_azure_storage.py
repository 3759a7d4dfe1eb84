"""The Azure artifact store's redundancy under the mocks (issue 18 Azure 9): the SKU each region gets.

`Standard_ZRS` was hard-coded, and Azure Storage offers ZRS only in some regions
(https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs), so a platform in
`westus` failed at `up`. The store now takes `artifacts.redundancy`, by default ZRS where the
region offers it and LRS elsewhere; impossible combinations are refused at preview
(tests/unit/test_bad_inputs.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pulumi
import pytest
from mlserving_provider.clouds.azure import regions
from pulumi.output import _OutputData

from tests import mocks
from tests.unit.conftest import Build

ACCOUNT = "azure-native:storage:StorageAccount"


def sku(build: Build, azure: dict[str, Any], artifacts: dict[str, Any] | None = None) -> Any:
    recorder, _, _ = build({"cloud": "azure", "azure": azure, **({"artifacts": artifacts} if artifacts else {})})
    return recorder.one(ACCOUNT).inputs["sku"]


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("westeurope", "Standard_ZRS"),
        ("West Europe", "Standard_ZRS"),  # a display name is the same region
        ("westus2", "Standard_ZRS"),
        ("West US 3", "Standard_ZRS"),
        ("westus", "Standard_LRS"),  # no zone-redundant storage in West US
        ("northcentralus", "Standard_LRS"),
        ("ukwest", "Standard_LRS"),
        ("japanwest", "Standard_LRS"),
    ],
)
def test_the_default_is_zrs_where_the_region_offers_it_else_lrs(build: Build, location: str, expected: str) -> None:
    assert sku(build, {"location": location}) == {"name": expected}


@pytest.mark.parametrize(
    ("location", "redundancy"),
    [("westeurope", "LRS"), ("westeurope", "GZRS"), ("westus", "GRS"), ("italynorth", "ZRS"), ("eastus2", "GZRS")],
)
def test_a_given_redundancy_is_the_sku(build: Build, location: str, redundancy: str) -> None:
    assert sku(build, {"location": location}, {"redundancy": redundancy}) == {"name": f"Standard_{redundancy}"}


def test_a_location_known_only_at_deployment_gets_its_default_then(build: Build) -> None:
    """The location may be an Output (another resource's): the default follows its value."""

    def later(value: str) -> pulumi.Output[str]:
        future: asyncio.Future[_OutputData[str]] = asyncio.get_event_loop().create_future()
        future.set_result(_OutputData(resources=set(), value=value, is_known=True, is_secret=False))
        return pulumi.Output._from_data(future)

    assert sku(build, {"location": later("westus")}) == {"name": "Standard_LRS"}
    assert sku(build, {"location": later("westus")}, {"redundancy": "ZRS"}) == {"name": "Standard_ZRS"}


def test_the_store_keeps_its_other_settings_whatever_the_redundancy(build: Build) -> None:
    recorder, _, _ = build({"cloud": "azure", "azure": {"location": "westus"}})
    account = recorder.one(ACCOUNT).inputs
    assert (account["kind"], account["minimumTlsVersion"], account["allowBlobPublicAccess"]) == (
        "StorageV2",
        "TLS1_2",
        False,
    )
    assert mocks.monitor().options["ml-artifacts"]["retainOnDelete"] is True


def test_the_region_lists_are_the_ones_the_schema_states() -> None:
    """The schema lists the regions for its readers (and the fuzzer's oracle); regions.py is the one the
    provider reads. They must be the same lists."""
    from tests.unit import oracle

    assert oracle.ZRS_REGIONS == regions.ZRS_REGIONS
    assert oracle.GZRS_REGIONS == regions.GZRS_REGIONS
    # GZRS is ZRS plus a copy in the paired region: never offered where ZRS is not.
    assert regions.GZRS_REGIONS <= regions.ZRS_REGIONS
    assert (
        tuple(e["value"] for e in oracle.SCHEMA["types"]["mlserving:index:StorageRedundancy"]["enum"])
        == regions.REDUNDANCIES
    )


@pytest.mark.parametrize("retain", [True, False])
def test_a_kept_store_keeps_its_versioning_soft_delete_and_expiry(build: Build, retain: bool) -> None:
    """What `destroy` keeps is as protected as before (issue 18 Azure 13): the blob service properties
    and the lifecycle policy follow the account."""
    build({"cloud": "azure", "azure": {"location": "westeurope"}, "artifacts": {"retainOnDelete": retain}})
    options = mocks.monitor().options
    kept = {name: options[name]["retainOnDelete"] for name in ("ml-artifacts", "ml-models", "ml-rg")}
    kept |= {name: options[name]["retainOnDelete"] for name in ("ml-artifacts-blob-service", "ml-artifacts-lifecycle")}
    assert kept == dict.fromkeys(kept, retain)
    # What the account holds for events is not the store: deleted on destroy either way.
    assert options["ml-release-events"]["retainOnDelete"] is False
    assert options["ml-release-events-deadletter"]["retainOnDelete"] is False
