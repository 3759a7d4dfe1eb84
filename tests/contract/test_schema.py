"""schema.json and the Python types agree: names, required flags, objects, outputs."""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from mlserving_provider._schema import SCHEMA, SCHEMA_TEXT
from mlserving_provider.args import RESOURCE_CLASSES, TYPE_CLASSES, RequestSettings, Scaling, camel
from mlserving_provider.outputs import PlatformOutputs, ReleaseOutputs
from mlserving_provider.provider import CONSTRUCTORS, MLServingProvider

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_CLASSES = {
    "mlserving:index:MLServingPlatform": PlatformOutputs,
    "mlserving:index:ModelRelease": ReleaseOutputs,
}


def fields(cls: type[Any]) -> dict[str, dataclasses.Field[Any]]:
    return {camel(f.name): f for f in dataclasses.fields(cls)}


def optional(field: dataclasses.Field[Any]) -> bool:
    return str(field.type).replace(" ", "").endswith("|None")


def test_the_provider_serves_schema_json_verbatim() -> None:
    assert MLServingProvider().schema == (ROOT / "schema.json").read_text(encoding="utf-8") == SCHEMA_TEXT


def test_every_resource_has_a_constructor_and_nothing_else_does() -> None:
    assert set(CONSTRUCTORS) == set(SCHEMA["resources"]) == set(RESOURCE_CLASSES) == set(OUTPUT_CLASSES)


@pytest.mark.parametrize("token", sorted(SCHEMA["resources"]))
def test_resource_inputs_mirror_the_schema(token: str) -> None:
    spec = SCHEMA["resources"][token]
    mine = fields(RESOURCE_CLASSES[token])
    assert set(mine) == set(spec["inputProperties"])
    for name, field in mine.items():
        if name in spec.get("requiredInputs", []):
            assert not optional(field), f"{token}.{name} is required in the schema but Optional in Python"


@pytest.mark.parametrize("token", sorted(SCHEMA["resources"]))
def test_resource_outputs_mirror_the_schema(token: str) -> None:
    spec = SCHEMA["resources"][token]
    assert set(fields(OUTPUT_CLASSES[token])) == set(spec["properties"]) == set(spec["required"])


@pytest.mark.parametrize("token", sorted(t for t, s in SCHEMA["types"].items() if s["type"] == "object"))
def test_object_types_mirror_the_schema(token: str) -> None:
    spec = SCHEMA["types"][token]
    mine = fields(TYPE_CLASSES[token])
    assert set(mine) == set(spec["properties"])
    for name, field in mine.items():
        prop = spec["properties"][name]
        provider_default = field.default is not dataclasses.MISSING  # Scaling: see args.Scaling
        if name in spec.get("required", []) or "default" in prop or provider_default:
            assert not optional(field), f"{token}.{name} always has a value: it must not be Optional"
        elif "$ref" not in prop:
            assert optional(field), f"{token}.{name} has no default: it must be Optional"


def test_every_object_type_has_a_class_and_every_class_a_type() -> None:
    objects = {t for t, s in SCHEMA["types"].items() if s["type"] == "object"}
    assert objects == set(TYPE_CLASSES)


def test_the_switches_are_plain_in_the_schema() -> None:
    """The inputs that select what is built (the cloud, strategies, feature switches) are plain."""
    platform = SCHEMA["resources"]["mlserving:index:MLServingPlatform"]["inputProperties"]
    release = SCHEMA["resources"]["mlserving:index:ModelRelease"]["inputProperties"]
    assert platform["cloud"]["plain"] is True
    for name in ("modelName", "version", "apiVersion", "instanceType"):
        assert release[name]["plain"] is True
    for token in ("Rollout", "Cdn", "Serverless", "DataCapture"):
        for name, prop in SCHEMA["types"][f"mlserving:index:{token}"]["properties"].items():
            if prop.get("type") in ("boolean", "integer", "number") or "enum" in SCHEMA["types"].get(
                prop.get("$ref", "").removeprefix("#/types/"), {}
            ):
                assert prop.get("plain") is True, f"{token}.{name}"


# Conditions may read a non-plain input only to ask whether it was given (`is None`,
# `is not None`) or behind a guard that sees a plain string (`_given(x)`, `isinstance(x, ...)`):
# an Output has no value to branch on at construct time.
BRANCH_GUARDS = {"_given", "isinstance"}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def non_plain_fields() -> set[str]:
    """The Python field names of every input the schema does not mark plain."""
    props = [p for s in SCHEMA["resources"].values() for p in s["inputProperties"].items()]
    props += [p for s in SCHEMA["types"].values() for p in s.get("properties", {}).items()]
    return {_snake(name) for name, prop in props if not prop.get("plain")}


def unplain_branches(source: str, fields: set[str]) -> list[tuple[int, str]]:
    """(line, condition) of every condition that reads a non-plain field's value."""

    def guarded(node: ast.AST, ancestors: list[ast.AST]) -> bool:
        for anc in reversed(ancestors):
            if (
                isinstance(anc, ast.Compare)
                and anc.left is node
                and all(isinstance(op, (ast.Is, ast.IsNot)) for op in anc.ops)
                and all(isinstance(c, ast.Constant) and c.value is None for c in anc.comparators)
            ):
                return True
            if isinstance(anc, ast.Call) and isinstance(anc.func, ast.Name) and anc.func.id in BRANCH_GUARDS:
                return True
            if isinstance(anc, ast.BoolOp) and isinstance(anc.op, ast.And):
                for value in anc.values:
                    if (
                        isinstance(value, ast.Call)
                        and isinstance(value.func, ast.Name)
                        and value.func.id in BRANCH_GUARDS
                        and value.args
                        and ast.dump(value.args[0]) == ast.dump(node)
                    ):
                        return True
        return False

    def reads(node: ast.AST, ancestors: list[ast.AST]) -> bool:
        if isinstance(node, ast.Attribute) and node.attr in fields and not guarded(node, ancestors):
            return True
        return any(reads(child, [*ancestors, node]) for child in ast.iter_child_nodes(node))

    def nodes(node: ast.AST) -> list[ast.AST]:
        """Every node, but the mutated copies of functions `make mutation` writes (`x_f__mutmut_3`)."""
        if isinstance(node, ast.FunctionDef) and "__mutmut_" in node.name:
            return []
        return [node, *(n for child in ast.iter_child_nodes(node) for n in nodes(child))]

    found = []
    for node in nodes(ast.parse(source)):
        tests: list[ast.expr] = []
        if isinstance(node, (ast.If, ast.IfExp, ast.While)):
            tests = [node.test]
        elif isinstance(node, ast.comprehension):
            tests = list(node.ifs)
        found += [(test.lineno, ast.unparse(test)) for test in tests if reads(test, [])]
    return found


def test_code_branches_only_on_plain_inputs() -> None:
    fields = non_plain_fields()
    assert {"image", "environment", "tags", "kms_key_arn", "alarm_email", "location"} <= fields
    assert not {"cloud", "enabled", "strategy", "serverless", "instance_type"} & fields
    found = {
        f"{path.relative_to(ROOT)}:{line}: {test}"
        for path in sorted((ROOT / "provider" / "mlserving_provider").rglob("*.py"))
        for line, test in unplain_branches(path.read_text(encoding="utf-8"), fields)
    }
    assert found == set()


def test_the_branch_check_finds_a_branch_on_a_non_plain_input() -> None:
    source = (
        "if args.image is None:\n    pass\n"  # presence: fine
        "if _given(args.image) and not PATTERN.match(args.image):\n    pass\n"  # guarded: fine
        "if args.cdn.enabled:\n    pass\n"  # a plain switch: fine
        "if args.image.startswith('public.ecr.aws'):\n    pass\n"  # an Output has no value yet
        "x = 1 if settings.kms_key_arn == 'x' else 2\n"
        "y = [k for k in keys if args.tags]\n"
    )
    assert [line for line, _ in unplain_branches(source, non_plain_fields())] == [7, 9, 10]


def test_credentials_are_secret_outputs() -> None:
    outputs = SCHEMA["resources"]["mlserving:index:MLServingPlatform"]["properties"]
    assert [name for name, prop in outputs.items() if prop.get("secret")] == ["apiKey"]


def test_every_input_documents_itself() -> None:
    def walk(props: dict[str, Any], where: str) -> list[str]:
        return [f"{where}.{n}" for n, p in props.items() if len(p.get("description", "")) < 20]

    missing = []
    for token, spec in SCHEMA["resources"].items():
        missing += walk(spec["inputProperties"], token) + walk(spec["properties"], token)
    for token, spec in SCHEMA["types"].items():
        if spec["type"] == "object":
            missing += walk(spec["properties"], token)
    assert missing == []


def test_defaults_are_stated_in_descriptions() -> None:
    for token, spec in SCHEMA["types"].items():
        for name, prop in spec.get("properties", {}).items():
            if "default" in prop:
                shown = json.dumps(prop["default"]) if not isinstance(prop["default"], str) else prop["default"]
                assert f"Default: `{shown}`" in prop["description"], f"{token}.{name}"


@pytest.mark.parametrize("cls", [Scaling, RequestSettings])
def test_provider_side_defaults_match_the_descriptions(cls: type[Any]) -> None:
    """Scaling and RequestSettings have no schema defaults (an SDK would send them: a release could
    not inherit the platform's scaling, and AWS could not tell request settings were set); the
    provider's defaults are the ones the descriptions state."""
    props = SCHEMA["types"][f"mlserving:index:{cls.__name__}"]["properties"]
    assert [name for name, prop in props.items() if "default" in prop] == []
    for field in dataclasses.fields(cls):
        assert f"Default: `{field.default}`" in props[camel(field.name)]["description"], field.name


def test_schema_references_no_other_package() -> None:
    refs = [
        r for r in _refs(SCHEMA) if not r.startswith(("#/types/mlserving:", "#/resources/mlserving:", "pulumi.json#/"))
    ]
    assert refs == []


def test_language_sections() -> None:
    language = SCHEMA["language"]
    assert language["nodejs"]["packageName"] == "@mlserving/pulumi"
    assert language["python"]["packageName"] == "pulumi_mlserving"
    assert language["go"]["importBasePath"] == "github.com/mlserving/pulumi-mlserving/sdk/go/mlserving"


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []
