"""Model artifacts: packing to `model.tar.gz` and content addressing.

SageMaker loads a model from one `model.tar.gz`. A FileAsset that is already a
tarball is uploaded as it is; any other file, or a directory (FileArchive), is
packed into a reproducible tarball (sorted entries, zeroed times and owners), so
the same content always has the same SHA-256 and so the same immutable key
`models/<modelName>/<apiVersion>/<version>/<sha256>/model.tar.gz`.

SageMaker unpacks that tarball into the container's `/opt/ml/model`; Azure ML
mounts a registered model as it is. So that the container gets the same files on
both clouds, `unpacked_files` gives the tarball's files, which the Azure backend
uploads beside it (`.../<sha256>/model/...`) and registers as the model.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi

__all__ = ["Artifact", "artifact_key", "prepare_artifact", "unpacked_files"]

TARBALL_SUFFIXES = (".tar.gz", ".tgz")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Artifact:
    """A model artifact ready to upload."""

    path: Path
    sha256: str
    asset: pulumi.FileAsset


def artifact_key(model_name: str, api_version: str, version: str, sha256: str) -> str:
    """The immutable, content-addressed object key of a release's artifact.

    The API version is in it because it is what makes a release unique on its platform: two
    releases of one model and version on two API versions must not share an object (one
    release's delete would take the file the other's endpoint still reads; on Azure the second
    upload is refused, as azure-native will not create a blob that exists).
    """
    return f"models/{model_name}/{api_version}/{version}/{sha256}/model.tar.gz"


# Artifacts prepared by this provider process, by source and the size and mtime of every
# file in it: releases of one model (or one release previewed again) pack and hash it once.
_PREPARED: dict[tuple[str, str, tuple[tuple[str, int, int], ...]], Artifact] = {}


def prepare_artifact(source: pulumi.Asset | pulumi.Archive, cache_dir: Path | None = None) -> Artifact:
    """Resolve a user's Asset or Archive to a tarball on disk and its SHA-256.

    A relative path is relative to the working directory, which the engine sets to
    the calling program's directory. Raises ValueError with a user-facing reason.
    The tarball is streamed to disk while it is hashed: a model never has to fit in memory.
    """
    raw = _local_path(source)
    path = Path(raw)
    if not path.is_absolute():
        path = Path.cwd() / path
    if not path.exists():
        raise ValueError(f"does not exist: {raw!r} (resolved to {str(path)!r})")
    target_dir = cache_dir or Path(tempfile.gettempdir()) / "mlserving-artifacts"
    key = (str(path), str(target_dir), _fingerprint(path))
    prepared = _PREPARED.get(key)
    if prepared is not None and prepared.path.exists():
        return prepared
    if path.is_file() and path.name.endswith(TARBALL_SUFFIXES):
        sha = sha256_file(path)
        prepared = Artifact(path=path, sha256=sha, asset=pulumi.FileAsset(str(path)))
    else:
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = target_dir / f".packing.{os.getpid()}.{len(_PREPARED)}.tmp"
        with tmp.open("wb") as out:
            digest = _HashingWriter(out)
            _pack(path, digest)
        sha = digest.hexdigest()
        target = target_dir / f"{sha}.tar.gz"
        if target.exists():
            tmp.unlink()
        else:
            tmp.replace(target)
        prepared = Artifact(path=target, sha256=sha, asset=pulumi.FileAsset(str(target)))
    _PREPARED[key] = prepared
    return prepared


def unpacked_files(prepared: Artifact, cache_dir: Path | None = None) -> list[tuple[str, Path]]:
    """The files of an artifact's tarball, as SageMaker unpacks it: `(relative path, file)`, sorted.

    Unpacked once per content under `<cache>/<sha256>/`. Only regular files and
    directories are kept: members with absolute paths, `..`, links or devices are refused
    (tarfile's `data` filter), which SageMaker would not put in the model directory either.
    """
    target_dir = cache_dir or Path(tempfile.gettempdir()) / "mlserving-artifacts"
    unpacked = target_dir / f"{prepared.sha256}.unpacked"
    if not unpacked.is_dir():
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".unpacking.", dir=target_dir))
        try:
            with tarfile.open(prepared.path, mode="r:*") as tar:
                members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
                tar.extractall(tmp, members=members, filter="data")
            tmp.replace(unpacked)
        except (tarfile.TarError, OSError) as err:
            shutil.rmtree(tmp, ignore_errors=True)
            if not unpacked.is_dir():
                raise ValueError(f"cannot be unpacked as a model.tar.gz: {err}") from err
    return [(p.relative_to(unpacked).as_posix(), p) for p in sorted(unpacked.rglob("*")) if p.is_file()]


def _fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    """(relative path, size, mtime) of the file or of every file under the directory."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return tuple(
        (p.relative_to(path).as_posix() if p != path else p.name, st.st_size, st.st_mtime_ns)
        for p in files
        for st in (p.stat(),)
    )


class _HashingWriter(io.RawIOBase):
    """A write-only file that hashes what passes through it to another file."""

    def __init__(self, out: io.BufferedWriter) -> None:
        super().__init__()
        self._out = out
        self._digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self._digest.update(view)
        self._out.write(view)
        return len(view)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _local_path(source: pulumi.Asset | pulumi.Archive) -> str:
    if isinstance(source, pulumi.FileAsset):
        return str(source.path)
    if isinstance(source, pulumi.FileArchive):
        return str(source.path)
    raise ValueError(
        f"must be a FileAsset (a model file or model.tar.gz) or a FileArchive (a model directory) "
        f"(got {type(source).__name__})"
    )


def _pack(path: Path, out: io.RawIOBase) -> None:
    """A reproducible gzip'd tarball of a file or of a directory's contents, written to `out`."""
    # mtime=0 and an empty file name keep the gzip header free of the packing time and place.
    with (
        gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=0) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        if path.is_file():
            _add(tar, path, path.name)
        else:
            for item in sorted(p for p in path.rglob("*") if p.is_file()):
                _add(tar, item, item.relative_to(path).as_posix())


def _add(tar: tarfile.TarFile, path: Path, name: str) -> None:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mode = 0o644
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with path.open("rb") as f:
        tar.addfile(info, f)
