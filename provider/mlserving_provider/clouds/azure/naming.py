"""Azure resource names within each service's length and character rules.

Pure functions, so they are tested without a cloud. `suffix` is the platform's
random hex (pulumi-random), added wherever Azure wants a globally (or regionally)
unique name. Rules: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules

Names we choose (`storage_account`, `key_vault`, ...) are built to fit. The other children
are *autonamed*: azure-native names them `<URN name><8 random hex>`, with no separator and no
length limit of its own (pulumi-azure-native provider/pkg/provider/provider.go `getDefaultName`:
`resource.NewUniqueName(randomSeed, name, 8, 0, nil)`, where `name` is the last `::` part of
the URN, the logical name). A component named with `_` or `.`, or a long one, then gives a name
the service refuses (a Front Door endpoint takes 2-46 letters, digits and hyphens). `child`
gives every autonamed child a logical name whose autoname fits its service (`Rule`); it leaves a
name that already fits unchanged, so no existing resource moves.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import semver

__all__ = [
    "ACTION_GROUP",
    "AFD_CUSTOM_DOMAIN",
    "AFD_ENDPOINT",
    "AFD_ORIGIN",
    "AFD_ORIGIN_GROUP",
    "AFD_ROUTE",
    "APP_INSIGHTS",
    "AUTONAME_SUFFIX",
    "AUTOSCALE_SETTING",
    "EVENT_GRID_SYSTEM_TOPIC",
    "FRONT_DOOR_PROFILE",
    "LOG_ANALYTICS_WORKSPACE",
    "METRIC_ALERT",
    "MODEL_VERSION_MAX",
    "PRIVATE_ENDPOINT",
    "VIRTUAL_NETWORK_LINK",
    "Rule",
    "apim_service",
    "child",
    "deployment",
    "event_topic",
    "fits",
    "iso_duration",
    "iso_duration_ms",
    "key_vault",
    "ml_endpoint",
    "ml_workspace",
    "model_asset",
    "model_version",
    "model_version_problem",
    "named",
    "named_value",
    "resource_group",
    "storage_account",
    "version_label",
]

# An Azure ML model version must be a positive integer (Azure/azureml-examples#2725), so a
# release version MAJOR.MINOR.PATCH is packed as MAJOR * 1,000,000 + MINOR * 1,000 + PATCH:
# `2.1.0` is model version 2001000. The packing keeps the order of versions, and these
# bounds keep it below 2**31 - 1 (2146.999.999 is 2146999999).
MODEL_VERSION_MAX = (2146, 999, 999)

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_HYPHENS = re.compile(r"-{2,}")


def _alnum(text: str) -> str:
    """Lowercase letters and digits only."""
    return _NOT_ALNUM.sub("", text.lower())


def _hyphenated(text: str) -> str:
    """Lowercase letters, digits and single hyphens, trimmed of hyphens."""
    return _HYPHENS.sub("-", _NOT_ALNUM.sub("-", text.lower())).strip("-")


def _fit(head: str, tail: str, limit: int, sep: str = "-") -> str:
    """`head<sep>tail` cut to `limit` by shortening `head` (the tail keeps uniqueness)."""
    room = limit - len(tail) - len(sep)
    head = head[: max(room, 0)].rstrip("-")
    return f"{head}{sep}{tail}" if head else tail


def _letter_first(text: str, prefix: str) -> str:
    return text if text[:1].isalpha() else f"{prefix}{text}"


# ---------------------------------------------------------------- autonamed and derived names

# azure-native's autoname: 8 random lowercase hex digits after the logical name.
AUTONAME_SUFFIX = 8
_RULES_PAGE = "https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules"


@dataclass(frozen=True)
class Rule:
    """What a service accepts as a resource name, with the doc that says so."""

    min_length: int
    max_length: int
    # Every character the service accepts; a run of any other becomes one `-`.
    allowed: str
    # The whole name (first and last characters, which a character class cannot say).
    pattern: re.Pattern[str]
    source: str

    def refused(self) -> re.Pattern[str]:
        return re.compile(f"[^{self.allowed}]+")


def _letters_digits_hyphens(low: int, high: int, source: str) -> Rule:
    """`low` (at least 1) to `high` letters, digits and hyphens, starting and ending with a letter or digit."""
    middle = f"{{{max(low - 2, 0)},{high - 2}}}"
    inner = f"[A-Za-z0-9-]{middle}[A-Za-z0-9]"
    whole = f"^[A-Za-z0-9](?:{inner})?$" if low == 1 else f"^[A-Za-z0-9]{inner}$"
    return Rule(low, high, "A-Za-z0-9-", re.compile(whole), source)


# Microsoft.OperationalInsights/workspaces: 4-63 alphanumerics and hyphens, start and end with alphanumeric.
LOG_ANALYTICS_WORKSPACE = _letters_digits_hyphens(4, 63, f"{_RULES_PAGE}#microsoftoperationalinsights")
# Microsoft.Cdn/profiles: 1-260 alphanumerics and hyphens, start and end with alphanumeric (the rules
# page); the azurerm provider's validation of a Front Door Standard/Premium profile allows 2-90, the
# stricter is kept (hashicorp/terraform-provider-azurerm internal/services/cdn/validate FrontDoorName).
FRONT_DOOR_PROFILE = _letters_digits_hyphens(
    2, 90, f"{_RULES_PAGE}#microsoftcdn; hashicorp/terraform-provider-azurerm internal/services/cdn/validate"
)
# Microsoft.Cdn/profiles/afdEndpoints: 2-46 (the endpoint's host name is `<name>-<hash>.z01.azurefd.net`).
AFD_ENDPOINT = _letters_digits_hyphens(
    2,
    46,
    "hashicorp/terraform-provider-azurerm internal/services/cdn/validate/cdn_frontdoor_endpoint_name.go "
    "(the service's own limit; the rules page does not list afdEndpoints)",
)
# Microsoft.Cdn/profiles/originGroups, originGroups/origins and afdEndpoints/routes: 1-50 on the rules
# page (the azurerm provider allows 2-90 for groups and routes; the stricter is kept).
AFD_ORIGIN_GROUP = _letters_digits_hyphens(1, 50, f"{_RULES_PAGE}#microsoftcdn")
AFD_ORIGIN = _letters_digits_hyphens(1, 50, f"{_RULES_PAGE}#microsoftcdn")
AFD_ROUTE = _letters_digits_hyphens(1, 50, f"{_RULES_PAGE}#microsoftcdn")
# Microsoft.Cdn/profiles/customDomains: 2-260 (azurerm's CdnFrontDoorCustomDomainName).
AFD_CUSTOM_DOMAIN = _letters_digits_hyphens(
    2, 260, "hashicorp/terraform-provider-azurerm internal/services/cdn/validate CdnFrontDoorCustomDomainName"
)
# Microsoft.EventGrid/systemTopics: 3-128 letters, digits and hyphens (`^[-a-zA-Z0-9]{3,128}$`, azurerm's
# eventgrid_system_topic_resource.go; the rules page lists topics, 3-50, but not system topics).
EVENT_GRID_SYSTEM_TOPIC = Rule(
    3,
    128,
    "A-Za-z0-9-",
    re.compile(r"^[-a-zA-Z0-9]{3,128}$"),
    "hashicorp/terraform-provider-azurerm internal/services/eventgrid/eventgrid_system_topic_resource.go",
)


def _insights(source: str) -> Rule:
    """Microsoft.Insights names: each type refuses its own characters (`%&\\?/` for components,
    `:<>+/&%\\?` for action groups, `*#&+:<>?@%{}\\/` for metric alerts), control characters and
    a trailing space or period. Letters, digits, `-`, `_`, `.` and parentheses are accepted by every
    one of them, so those are kept; 255 is the shortest limit stated for any of them."""
    return Rule(1, 255, "A-Za-z0-9_.()-", re.compile(r"^[A-Za-z0-9_.()-]{0,254}[A-Za-z0-9_()-]$"), source)


APP_INSIGHTS = _insights(f"{_RULES_PAGE}#microsoftinsights (components)")
ACTION_GROUP = _insights(f"{_RULES_PAGE}#microsoftinsights (actionGroups)")
METRIC_ALERT = _insights(f"{_RULES_PAGE}#microsoftinsights (metricAlerts)")
# Not on the rules page: held to what every Microsoft.Insights type there accepts.
AUTOSCALE_SETTING = _insights(f"{_RULES_PAGE}#microsoftinsights (autoscale settings: not listed)")


def _network(low: int, high: int, source: str) -> Rule:
    """Microsoft.Network names: letters, digits, `_`, `.` and `-`, starting with a letter or digit and ending with a
    letter, digit or `_`."""
    middle = f"{{{max(low - 2, 0)},{high - 2}}}"
    return Rule(low, high, "A-Za-z0-9_.-", re.compile(f"^[A-Za-z0-9](?:[A-Za-z0-9_.-]{middle}[A-Za-z0-9_])?$"), source)


# Microsoft.Network/privateDnsZones/virtualNetworkLinks: 1-80 (the rules page).
VIRTUAL_NETWORK_LINK = _network(1, 80, f"{_RULES_PAGE}#microsoftnetwork (privateDnsZones / virtualNetworkLinks)")
# Microsoft.Network/privateEndpoints: not on the stored copy of the rules page; held to the shortest range its
# Microsoft.Network rows give (virtualNetworks, 2-64) with the characters every row there states.
PRIVATE_ENDPOINT = _network(
    2, 64, f"{_RULES_PAGE}#microsoftnetwork (privateEndpoints: not listed; virtualNetworks' 2-64)"
)


def fits(name: str, rule: Rule) -> bool:
    """Whether the service accepts `name`."""
    return rule.min_length <= len(name) <= rule.max_length and rule.pattern.match(name) is not None


def _digest(text: str, length: int = 6) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _clean(text: str, rule: Rule) -> str:
    """`text` with every run of refused characters as one `-`, trimmed of what may not start or end a name."""
    return _HYPHENS.sub("-", rule.refused().sub("-", text)).strip("-._()")


def _fitted(component: str, kind: str, rule: Rule, reserved: int) -> str:
    """`<component>-<kind>`, or when it does not fit in `rule` with `reserved` characters after it,
    the component cleaned and cut, then `kind` and a hash of the whole original name (so two
    components whose names differ only in refused characters or past the cut stay distinct)."""
    name = f"{component}-{kind}"
    # An autoname's suffix is lowercase hex: a name that fits with `00000000` fits with any.
    if fits(name + "0" * reserved, rule):
        return name
    tail = f"{_clean(kind, rule)}-{_digest(name)}"
    room = rule.max_length - reserved - len(tail) - 1
    head = _clean(component, rule)[: max(room, 0)].rstrip("-._()")
    return f"{head}-{tail}" if head else tail


def child(component: str, kind: str, rule: Rule) -> str:
    """The logical name of the autonamed child `kind` of `component`, whose azure-native autoname
    (`<logical name><8 hex>`) `rule` accepts: `<component>-<kind>` when that fits, else
    `<cleaned, cut component>-<kind>-<hash>`."""
    return _fitted(component, kind, rule, AUTONAME_SUFFIX)


def named(component: str, kind: str, rule: Rule) -> str:
    """A name we give a child ourselves, `<component>-<kind>`, fitted to `rule` like `child`."""
    return _fitted(component, kind, rule, 0)


def resource_group(platform: str, suffix: str) -> str:
    """`rg-<platform>-<suffix>`: 1-90 letters, digits, `-_.()`, unique in the subscription."""
    return _fit(_hyphenated(f"rg-{platform}"), suffix, 90)


def storage_account(platform: str, suffix: str) -> str:
    """3-24 lowercase letters and digits, globally unique."""
    return _fit(_letter_first(_alnum(platform), "ml") or "ml", suffix, 24, sep="")


def key_vault(platform: str, suffix: str) -> str:
    """3-24 letters, digits and single hyphens, starting with a letter, globally unique."""
    return _fit(_letter_first(_hyphenated(f"kv-{platform}"), "kv"), suffix, 24)


def apim_service(platform: str, suffix: str) -> str:
    """1-50 letters, digits and hyphens, starting with a letter, globally unique (`<name>.azure-api.net`)."""
    return _fit(_letter_first(_hyphenated(f"apim-{platform}"), "apim"), suffix, 50)


def event_topic(platform: str, suffix: str) -> str:
    """3-50 letters, digits and hyphens, unique in the region (`<name>.<region>-1.eventgrid.azure.net`)."""
    return _fit(_hyphenated(f"{platform}-events"), suffix, 50)


def ml_workspace(platform: str, suffix: str) -> str:
    """3-33 letters, digits, `-` and `_`, starting with a letter or digit: `mlw-<platform>-<suffix>`.

    A deleted workspace is soft-deleted for 14 days and its name cannot be reused meanwhile,
    so the name ends in the platform's random suffix like the globally unique names.
    https://learn.microsoft.com/azure/machine-learning/concept-soft-delete
    """
    return _fit(_hyphenated(f"mlw-{platform}"), suffix, 33)


def ml_endpoint(suffix: str, model_name: str, api_version: str) -> str:
    """3-32 letters, digits and hyphens, starting with a letter, unique in the region.

    `e<suffix>-<model>-<apiVersion>`; a model name too long to fit is shortened and a
    hash of the whole name keeps it distinct.
    """
    full = f"e{suffix}-{_hyphenated(model_name)}-{api_version}"
    if len(full) <= 32:
        return full
    digest = hashlib.sha256(full.encode()).hexdigest()[:6]
    return _fit(full[: 32 - 7], digest, 32)


def deployment(slot: str, kind: str) -> str:
    """3-32 letters, digits and hyphens, starting with a letter: `<slot>-<kind>`."""
    return _fit(_hyphenated(slot), _hyphenated(kind), 32)


def named_value(text: str) -> str:
    """An API Management named value: 1-80 letters, digits, `-`, `_` and `.`; a longer one is cut and
    ends in a digest of the whole, so two long names stay two named values."""
    name = _hyphenated(text) or "value"
    return name if len(name) <= 80 else _fit(name, _digest(name), 80)


# The longest display names API Management takes for the service's publisher, a version set and a
# subscription (azure-mgmt-apimanagement 5.0.0 models: ApiManagementServiceProperties.publisher_name,
# ApiVersionSetContractProperties.display_name, SubscriptionCreateParameters.display_name: max_length 100).
APIM_DISPLAY_NAME_MAX = 100


def display_name(text: str, limit: int = APIM_DISPLAY_NAME_MAX) -> str:
    """A display name of at most `limit` characters; a longer one is cut and ends in a digest of the whole."""
    return text if len(text) <= limit else _fit(text, _digest(text), limit, sep="~")


def version_label(version: str) -> str:
    """A model version as an Azure ML asset version (letters, digits, `.`, `-`, `_`)."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", version)


def model_version_problem(version: str) -> str | None:
    """Why a semantic version has no Azure ML model version (the reason, without the property name), or None."""
    parsed = semver.Version.parse(version)
    why = "on Azure, whose model versions are integers (MAJOR * 1000000 + MINOR * 1000 + PATCH)"
    if parsed.prerelease or parsed.build:
        return f"must be MAJOR.MINOR.PATCH without a pre-release or build suffix {why} (got {version!r})"
    major, minor, patch = MODEL_VERSION_MAX
    if parsed.major > major or parsed.minor > minor or parsed.patch > patch:
        return f"must have MAJOR <= {major}, MINOR <= {minor} and PATCH <= {patch} {why} (got {version!r})"
    if model_version(version) == 0:
        return f"must be greater than 0.0.0 on Azure, whose model versions are positive integers (got {version!r})"
    return None


def model_version(version: str) -> int:
    """The Azure ML model version of a release version (see MODEL_VERSION_MAX): `2.1.0` -> 2001000."""
    parsed = semver.Version.parse(version)
    return parsed.major * 1_000_000 + parsed.minor * 1_000 + parsed.patch


def model_asset(model_name: str, api_version: str, sha256: str) -> str:
    """An Azure ML model name: `<model>-<apiVersion>-<sha256[:8]>`.

    Model versions are immutable: only their description and tags change after creation
    (https://learn.microsoft.com/azure/machine-learning/how-to-manage-models). The name carries the
    artifact's digest, so a new artifact under the same release version is a new model, never
    a change to a registered one.
    """
    return f"{model_name}-{api_version}-{sha256[:8]}"


def iso_duration_ms(milliseconds: int) -> str:
    """Milliseconds as an ISO 8601 duration (`PT29S`, `PT1M30S`, `PT0.5S`)."""
    seconds, rest = divmod(milliseconds, 1000)
    whole = iso_duration(seconds)
    if not rest:
        return whole
    fraction = f"{rest / 1000:.3f}".rstrip("0")[1:]  # ".5"
    # `PT1M30S` + .5 -> `PT1M30.5S`; `PT1M` + .5 -> `PT1M0.5S`.
    return f"{whole[:-1]}{fraction}S" if whole.endswith("S") else f"{whole}0{fraction}S"


def iso_duration(seconds: int) -> str:
    """Seconds as the ISO 8601 duration Azure Monitor writes back (`PT5M`, `PT1M30S`)."""
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    out = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{rest}S" if rest else "")
    return out if out != "PT" else "PT0S"
