"""Data safety through the real engine, with fakecloud (a test double) as the cloud.

examples/aws-python goes through `up`, a model version bump (`v2Version` 2.0.0 -> 2.1.0)
and `destroy`. fakecloud records every Create and Delete the engine asks for, so the
tests can say what remains in the (stand-in) cloud: the artifact bucket, every model
artifact ever uploaded, and every SageMaker model and endpoint configuration ever created
(an endpoint may run on an older one after an alarm rollback), and nothing else. A
version bump replaces no bucket, CDN, API, event bus or endpoint, and deletes nothing.

Then a provider killed in the middle of `pulumi up`: the update fails, and the next `up`
brings the stack to the desired state without creating anything twice.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import pytest

from tests.integration.engine import ROOT, Run, Workspace

pytestmark = pytest.mark.timeout(1800)

EXAMPLE = ROOT / "examples" / "aws-python"
# How the engine marks a secret in a state file (pulumi's sig.Secret).
SECRET_SIG_KEY, SECRET_SIG = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
BUCKET = "aws:s3/bucket:Bucket"
OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
MODEL = "aws:sagemaker/model:Model"
CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration"
# Never replaced (nor deleted) by a version bump.
KEPT_BY_A_BUMP = {
    BUCKET,
    "aws:cloudfront/distribution:Distribution",
    "aws:apigateway/restApi:RestApi",
    "aws:apigateway/stage:Stage",
    "aws:cloudwatch/eventBus:EventBus",
    "aws:sagemaker/endpoint:Endpoint",
}


def creates(runs: Iterable[Run]) -> list[tuple[str, str, str]]:
    return [
        (c["type"], c["name"], c["id"])
        for r in runs
        for c in r.calls
        if c["method"] == "Create" and not c.get("preview")
    ]


def deletes(runs: Iterable[Run]) -> list[tuple[str, str, str]]:
    return [(c["type"], c["name"], c["id"]) for r in runs for c in r.calls if c["method"] == "Delete"]


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    ws = Workspace(EXAMPLE, tmp_path_factory.mktemp("safety"))
    ws.prepare()
    up = ws.pulumi("up", "--yes", "--skip-preview", check=True)
    encrypted = ws.pulumi("stack", "export", check=True).stdout
    outputs = ws.outputs()
    ws.pulumi("config", "set", "v2Version", "2.1.0", check=True)
    bump = ws.pulumi("up", "--yes", "--skip-preview", check=True)
    destroy = ws.pulumi("destroy", "--yes", "--skip-preview", check=True)
    after = ws.export()
    ws.remove()
    return {"up": up, "bump": bump, "destroy": destroy, "after": after, "encrypted": encrypted, "outputs": outputs}


def test_the_api_key_is_encrypted_in_the_exported_state(lifecycle: dict[str, Any]) -> None:
    """`pulumi stack export` (without --show-secrets) holds the key only as ciphertext, everywhere."""
    key = lifecycle["outputs"]["apiKey"]
    assert isinstance(key, str)
    assert len(key) == 40
    text: str = lifecycle["encrypted"]
    assert key not in text
    resources = json.loads(text)["deployment"]["resources"]

    def one(typ: str) -> dict[str, Any]:
        (found,) = [r for r in resources if r["type"] == typ]
        return dict(found)

    encrypted = [
        one("pulumi:pulumi:Stack")["outputs"]["apiKey"],
        one("mlserving:index:MLServingPlatform")["outputs"]["apiKey"],
        one("aws:apigateway/apiKey:ApiKey")["inputs"]["value"],
        one("aws:apigateway/apiKey:ApiKey")["outputs"]["value"],
        one("random:index/randomPassword:RandomPassword")["outputs"]["result"],
    ]
    for value in encrypted:
        assert set(value) == {SECRET_SIG_KEY, "ciphertext"}, value
        assert value[SECRET_SIG_KEY] == SECRET_SIG


def test_a_version_bump_replaces_no_store_cdn_api_bus_or_endpoint(lifecycle: dict[str, Any]) -> None:
    bump: Run = lifecycle["bump"]
    touched = {(method, typ) for method, typ, _ in bump.mutations() if typ in KEPT_BY_A_BUMP}
    # The endpoint and the v2 stage are updated in place (new endpoint configuration, version tag).
    assert touched <= {("Update", "aws:sagemaker/endpoint:Endpoint"), ("Update", "aws:apigateway/stage:Stage")}
    # Only the v2 release's artifact and its immutable SageMaker model and endpoint configuration
    # are replaced, and the old ones are kept (retainOnDelete): the bump deletes nothing.
    assert [m for m in bump.mutations() if m[0] == "Delete"] == []
    assert sorted((t, n) for t, n, _ in creates([bump])) == [
        (OBJECT, "sentiment-v2-artifact"),
        (CONFIG, "sentiment-v2-config"),
        (MODEL, "sentiment-v2-model"),
    ]


def test_destroy_deletes_everything_but_the_store_the_artifacts_and_the_sagemaker_models(
    lifecycle: dict[str, Any],
) -> None:
    runs = [lifecycle["up"], lifecycle["bump"], lifecycle["destroy"]]
    made, gone = creates(runs), deletes(runs)
    remains = sorted(set(made) - set(gone))
    # What is left in the (stand-in) cloud: the bucket with its protections and the KMS key that
    # encrypts it (issue 18 AWS 1), the three artifacts ever uploaded and the three SageMaker models
    # and endpoint configurations ever created.
    assert sorted((t, n) for t, n, _ in remains) == sorted(
        [
            ("aws:kms/key:Key", "ml-key"),
            ("aws:kms/keyPolicy:KeyPolicy", "ml-key-policy"),
            (BUCKET, "ml-artifacts"),
            ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "ml-artifacts-lifecycle"),
            ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ml-artifacts-ownership"),
            ("aws:s3/bucketPolicy:BucketPolicy", "ml-artifacts-policy"),
            ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "ml-artifacts-public-access"),
            (
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "ml-artifacts-encryption",
            ),
            ("aws:s3/bucketVersioning:BucketVersioning", "ml-artifacts-versioning"),
            (OBJECT, "sentiment-v1-artifact"),
            (OBJECT, "sentiment-v2-artifact"),
            (OBJECT, "sentiment-v2-artifact"),
            (CONFIG, "sentiment-v1-config"),
            (CONFIG, "sentiment-v2-config"),
            (CONFIG, "sentiment-v2-config"),
            (MODEL, "sentiment-v1-model"),
            (MODEL, "sentiment-v2-model"),
            (MODEL, "sentiment-v2-model"),
        ]
    )
    # Two different v2 objects, models and configurations: 2.0.0's and 2.1.0's.
    for name in ("sentiment-v2-artifact", "sentiment-v2-model", "sentiment-v2-config"):
        assert len({i for _, n, i in remains if n == name}) == 2, name
    print(f"created {len(made)}, deleted {len(gone)}, remaining in the cloud: {remains}")
    # Everything else that was created was deleted, once.
    assert sorted(gone) == sorted(set(made) - set(remains))
    # And the stack holds nothing any more: the engine forgot the retained resources.
    assert [r for r in lifecycle["after"] if r["type"] not in ("pulumi:pulumi:Stack", "pulumi:providers:aws")] == []


def _descendants(pid: int) -> list[Any]:
    try:
        found: list[Any] = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return found


def test_a_provider_killed_mid_up_leaves_a_stack_the_next_up_converges(tmp_path: Path) -> None:
    ws = Workspace(EXAMPLE, tmp_path)
    ws.prepare()
    record = tmp_path / "calls-killed-up.jsonl"
    up = subprocess.Popen(
        ws.command("up", "--yes", "--skip-preview"),
        cwd=ws.cwd,
        env={**ws.env, "FAKECLOUD_RECORD": str(record)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    killed: list[int] = []
    deadline = time.monotonic() + 600
    # Kill the mlserving provider (only a process this test started) once the cloud has seen creates.
    while not killed and up.poll() is None and time.monotonic() < deadline:
        made = [line for line in (record.read_text().splitlines() if record.exists() else []) if '"Create"' in line]
        if len(made) >= 5:
            for child in _descendants(up.pid):
                # The provider's interpreter runs its directory: `python -u <...>/provider <engine>`.
                if any(arg.endswith(os.sep + "provider") for arg in child.cmdline()[1:3]):
                    os.kill(child.pid, signal.SIGKILL)
                    killed.append(child.pid)
        time.sleep(0.2)
    output, _ = up.communicate(timeout=600)
    assert killed, f"the provider was not found while `pulumi up` ran:\n{output[-3000:]}"
    assert up.returncode != 0, output[-3000:]
    first = [line for line in record.read_text().splitlines() if '"Create"' in line and '"preview": true' not in line]
    assert first, "nothing was created before the kill"
    # The next `up` converges: it succeeds, creates only what is missing, and a preview sees no change.
    again = ws.pulumi("up", "--yes", "--skip-preview", check=True)
    partial = {(t, n) for t, n, _ in creates([Run((), 0, "", "", 0, tuple(_lines(record)))])}
    second = {(t, n) for t, n, _ in creates([again])}
    assert partial & second == set(), "resources created before the kill were created again"
    print(
        f"killed provider {killed} after {len(partial)} creates; the next up created {len(second)} more; "
        f"the failed up said: {[line for line in output.splitlines() if 'error' in line.lower()][:2]}"
    )
    ws.pulumi("preview", "--expect-no-changes", check=True)
    ws.pulumi("destroy", "--yes", "--skip-preview", check=True)
    ws.remove()


def _lines(record: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in record.read_text().splitlines()]
