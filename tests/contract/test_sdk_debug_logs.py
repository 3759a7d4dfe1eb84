"""The provider does not send the Pulumi SDK's debug chatter to the engine unless asked.

Each SDK debug message is a blocking RPC (about four per child resource) that the engine
shows only with `--debug`; dropping them saves a fifth of the CPU of a 50-release preview
(issue #6). With `-v=<n>` (what `pulumi ... --logflow -v=<n>` passes to plugins) or
MLSERVING_SDK_DEBUG_LOGS=1 they are sent as before. The provider runs as a plugin process
against the benchmark's stand-in engine (bench/engine.py), which records every log.
"""

from __future__ import annotations

from collections import Counter

import pytest
from mlserving_provider.provider import sdk_debug_logs_wanted
from pulumi.runtime.proto import engine_pb2

from bench.engine import PLATFORM_TOKEN, ROOT, ProviderProcess, StandInEngine, platform_inputs


def construct_platform(args: tuple[str, ...] = (), env: dict[str, str] | None = None) -> tuple[Counter[int], int]:
    """Severity counts of the logs the engine received, and the resources registered."""
    with StandInEngine() as engine, ProviderProcess(engine.address, ROOT, args=args, env=env) as provider:
        provider.construct(engine.address, PLATFORM_TOKEN, "ml", platform_inputs("aws"))
        return Counter(severity for severity, _ in engine.engine.logs), len(engine.monitor.registered)


def test_debug_messages_are_sent_only_when_the_engine_runs_plugins_verbosely() -> None:
    quiet, registered = construct_platform()
    verbose, registered_verbose = construct_platform(args=("-v=9",))
    assert quiet[engine_pb2.DEBUG] == 0
    assert verbose[engine_pb2.DEBUG] >= 4 * registered_verbose
    # The same resources either way: only the SDK's debug messages differ.
    assert registered == registered_verbose > 50
    assert {k: v for k, v in quiet.items() if k != engine_pb2.DEBUG} == {
        k: v for k, v in verbose.items() if k != engine_pb2.DEBUG
    }


@pytest.mark.parametrize(
    ("args", "env", "wanted"),
    [
        ([], {}, False),
        (["127.0.0.1:1"], {}, False),
        (["--logtostderr", "-v=9", "127.0.0.1:1"], {}, True),
        (["127.0.0.1:1"], {"MLSERVING_SDK_DEBUG_LOGS": "1"}, True),
        (["127.0.0.1:1"], {"MLSERVING_SDK_DEBUG_LOGS": "0"}, False),
    ],
)
def test_when_debug_messages_are_wanted(args: list[str], env: dict[str, str], wanted: bool) -> None:
    assert sdk_debug_logs_wanted(args, env) is wanted
