"""The parity scenario (tests/parity/scenario.json) through the Python package: every step
calls its use case by name on the namespace objects (``crm.leads.capture(...)``) with its
arguments as keywords, and checks the result or the error code. A use case missing or
mis-wired here fails, as in the Rust, Node and Kotlin runners; so does a declared use case
the scenario never calls."""

from __future__ import annotations

import json
import pathlib
import tempfile
from typing import Any, Dict

import pytest

import crm_core
from crm_core import Crm, CrmError, _crm_core

SCENARIO = json.loads(
    (pathlib.Path(__file__).resolve().parents[2] / "tests/parity/scenario.json").read_text()
)
DECLARED = {f"{c['namespace']}.{c['name']}": c for c in crm_core.use_cases()}


def lookup(bound: Dict[str, Any], reference: str) -> Any:
    name, *path = reference.split(".")
    assert name in bound, f"${name} is not bound"
    value = bound[name]
    for part in path:
        value = value[int(part)] if part.isdigit() and isinstance(value, list) else value.get(part)
        assert value is not None, f"${reference}: no {part}"
    return value


def resolve(value: Any, bound: Dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        return lookup(bound, value[1:])
    if isinstance(value, list):
        return [resolve(v, bound) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, bound) for k, v in value.items()}
    return value


def contains(expected: Any, actual: Any, path: str) -> None:
    """Whether ``actual`` contains ``expected`` (tests/parity/README.md)."""
    if isinstance(expected, dict) and list(expected) == ["$len"]:
        assert isinstance(actual, list) and len(actual) == expected["$len"], f"{path}: expected length {expected['$len']}, got {actual!r}"
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: expected {expected!r}, got {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            contains(e, a, f"{path}[{i}]")
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for k, e in expected.items():
            contains(e, actual.get(k), f"{path}.{k}")
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(actual, (int, float)):
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"
    else:
        assert actual == expected, f"{path}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_the_parity_scenario_passes_through_the_python_package(store: str, request: Any) -> None:
    if store == "postgres":
        crm = Crm.open(request.getfixturevalue("postgres_url"), SCENARIO["region"])
    else:
        crm = Crm.in_memory(SCENARIO["region"])
    # `$scratch`: a file path of this run's own (an export writes there, an import reads it)
    bound: Dict[str, Any] = {"scratch": str(pathlib.Path(tempfile.mkdtemp(prefix="crm-parity-")) / "file")}
    called = set()
    for i, step in enumerate(SCENARIO["steps"]):
        use_case = DECLARED.get(step["call"])
        assert use_case, f"step {i}: {step['call']} is not declared"
        at = f"step {i} ({step['call']})"
        args = resolve(step.get("args", {}), bound)
        known = [p["name"] for p in use_case["params"]] + (["now"] if use_case["takes_now"] else [])
        if use_case["takes_now"]:
            args.setdefault("now", SCENARIO["now"])
        method = getattr(getattr(crm, use_case["namespace"]), use_case["name"], None)
        assert callable(method), f"{at}: crm.{step['call']} is missing"
        called.add(step["call"])
        if "as_user" in step:
            # the call is made through a handle bound to that user (refused: `forbidden`)
            try:
                handle = crm.as_user(step["as_user"])
            except CrmError as e:
                assert e.code == step.get("error"), f"{at}: {e}"
                continue
            method = getattr(getattr(handle, use_case["namespace"]), use_case["name"])
        if any(k not in known for k in args):
            # an argument the use case does not take: Python refuses the keyword itself
            assert step.get("error") == "input", f"{at}: an unknown argument must expect an input error"
            with pytest.raises(TypeError):
                method(**args)
            continue
        try:
            result = method(**args)
        except CrmError as e:
            assert step.get("error"), f"{at}: {e} ({e.code})"
            assert e.code == step["error"], f"{at}: {e}"
            continue
        assert not step.get("error"), f"{at}: expected error {step['error']}, got {result!r}"
        # the records read back as crm-core's JSON: what the scenario speaks
        as_json = json.loads(_crm_core.to_json(result))
        if "expect" in step:
            contains(resolve(step["expect"], bound), as_json, f"{at}: result")
        if "bind" in step:
            bound[step["bind"]] = as_json
    missing = sorted(set(DECLARED) - called)
    assert missing == [], f"declared use cases the scenario never calls: {missing}"


def test_every_declared_use_case_has_its_method_and_its_awaitable_twin() -> None:
    crm = Crm.in_memory()
    for key, c in DECLARED.items():
        namespace = getattr(crm, c["namespace"])
        assert callable(getattr(namespace, c["name"], None)), key
        if c["async_name"]:
            assert callable(getattr(namespace, c["async_name"], None)), c["async_name"]
