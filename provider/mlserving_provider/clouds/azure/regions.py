"""Which Azure regions offer zone-redundant storage: the one copy of Microsoft's lists in mlserving.

Read on 2026-12-06 from (a stored copy of) Microsoft's pages:
- ZRS for standard general-purpose v2 accounts: https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs
- GZRS: https://learn.microsoft.com/azure/storage/common/redundancy-regions-gzrs

Microsoft adds regions to these lists; ours may lag them (schema.json says so). A region missing
here gets `LRS` by default and has `ZRS`/`GZRS` refused at preview until the list is updated.
Regions are written as ARM names (`westus2`); a display name (`West US 2`) is read the same way.
https://learn.microsoft.com/azure/storage/common/storage-redundancy
"""

from __future__ import annotations

__all__ = [
    "GZRS_REGIONS",
    "GZRS_SOURCE",
    "READ_ON",
    "REDUNDANCIES",
    "ZRS_REGIONS",
    "ZRS_SOURCE",
    "default_redundancy",
    "redundancy_problem",
    "region",
    "sku",
]

READ_ON = "2026-12-06"
ZRS_SOURCE = "https://learn.microsoft.com/azure/storage/common/redundancy-regions-zrs"
GZRS_SOURCE = "https://learn.microsoft.com/azure/storage/common/redundancy-regions-gzrs"
# The schema's StorageRedundancy enum: the Standard SKUs of a StorageV2 account mlserving offers.
REDUNDANCIES = ("LRS", "ZRS", "GRS", "GZRS")

ZRS_REGIONS = frozenset(
    {
        "southafricanorth",
        "australiaeast",
        "centralindia",
        "chinanorth3",
        "eastasia",
        "japaneast",
        "koreacentral",
        "southeastasia",
        "francecentral",
        "germanywestcentral",
        "italynorth",
        "northeurope",
        "norwayeast",
        "polandcentral",
        "spaincentral",
        "swedencentral",
        "switzerlandnorth",
        "uksouth",
        "westeurope",
        "israelcentral",
        "qatarcentral",
        "uaenorth",
        "canadacentral",
        "centralus",
        "eastus",
        "eastus2",
        "mexicocentral",
        "southcentralus",
        "usgovvirginia",
        "westus2",
        "westus3",
        "brazilsouth",
    }
)
GZRS_REGIONS = frozenset(
    {
        "southafricanorth",
        "australiaeast",
        "eastasia",
        "japaneast",
        "koreacentral",
        "southeastasia",
        "centralindia",
        "francecentral",
        "germanywestcentral",
        "northeurope",
        "norwayeast",
        "swedencentral",
        "switzerlandnorth",
        "uksouth",
        "westeurope",
        "uaenorth",
        "canadacentral",
        "centralus",
        "eastus",
        "eastus2",
        "southcentralus",
        "westus2",
        "westus3",
        "usgovvirginia",
        "brazilsouth",
    }
)


def region(location: str) -> str:
    """A location as ARM names it: `West US 2` -> `westus2`."""
    return location.replace(" ", "").lower()


def default_redundancy(location: str) -> str:
    """`ZRS` where the region offers it (the artifacts survive the loss of a zone), else `LRS`."""
    return "ZRS" if region(location) in ZRS_REGIONS else "LRS"


def sku(redundancy: str) -> str:
    """The storage account SKU of a redundancy: `ZRS` -> `Standard_ZRS`."""
    return f"Standard_{redundancy}"


def redundancy_problem(redundancy: str, location: str) -> str | None:
    """Why a region cannot have this redundancy (the reason, without the property name), or None."""
    where = region(location)
    if redundancy == "ZRS" and where not in ZRS_REGIONS:
        return (
            f"must be 'LRS' or 'GRS' in Azure region {location!r}, where Azure Storage offers no zone-redundant "
            f"storage: ZRS and GZRS are offered only in the regions listed at {ZRS_SOURCE} (mlserving's copy, "
            f"read on {READ_ON}, may lag it) (got {redundancy!r})"
        )
    if redundancy == "GZRS" and where not in GZRS_REGIONS:
        allowed = "'LRS', 'ZRS' or 'GRS'" if where in ZRS_REGIONS else "'LRS' or 'GRS'"
        return (
            f"must be {allowed} in Azure region {location!r}, where Azure Storage offers no geo-zone-redundant "
            f"storage: GZRS is offered only in the regions listed at {GZRS_SOURCE} (mlserving's copy, read on "
            f"{READ_ON}, may lag it) (got {redundancy!r})"
        )
    return None
