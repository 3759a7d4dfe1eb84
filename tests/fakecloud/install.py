"""Put the fakecloud plugins (a TEST DOUBLE) into a PULUMI_HOME, or take them out.

`python -m tests.fakecloud.install --pulumi-home DIR` links the launchers in
tests/fakecloud/bin into `DIR/plugins/resource-<package>-v<version>/`, the layout the
CLI's plugin loader reads (a directory named `<kind>-<name>-v<version>` holding the
executable `pulumi-resource-<name>`, and no `.partial` marker beside it), at the
versions pinned in provider/requirements.txt. `--remove` deletes only directories
fakecloud made (they carry a FAKECLOUD-TEST-DOUBLE marker), never a real plugin.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from tests.fakecloud.packages import plugin_versions

__all__ = ["MARKER", "install", "main", "plugin_dir", "remove"]

BIN = Path(__file__).resolve().parent / "bin"
MARKER = "FAKECLOUD-TEST-DOUBLE"
MARKER_TEXT = (
    "This plugin is fakecloud, a test double of the real provider plugin: it speaks the\n"
    "provider protocol and creates nothing in any cloud. Installed by 'make env' while\n"
    "MLSERVING_OFFLINE=1 (the default); MLSERVING_OFFLINE=0 uses the real plugins.\n"
)


def plugin_dir(home: Path, package: str, version: str) -> Path:
    return home / "plugins" / f"resource-{package}-v{version}"


def install(home: Path) -> list[Path]:
    """Link every fakecloud launcher into `home`; returns the plugin directories."""
    made = []
    for package, version in plugin_versions().items():
        target = plugin_dir(home, package, version)
        executable = target / f"pulumi-resource-{package}"
        if target.exists() and not (target / MARKER).exists():
            raise SystemExit(f"{target} holds a real plugin; fakecloud will not overwrite it (use another PULUMI_HOME)")
        target.mkdir(parents=True, exist_ok=True)
        (target / MARKER).write_text(MARKER_TEXT)
        if executable.is_symlink() or executable.exists():
            executable.unlink()
        executable.symlink_to(BIN / f"pulumi-resource-{package}")
        Path(f"{target}.partial").unlink(missing_ok=True)
        made.append(target)
    return made


def remove(home: Path) -> list[Path]:
    """Delete the fakecloud plugin directories (any version) from `home`."""
    removed = []
    plugins = home / "plugins"
    for marker in sorted(plugins.glob(f"resource-*-v*/{MARKER}")) if plugins.exists() else []:
        shutil.rmtree(marker.parent)
        removed.append(marker.parent)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pulumi-home", required=True, type=Path)
    parser.add_argument("--remove", action="store_true", help="take the fakecloud plugins out")
    args = parser.parse_args(argv)
    home: Path = args.pulumi_home
    if args.remove:
        for path in remove(home):
            print(f"fakecloud (test double): removed {path.name}", file=sys.stderr)
        return 0
    dirs = install(home)
    names = ", ".join(d.name.removeprefix("resource-") for d in dirs)
    print(
        f"OFFLINE: fakecloud stand-in plugins (a test double) in place: {names} — nothing is created in any cloud",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
