"""Can what the stand-in cloud still holds be read? KMS and S3 encryption in fakecloud (a TEST DOUBLE).

S3 encrypts an object when it is written, under the key named in the request or else
under the bucket's default encryption at that moment, and decrypts it with that key on
every read. A KMS key that Pulumi deletes is not gone: AWS schedules its deletion and the
key is `PendingDeletion` for 7 to 30 days, during which it cannot be used at all (rules.py,
AWS-10); "after a KMS key is deleted, you can no longer decrypt the data that was
encrypted under that KMS key" (AWS KMS developer guide, "Deleting AWS KMS keys",
https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html). So a bucket
Pulumi retains keeps its objects, and they stay readable only while their key does.

- `encryption(records, bucket)`: what S3 applies to an object written now (fakecloud's Create
  and Update of `aws:s3/bucketObjectv2:BucketObjectv2` record it as the object's outputs:
  `serverSideEncryption`, `kmsKeyId`, `bucketKeyEnabled`, as the AWS provider reads them back).
- `readable(directory, bucket, key)`: None if the object `key` (or, for a prefix, every object
  SageMaker data capture wrote under it) can be decrypted now, else S3's error.

The error is S3's GetObject error for a KMS key in the wrong state (S3 prefixes KMS's error code
with `KMS.`): `KMS.KMSInvalidStateException: <key ARN> is pending deletion.` and
`KMS.DisabledException: <key ARN> is disabled.`, as users report them (the texts are not in the
AWS documentation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tests.fakecloud.state import CloudState, Record

__all__ = ["BUCKET", "ENDPOINT_CONFIG", "KEY", "OBJECT", "SSE_CONFIG", "encryption", "readable"]

KEY = "aws:kms/key:Key"
BUCKET = "aws:s3/bucket:Bucket"
OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
SSE_CONFIG = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
ENDPOINT_CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"


def _newest_first(records: Iterable[Record]) -> list[Record]:
    """Live records before tombstones."""
    return sorted(records, key=lambda r: r.deleted)


def encryption(records: Iterable[Record], bucket: str) -> dict[str, Any]:
    """What S3 encrypts a new object of `bucket` with: the bucket's default encryption (SSE-S3 when none
    is set, S3's default since January 2023)."""
    configs = [r for r in _newest_first(records) if r.token == SSE_CONFIG and r.id == bucket and not r.deleted]
    rules = configs[0].outputs.get("rules") if configs else None
    rule = rules[0] if isinstance(rules, list) and rules and isinstance(rules[0], Mapping) else {}
    default = rule.get("applyServerSideEncryptionByDefault") or {}
    if default.get("sseAlgorithm") in ("aws:kms", "aws:kms:dsse"):
        out: dict[str, Any] = {"serverSideEncryption": default["sseAlgorithm"]}
        if default.get("kmsMasterKeyId"):
            out["kmsKeyId"] = default["kmsMasterKeyId"]
        out["bucketKeyEnabled"] = bool(rule.get("bucketKeyEnabled"))
        return out
    return {"serverSideEncryption": "AES256"}


def _key(records: list[Record], ref: str) -> Record | None:
    """The KMS key an object names (its ARN or id), live or scheduled for deletion."""
    found = [r for r in _newest_first(records) if r.token == KEY and ref in (r.id, r.outputs.get("arn"))]
    return found[0] if found else None


def _refusal(key: Record | None, ref: str) -> str | None:
    if key is None:
        return None  # an AWS managed key or SSE-S3: fakecloud never deletes those
    arn = str(key.outputs.get("arn") or ref)
    if key.deleted:
        return f"KMS.KMSInvalidStateException: {arn} is pending deletion."
    if key.outputs.get("isEnabled") is False:
        return f"KMS.DisabledException: {arn} is disabled."
    return None


def _capture_keys(records: list[Record], bucket: str, prefix: str) -> list[str] | None:
    """The KMS keys SageMaker data capture wrote under s3://bucket/prefix with (its configuration's
    kmsKeyId, else the bucket's default), or None if no configuration captured there."""
    uri = f"s3://{bucket}/{prefix}".rstrip("/")
    keys = []
    for record in records:
        capture = record.outputs.get("dataCaptureConfig") if record.token == ENDPOINT_CONFIG else None
        if not isinstance(capture, Mapping):
            continue
        destination = str(capture.get("destinationS3Uri") or "").rstrip("/")
        if destination and (destination.startswith(uri) or uri.startswith(destination)):
            keys.append(str(capture.get("kmsKeyId") or encryption(records, bucket).get("kmsKeyId") or ""))
    return keys if keys else None


def readable(directory: Path, bucket: str, key: str) -> str | None:
    """None if the object `key` of `bucket` (or the data-capture prefix `key`) can be read and decrypted
    now, else the error S3's GetObject returns."""
    records = CloudState("aws", directory).all()
    if not any(r.token == BUCKET and r.id == bucket and not r.deleted for r in records):
        return "NoSuchBucket: The specified bucket does not exist"
    objects = [
        r
        for r in records
        if r.token == OBJECT and not r.deleted and (r.outputs.get("bucket"), r.outputs.get("key")) == (bucket, key)
    ]
    if objects:
        refs = [str(objects[0].outputs.get("kmsKeyId") or "")]
    else:
        captured = _capture_keys(records, bucket, key)
        if captured is None:
            return "NoSuchKey: The specified key does not exist."
        refs = captured
    for ref in refs:
        refusal = _refusal(_key(records, ref), ref) if ref else None
        if refusal is not None:
            return refusal
    return None
