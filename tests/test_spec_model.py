"""spec_model's rules that several tools read: what a path parameter stands for (the SDK's
argument names, the stand-in's scopes and clusters) and what an OCP time is (the stand-in's and
the contract tests' `format: date-time`, held to the SDK's parser in tests/test_validation.py).
"""

from __future__ import annotations

import pytest

import spec_model as sm

SPEC = sm.load()


@pytest.mark.parametrize(
    ("path", "name", "resource", "prop"),
    [
        ("/api/v2/ob/clusters/{id}/backup/info", "id", "cluster", "clusterId"),
        ("/api/v2/policies/{id}", "id", "policy", "policyId"),
        ("/api/v2/tasks/{taskInstanceId}", "taskInstanceId", "taskInstance", "taskInstanceId"),
        ("/api/v2/ob/clusters/{id}/tenants/{tenantId}", "tenantId", "tenant", "tenantId"),
        # No collection before it: the item's own `id`.
        ("/api/v2/things/{thing}/{id}", "id", "id", "id"),
        ("/{id}", "id", "id", "id"),
        ("/api/v2/files/{id}.json", "id", "id", "id"),
    ],
)  # fmt: skip
def test_what_a_path_parameter_stands_for(path: str, name: str, resource: str, prop: str) -> None:
    assert sm.path_resource(path, name) == resource
    assert sm.resource_property(path, name) == prop


def test_each_path_argument_is_named_after_the_property_it_stands_for() -> None:
    parameters = [(op, p) for op in SPEC.operations for p in op.parameters if p.location == "path"]
    assert {p.py_name for _, p in parameters} >= {"cluster_id", "task_instance_id"}
    for op, parameter in parameters:
        assert parameter.py_name == sm.snake(sm.resource_property(op.path, parameter.name))


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2021-09-16T17:25:05.943+0800", True),
        ("2021-09-23T11:03:24.945+08:00", True),
        ("2021-09-23T03:03:24.123456789Z", True),
        ("2021-09-23T11:03:24+0859", True),
        ("2021-09-23T11:03:24+0860", False),  # fromisoformat alone reads +09:00
        ("2021-09-23T11:03:24+08:60", False),
        ("2021-09-23T11:03:24+2400", False),
        ("2021-09-23T03:03:24.1234567890Z", False),  # 10 fraction digits
        ("2021-09-23T03:03:24Z\n", False),
        ("2021-02-29T11:03:24+08:00", False),
        (20210923, True),  # a format constrains strings only
    ],
)
def test_an_ocp_time(value: object, valid: bool) -> None:
    assert sm.is_ocp_date_time(value) is valid
