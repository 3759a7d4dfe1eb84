"""The compatibility gate (release_tools.compat): what breaks a program written against the last release."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from release_tools import ROOT
from release_tools.compat import baselines, breaking_allowed, breaking_changes, gate

PLATFORM = "mlserving:index:MLServingPlatform"
RELEASE = "mlserving:index:ModelRelease"
BASELINE: dict[str, Any] = json.loads((ROOT / "compat" / "schema-v0.1.0.json").read_text())


def changed(edit: Any) -> list[str]:
    new = copy.deepcopy(BASELINE)
    edit(new)
    return breaking_changes(BASELINE, new)


def test_the_repository_passes_its_own_gate() -> None:
    verdict = gate()
    assert verdict.ok, verdict.report()
    assert verdict.baseline == ROOT / "compat" / f"schema-v{verdict.baseline_version}.json"


def test_the_baseline_is_unchanged_schema_and_is_compatible_with_itself() -> None:
    assert breaking_changes(BASELINE, BASELINE) == []
    assert "0.1.0" in baselines()


def test_a_removed_required_input_breaks() -> None:
    def remove(s: dict[str, Any]) -> None:
        s["resources"][RELEASE]["inputProperties"].pop("image")
        s["resources"][RELEASE]["requiredInputs"].remove("image")

    assert changed(remove) == [f"{RELEASE}: input 'image' was removed"]


def test_a_removed_optional_input_breaks() -> None:
    assert "tags" not in BASELINE["resources"][PLATFORM]["requiredInputs"]
    assert changed(lambda s: s["resources"][PLATFORM]["inputProperties"].pop("tags")) == [
        f"{PLATFORM}: input 'tags' was removed"
    ]


def test_a_retyped_input_breaks() -> None:
    def retype(s: dict[str, Any]) -> None:
        s["resources"][RELEASE]["inputProperties"]["modelName"] = {"type": "integer", "plain": True, "description": "x"}

    assert changed(retype) == [f"{RELEASE}: input 'modelName' changed type: plain string -> plain integer"]


def test_an_input_made_plain_or_not_plain_breaks() -> None:
    cloud = BASELINE["resources"][PLATFORM]["inputProperties"]["cloud"]
    assert cloud.get("plain") is True

    def unplain(s: dict[str, Any]) -> None:
        s["resources"][PLATFORM]["inputProperties"]["cloud"].pop("plain")

    assert changed(unplain) == [
        f"{PLATFORM}: input 'cloud' changed type: plain mlserving:index:Cloud -> mlserving:index:Cloud"
    ]


def test_a_newly_required_input_breaks_and_a_new_optional_one_does_not() -> None:
    def add_optional(s: dict[str, Any]) -> None:
        s["resources"][RELEASE]["inputProperties"]["owner"] = {"type": "string"}

    def add_required(s: dict[str, Any]) -> None:
        add_optional(s)
        s["resources"][RELEASE]["requiredInputs"].append("owner")

    def require_existing(s: dict[str, Any]) -> None:
        s["resources"][RELEASE]["requiredInputs"].append("instanceType")

    assert changed(add_optional) == []
    assert changed(add_required) == [f"{RELEASE}: input 'owner' is newly required"]
    assert changed(require_existing) == [f"{RELEASE}: input 'instanceType' is newly required"]


def test_a_removed_or_retyped_output_breaks_and_a_new_one_does_not() -> None:
    def remove(s: dict[str, Any]) -> None:
        s["resources"][RELEASE]["properties"].pop("invokeUrl")

    def retype(s: dict[str, Any]) -> None:
        s["resources"][PLATFORM]["properties"]["cdnDomainName"] = {"type": "array", "items": {"type": "string"}}

    def add(s: dict[str, Any]) -> None:
        s["resources"][PLATFORM]["properties"]["dashboardUrl"] = {"type": "string"}

    assert changed(remove) == [f"{RELEASE}: output 'invokeUrl' was removed"]
    assert changed(retype) == [f"{PLATFORM}: output 'cdnDomainName' changed type: string -> array<string>"]
    assert changed(add) == []


def test_an_output_no_longer_always_set_breaks() -> None:
    assert "invokeUrl" in BASELINE["resources"][RELEASE]["required"]
    assert changed(lambda s: s["resources"][RELEASE]["required"].remove("invokeUrl")) == [
        f"{RELEASE}: output 'invokeUrl' is no longer always set (it was required)"
    ]


def test_nested_types_and_enums() -> None:
    scaling = "mlserving:index:Scaling"
    cloud = "mlserving:index:Cloud"
    assert "maxReplicas" in BASELINE["types"][scaling]["properties"]

    def remove_property(s: dict[str, Any]) -> None:
        s["types"][scaling]["properties"].pop("maxReplicas")

    def require_property(s: dict[str, Any]) -> None:
        s["types"][scaling].setdefault("required", []).append("maxReplicas")

    def remove_enum_value(s: dict[str, Any]) -> None:
        s["types"][cloud]["enum"] = [e for e in s["types"][cloud]["enum"] if e["value"] != "azure"]

    def add_enum_value(s: dict[str, Any]) -> None:
        s["types"][cloud]["enum"].append({"value": "gcp"})

    assert changed(remove_property) == [f"{scaling}: property 'maxReplicas' was removed"]
    assert changed(require_property) == [f"{scaling}: property 'maxReplicas' is newly required"]
    assert changed(remove_enum_value) == [f'{cloud}: enum value "azure" was removed']
    assert changed(add_enum_value) == []
    assert changed(lambda s: s["types"].pop(scaling)) == [f"{scaling}: the type was removed"]


def test_removed_resource_and_description_changes() -> None:
    def describe(s: dict[str, Any]) -> None:
        for res in s["resources"].values():
            for prop in res["inputProperties"].values():
                prop["description"] = "changed"

    assert changed(describe) == []
    assert changed(lambda s: s["resources"].pop(RELEASE)) == [f"{RELEASE}: the resource was removed"]


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        ("0.1.0", "0.1.0", False),
        ("0.1.0", "0.1.1", False),
        ("0.1.0", "0.2.0", True),
        ("0.1.3", "1.0.0", True),
        ("1.0.0", "1.1.0", False),
        ("1.4.2", "2.0.0", True),
        ("1.4.2", "2.0.0-alpha.1", True),
        ("2.0.0", "1.9.0", False),
    ],
)
def test_breaking_is_allowed_only_with_a_new_major(old: str, new: str, allowed: bool) -> None:
    assert breaking_allowed(old, new) is allowed


def repo(tmp_path: Path, version: str, baseline_versions: list[str]) -> Path:
    (tmp_path / "VERSION").write_text(version + "\n")
    (tmp_path / "compat").mkdir()
    for v in baseline_versions:
        shutil.copy2(ROOT / "compat" / "schema-v0.1.0.json", tmp_path / "compat" / f"schema-v{v}.json")
    shutil.copy2(ROOT / "compat" / "schema-v0.1.0.json", tmp_path / "schema.json")
    return tmp_path


def without_image(s: dict[str, Any]) -> None:
    s["resources"][RELEASE]["inputProperties"].pop("image")


def test_gate_fails_a_breaking_change_at_the_same_major(tmp_path: Path) -> None:
    root = repo(tmp_path, "0.1.1", ["0.1.0"])
    new = copy.deepcopy(BASELINE)
    without_image(new)
    verdict = gate(root, new)
    assert not verdict.ok
    assert verdict.changes == [f"{RELEASE}: input 'image' was removed"]
    assert (
        verdict.report()
        .splitlines()[-1]
        .startswith(
            "compat: FAILED: 1 breaking change(s) need a new major version (in 0.x a new minor), not 0.1.0 -> 0.1.1"
        )
    )


def test_gate_passes_it_with_a_new_major_and_picks_the_newest_older_baseline(tmp_path: Path) -> None:
    root = repo(tmp_path, "0.3.0", ["0.1.0", "0.2.0", "0.4.0"])
    new = copy.deepcopy(BASELINE)
    without_image(new)
    verdict = gate(root, new)
    assert verdict.baseline_version == "0.2.0"
    assert verdict.ok
    assert "allowed: the major version changed (0.2.0 -> 0.3.0)" in verdict.report()


def test_gate_without_a_baseline_says_so(tmp_path: Path) -> None:
    root = repo(tmp_path, "0.1.0", ["0.2.0"])
    with pytest.raises(SystemExit, match=r"compat: no baseline at or before 0\.1\.0 in compat/ \(have: 0\.2\.0\)"):
        gate(root)
