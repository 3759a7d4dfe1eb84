"""Azure resource names within each service's length and character rules.

Pure functions, so they are tested without a cloud. `suffix` is the platform's
random hex (pulumi-random), added wherever Azure wants a globally (or regionally)
unique name. Rules: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
"""

from __future__ import annotations

import hashlib
import re

import semver

__all__ = [
    "MODEL_VERSION_MAX",
    "apim_service",
    "deployment",
    "event_topic",
    "iso_duration",
    "iso_duration_ms",
    "key_vault",
    "ml_endpoint",
    "ml_workspace",
    "model_asset",
    "model_version",
    "model_version_problem",
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
    """An API Management named value: 1-80 letters, digits, `-`, `_` and `.`."""
    return _hyphenated(text)[:80].rstrip("-") or "value"


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
