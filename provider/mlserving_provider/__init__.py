"""The mlserving Pulumi component provider: MLServingPlatform and ModelRelease."""

from mlserving_provider._schema import PACKAGE_VERSION

__all__ = ["PACKAGE_VERSION"]
