"""Provider-level rows: cold start, Construct over real gRPC, memory at 50 releases.

No Pulumi CLI is needed: the provider runs as the language host runs it, and a
stand-in engine (bench/engine.py) answers its calls. Start-up is also measured the two
ways the engine can start the plugin: its executable launcher (provider/pulumi-resource-mlserving,
which the engine runs whenever the plugin directory holds it) and the python language host's
RunPlugin (what a directory with only PulumiPlugin.yaml needs; NOT RUN without the host).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import threading
import time
from pathlib import Path

import grpc  # type: ignore[import-untyped]
import psutil  # type: ignore[import-untyped]
import yaml  # type: ignore[import-untyped]
from google.protobuf import struct_pb2
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, provider_pb2, provider_pb2_grpc

from bench.engine import (
    LAUNCHER,
    PLATFORM_TOKEN,
    PROVIDER_DIR,
    RELEASE_TOKEN,
    ROOT,
    ProviderProcess,
    StandInEngine,
    platform_inputs,
    release_inputs,
)
from bench.table import Row
from bench.tools import missing, pulumi_bin, which

__all__ = ["azure_unavailable", "model_dir", "provider_rows"]

MB = 1e6


def model_dir() -> Path:
    """The example contract's shared model (examples/model), or the Python example's own."""
    for candidate in (ROOT / "examples" / "model", ROOT / "examples" / "aws-python" / "model"):
        if candidate.is_dir():
            return candidate
    raise SystemExit("bench: no model directory (examples/model)")


def azure_unavailable() -> str:
    """Why an Azure platform cannot be constructed yet ("" when it can)."""
    azure = ROOT / "provider" / "mlserving_provider" / "clouds" / "azure" / "__init__.py"
    table = (ROOT / "provider" / "mlserving_provider" / "clouds" / "__init__.py").read_text(encoding="utf-8")
    if not azure.exists() or "BACKEND" not in azure.read_text(encoding="utf-8") or '"azure"' not in table:
        return "n/a: no Azure backend in the provider yet (clouds/azure)"
    return ""


def _add(row: Row, provider: ProviderProcess, seconds: float) -> None:
    """A Construct's wall-clock seconds and the provider's CPU seconds during it."""
    row.samples.append(seconds)
    row.cpu.append(provider.last_cpu)


class _PeakRss:
    """Samples a process's RSS every few milliseconds (psutil) and keeps the peak."""

    def __init__(self, provider: ProviderProcess, interval: float = 0.005) -> None:
        self.provider = provider
        self.interval = interval
        self.peak = provider.rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.provider.rss())

    def __enter__(self) -> _PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.provider.rss())


PYTHON_HOST = "pulumi-language-python"


def _launcher_ready() -> str:
    """Makes the launcher's environment (provider/venv) before any timing; why it cannot ("" when it can)."""
    done = subprocess.run([str(LAUNCHER), "--install"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"FAILED: {LAUNCHER.name} --install: {done.stderr.strip()[-200:]}"
    return ""


def _host_unavailable() -> str:
    """Why start-up through the python language host cannot be measured ("" when it can)."""
    if which(PYTHON_HOST):
        return ""
    try:
        where = pulumi_bin().relative_to(ROOT)
    except ValueError:
        where = pulumi_bin()
    # "not built: go: <module>@<version>: 403 Forbidden server response: ..." -> from "403" on
    built = re.sub(r"^not built: go: \S+: ", "the Go module proxy answered ", missing(PYTHON_HOST))
    return f"NOT RUN: no {PYTHON_HOST} in {where} or on PATH ({built or 'make install has not tried to build it'})"


def _host_start(engine_address: str, cwd: Path) -> tuple[float, float, float]:
    """The provider started as the engine starts a PulumiPlugin.yaml plugin through its runtime.

    The engine spawns `pulumi-language-python <engine address>`, reads the host's port, and
    calls LanguageRuntime.RunPlugin with the plugin directory as the program (entry point
    ".", PulumiPlugin.yaml's runtime options), the engine address as its argument and the
    environment; the provider's stdout comes back in the stream
    (sdk/go/common/resource/plugin/plugin.go ExecPlugin, langruntime_plugin.go RunPlugin).
    Returns the seconds from the host's spawn to the provider's port and to its first
    GetSchema answer, and the CPU seconds of the host and the provider until the port.
    """
    host = which(PYTHON_HOST)
    assert host is not None
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    plugin = yaml.safe_load((PROVIDER_DIR / "PulumiPlugin.yaml").read_text(encoding="utf-8"))
    options = struct_pb2.Struct()
    options.update(plugin["runtime"].get("options") or {})
    started = time.perf_counter()
    process = subprocess.Popen(
        [host, engine_address], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment
    )
    channels: list[grpc.Channel] = []
    stream = None
    try:
        assert process.stdout is not None
        host_port = process.stdout.readline().decode().strip()
        if not host_port.isdigit():
            raise RuntimeError(f"{PYTHON_HOST} printed {host_port!r} instead of its port")
        channels.append(grpc.insecure_channel(f"127.0.0.1:{host_port}"))
        info = language_pb2.ProgramInfo(
            root_directory=str(PROVIDER_DIR), program_directory=str(PROVIDER_DIR), entry_point=".", options=options
        )
        stream = language_pb2_grpc.LanguageRuntimeStub(channels[0]).RunPlugin(
            language_pb2.RunPluginRequest(
                pwd=str(cwd),
                args=[engine_address],
                env=[f"{k}={v}" for k, v in environment.items()],
                info=info,
                kind="resource",
            )
        )
        out = b""
        for message in stream:
            if message.HasField("exitcode"):
                raise RuntimeError(f"the provider exited ({message.exitcode}) before printing its port")
            out += message.stdout
            if b"\n" in out:
                break
        port = out.split(b"\n", 1)[0].decode().strip()
        port_seconds = time.perf_counter() - started
        tree = psutil.Process(process.pid)
        cpu = 0.0
        for proc in (tree, *tree.children(recursive=True)):
            times = proc.cpu_times()
            cpu += times.user + times.system + times.children_user + times.children_system
        if not port.isdigit():
            raise RuntimeError(f"the provider printed {port!r} instead of its port")
        channels.append(grpc.insecure_channel(f"127.0.0.1:{port}"))
        provider_pb2_grpc.ResourceProviderStub(channels[1]).GetSchema(
            provider_pb2.GetSchemaRequest(version=0), timeout=60
        )
        return port_seconds, time.perf_counter() - started, cpu
    finally:
        if stream is not None:
            stream.cancel()  # as the engine's kill(): the host stops the provider
        for channel in channels:
            channel.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def provider_rows(runs: int, releases: int) -> list[Row]:
    model = model_dir()
    port = Row("provider start: spawn -> port printed", "s", target="< 0.5 s", limit=0.5)
    schema = Row("provider start: spawn -> first GetSchema answer", "s", target="< 0.5 s", limit=0.5)
    port.note = "`.venv/bin/python provider/ <engine>`: the provider alone"
    launcher_port = Row(
        "provider start through its launcher (pulumi-resource-mlserving): exec -> port printed",
        "s",
        target="< 0.5 s",
        limit=0.5,
        note="what the engine runs; sh finds provider/venv, then execs its `python -u provider/`",
    )
    launcher_schema = Row(
        "provider start through its launcher: exec -> first GetSchema answer", "s", target="< 0.5 s", limit=0.5
    )
    host_port = Row(
        f"provider start through {PYTHON_HOST} (RunPlugin): host spawn -> port printed",
        "s",
        note="what a plugin directory with only PulumiPlugin.yaml costs",
    )
    host_schema = Row(f"provider start through {PYTHON_HOST} (RunPlugin): host spawn -> first GetSchema answer", "s")
    launcher_reason = _launcher_ready()
    host_reason = _host_unavailable()
    start_rss = Row("provider RSS after start", "MB")
    aws_first = Row("Construct AWS platform, first in a process (imports pulumi_aws)", "s")
    aws_warm = Row("Construct AWS platform, next ones", "s")
    release_first = Row("Construct 1 release, first in a process", "s")
    release_warm = Row("Construct 1 release, next ones", "s")
    azure_first = Row("Construct Azure platform, first in a process (imports azure-native)", "s")
    azure_warm = Row("Construct Azure platform, next ones", "s")
    peak = Row(f"provider peak RSS: 1 platform + {releases} releases over gRPC", "MB", target="< 300 MB", limit=300)
    many = Row(f"Construct {releases} releases one after another (total; CPU: the process, from its start)", "s")
    azure_reason = azure_unavailable()

    for _ in range(runs):
        with StandInEngine() as engine, ProviderProcess(engine.address, model.parent) as provider:
            port.samples.append(provider.port_seconds)
            port.cpu.append(provider.port_cpu)
            schema.samples.append(provider.get_schema())
            start_rss.samples.append(provider.rss() / MB)
            _add(aws_first, provider, provider.construct(engine.address, PLATFORM_TOKEN, "ml", platform_inputs("aws")))
            urn = engine.platform_urn("ml")
            _add(
                release_first,
                provider,
                provider.construct(
                    engine.address, RELEASE_TOKEN, "r1", release_inputs(urn, model, 1), {"platform": [urn]}
                ),
            )
            _add(
                release_warm,
                provider,
                provider.construct(
                    engine.address, RELEASE_TOKEN, "r2", release_inputs(urn, model, 2), {"platform": [urn]}
                ),
            )
            _add(aws_warm, provider, provider.construct(engine.address, PLATFORM_TOKEN, "ml-2", platform_inputs("aws")))
            if not azure_reason:
                try:
                    _add(
                        azure_first,
                        provider,
                        provider.construct(engine.address, PLATFORM_TOKEN, "az", platform_inputs("azure")),
                    )
                    _add(
                        azure_warm,
                        provider,
                        provider.construct(engine.address, PLATFORM_TOKEN, "az-2", platform_inputs("azure")),
                    )
                except grpc.RpcError as error:
                    detail = str(error.details()).strip().splitlines()[0][:160]
                    azure_reason = f"FAILED: the Azure platform's Construct failed: {detail}"

        # Start-up the two ways the engine can start the plugin, under the same load as the row above.
        if not launcher_reason:
            launcher = (str(LAUNCHER),)
            with StandInEngine() as engine, ProviderProcess(engine.address, model.parent, command=launcher) as provider:
                launcher_port.samples.append(provider.port_seconds)
                launcher_port.cpu.append(provider.port_cpu)
                launcher_schema.samples.append(provider.get_schema())
        if not host_reason:
            try:
                with StandInEngine() as engine:
                    to_port, to_schema, cpu = _host_start(engine.address, model.parent)
                host_port.samples.append(to_port)
                host_port.cpu.append(cpu)
                host_schema.samples.append(to_schema)
            except (RuntimeError, grpc.RpcError) as error:
                host_reason = f"FAILED: {str(error).strip().splitlines()[0][:160]}"

        # Memory: a fresh provider, as in a preview of one platform and `releases` releases.
        with StandInEngine() as engine, ProviderProcess(engine.address, model.parent) as provider:
            with _PeakRss(provider) as sampler:
                provider.get_schema()
                provider.construct(engine.address, PLATFORM_TOKEN, "ml", platform_inputs("aws"))
                urn = engine.platform_urn("ml")
                total = 0.0
                for index in range(1, releases + 1):
                    total += provider.construct(
                        engine.address,
                        RELEASE_TOKEN,
                        f"sentiment-{index}",
                        release_inputs(urn, model, index),
                        {"platform": [urn]},
                    )
            peak.samples.append(sampler.peak / MB)
            many.cpu.append(provider.cpu_seconds())
            many.samples.append(total)

    rows = [port, schema, launcher_port, launcher_schema, host_port, host_schema, start_rss]
    rows += [aws_first, aws_warm, azure_first, azure_warm, release_first, release_warm]
    rows += [many, peak, *_big_model_rows(runs), *_big_model_azure_rows(runs, azure_reason)]
    if azure_reason:
        azure_first.not_measured = azure_warm.not_measured = azure_reason
    if launcher_reason:
        launcher_port.not_measured = launcher_schema.not_measured = launcher_reason
    if host_reason:
        host_port.not_measured = host_schema.not_measured = host_reason
    return rows


BIG_MODEL_MB = 50
BIG_MODEL_RELEASES = 5


def big_model() -> Path:
    """A model directory with 50 MB of incompressible weights (made once, git-ignored)."""
    directory = ROOT / ".tools" / "bench" / f"model-{BIG_MODEL_MB}mb"
    weights = directory / "weights.bin"
    if not weights.exists() or weights.stat().st_size != BIG_MODEL_MB * 1_000_000:
        directory.mkdir(parents=True, exist_ok=True)
        # Deterministic bytes that gzip cannot shrink, like real weights.
        block = hashlib.sha512(b"mlserving-bench").digest()
        with weights.open("wb") as out:
            for index in range(BIG_MODEL_MB * 1_000_000 // 64):
                block = hashlib.sha512(block + index.to_bytes(4, "little")).digest()
                out.write(block)
        (directory / "inference.py").write_text("def predict(x):\n    return x\n", encoding="utf-8")
    return directory


def _big_model_rows(runs: int) -> list[Row]:
    """Releases of one 50 MB model: what packing and hashing the artifact costs."""
    model = big_model()
    first = Row(f"Construct 1 release, {BIG_MODEL_MB} MB model, first", "s")
    again = Row(f"Construct 1 release, same {BIG_MODEL_MB} MB model, next ones", "s")
    peak = Row(f"provider peak RSS: 1 platform + {BIG_MODEL_RELEASES} releases of a {BIG_MODEL_MB} MB model", "MB")
    for _ in range(runs):
        with StandInEngine() as engine, ProviderProcess(engine.address, model.parent) as provider:
            with _PeakRss(provider) as sampler:
                provider.construct(engine.address, PLATFORM_TOKEN, "ml", platform_inputs("aws"))
                urn = engine.platform_urn("ml")
                # A first small release pays the SDK imports, so the rows below time the artifact.
                provider.construct(
                    engine.address, RELEASE_TOKEN, "warm", release_inputs(urn, model_dir(), 99), {"platform": [urn]}
                )
                for i in range(1, BIG_MODEL_RELEASES + 1):
                    _add(
                        first if i == 1 else again,
                        provider,
                        provider.construct(
                            engine.address,
                            RELEASE_TOKEN,
                            f"big-{i}",
                            release_inputs(urn, model, i),
                            {"platform": [urn]},
                        ),
                    )
            peak.samples.append(sampler.peak / MB)
    return [first, again, peak]


def _big_model_azure_rows(runs: int, unavailable: str) -> list[Row]:
    """An Azure release of the 50 MB model beside one of the examples' small model: what this
    provider holds while it packs, hashes and unpacks an artifact (issue 18 Azure 12). Equal
    peaks mean the artifact is streamed (1 MB at a time), never held whole.

    The upload itself is azure-native's, in its own process: its storage Blob resource reads each
    file whole (`readAssetBytes`) and sends it with `UploadBuffer`
    (provider/pkg/resources/customresources/custom_storage_azidentity.go), so that plugin holds at
    least the largest file of the artifact, and as many files as it uploads at once. That process
    does not run here (a preview uploads nothing): its row says so instead of a figure.
    """
    model = big_model()
    small = Row("provider peak RSS: Azure platform + 1 release of the examples' model (KBs)", "MB")
    peak = Row(
        f"provider peak RSS: Azure platform + 1 release of a {BIG_MODEL_MB} MB model (packed, hashed, unpacked)",
        "MB",
        note="this provider only; the upload is azure-native's (next row)",
    )
    plugin = Row(
        f"azure-native plugin peak RSS while it uploads the {BIG_MODEL_MB} MB model",
        "MB",
        not_measured=(
            "n/a: azure-native does not run here; its Blob upload reads each file whole (readAssetBytes + "
            f"UploadBuffer), so it holds at least the largest file ({BIG_MODEL_MB} MB weights, and the "
            f"{BIG_MODEL_MB} MB model.tar.gz) per blob it uploads at once"
        ),
    )
    rows = [small, peak, plugin]
    if unavailable:
        small.not_measured = peak.not_measured = unavailable
        return rows
    for _ in range(runs):
        for row, artifact in ((small, model_dir()), (peak, model)):
            with StandInEngine() as engine, ProviderProcess(engine.address, artifact.parent) as provider:
                with _PeakRss(provider) as sampler:
                    provider.construct(engine.address, PLATFORM_TOKEN, "az", platform_inputs("azure"))
                    urn = engine.platform_urn("az")
                    try:
                        provider.construct(
                            engine.address,
                            RELEASE_TOKEN,
                            "release-1",
                            release_inputs(urn, artifact, 1),
                            {"platform": [urn]},
                        )
                    except grpc.RpcError as error:
                        detail = str(error.details()).strip().splitlines()[0][:160]
                        failed = f"FAILED: the Azure release's Construct failed: {detail}"
                        small.not_measured = peak.not_measured = failed
                        return rows
                row.samples.append(sampler.peak / MB)
    return rows
