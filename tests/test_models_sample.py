"""Every vendor sample under tests/samples/ parses into the generated models, as its operation
reads it, with every value typed as the spec says; and the reference page's sample, value for
value."""

from __future__ import annotations

import datetime
import enum
import importlib
from pathlib import Path
from typing import Any

import httpx
import pytest

import spec_model as sm
from ocp_client.models import (
    BackupMode,
    ClusterType,
    DataBackupHistoryWrapperTask,
    DataBackupTaskStatus,
    DataBackupTaskType,
    PageInfo,
)
from ocp_client.types import Page
from tests.conftest import (
    REFERENCE_SAMPLE,
    answer_response,
    load_sample,
    sample_files,
    sample_operation_id,
    spec_model_of,
)

SPEC = spec_model_of()
CST = datetime.timezone(datetime.timedelta(hours=8))


def read(op: sm.Operation, document: Any) -> Any:
    """``data`` of a sample, read as the operation's ``sync`` reads an answer."""
    module = importlib.import_module(f"ocp_client.api.{op.tag}.{op.module}")
    return module._OPERATION.parse(answer_response(op, document))


def model_class(name: str) -> Any:
    if name == sm.PAGE:
        return Page
    module = importlib.import_module(f"ocp_client.models.{SPEC.models[name].module}")
    return getattr(module, name)


def untyped(kind: sm.Type | None, value: Any, sent: Any, path: str) -> list[str]:
    """Where a parsed value is not of the Python type the spec's ``kind`` says (``sent``: the
    JSON it came from)."""
    if kind is None:  # a property the spec does not name: kept as sent
        return [] if value == sent else [f"{path}: {value!r} for {sent!r}"]
    if isinstance(kind, sm.ModelType):
        cls = model_class(kind.name)
        if type(value) is not cls:
            return [f"{path}: {type(value).__name__}, not {kind.name}"]
        problems = []
        for prop in SPEC.models[kind.name].properties:
            read_as = getattr(value, prop.py_name)
            if prop.json_name not in sent:
                if read_as is not None:
                    problems.append(f"{path}.{prop.json_name}: absent, read as {read_as!r}")
                continue
            problems += untyped(
                prop.type, read_as, sent[prop.json_name], f"{path}.{prop.json_name}"
            )
        known = {prop.json_name for prop in SPEC.models[kind.name].properties}
        unnamed = {key: item for key, item in sent.items() if key not in known}
        if value.additional_properties != unnamed:
            problems.append(f"{path}: unnamed properties {value.additional_properties}")
        return problems
    if isinstance(kind, sm.ArrayType | sm.MapType):
        if type(value) is not type(sent):
            return [f"{path}: {type(value).__name__} for {type(sent).__name__}"]
        inner = kind.items if isinstance(kind, sm.ArrayType) else kind.values
        pairs = enumerate(value) if isinstance(value, list) else value.items()
        return [p for key, item in pairs for p in untyped(inner, item, sent[key], f"{path}[{key}]")]
    if isinstance(kind, sm.EnumType):
        enum_class = getattr(importlib.import_module("ocp_client.models"), kind.name)
        known_values = {member.value for member in enum_class}
        if sent in known_values:
            ok = type(value) is enum_class and value.value == sent
        else:
            ok = kind.open and type(value) is str and value == sent
        return [] if ok else [f"{path}: {value!r} for {sent!r}"]
    if isinstance(kind, sm.DateTimeType):
        ok = isinstance(value, datetime.datetime) and value.tzinfo is not None
        return (
            [] if ok and value == datetime.datetime.fromisoformat(sent) else [f"{path}: {value!r}"]
        )
    if isinstance(kind, sm.DateType):
        return [] if value == datetime.date.fromisoformat(sent) else [f"{path}: {value!r}"]
    python = {sm.IntegerType: int, sm.StringType: str, sm.BooleanType: bool, sm.NumberType: float}
    want = python.get(type(kind))
    if want is float:
        ok = type(value) in (int, float) and value == sent
    else:
        ok = (want is None or type(value) is want) and value == sent and type(value) is type(sent)
    return [] if ok else [f"{path}: {value!r} ({type(value).__name__}) for {sent!r}"]


@pytest.mark.parametrize("sample", sample_files(), ids=lambda path: path.name)
def test_sample_parses_with_every_value_typed(sample: Path) -> None:
    op = SPEC.operation(sample_operation_id(sample))
    document = load_sample(sample)
    data = read(op, document)
    if op.result.shape == "page":
        assert op.result.item is not None
        assert type(data) is Page
        problems = untyped(
            sm.ArrayType(op.result.item),
            data.contents,
            document["data"]["contents"],
            "data.contents",
        )
        problems += untyped(
            sm.ModelType("PageInfo"), data.page, document["data"]["page"], "data.page"
        )
    elif op.result.shape == "none":
        problems = [] if data is None else [f"data: {data!r}"]
    elif op.result.framing == "envelope":
        problems = untyped(op.result.data, data, document["data"], "data")
    else:
        problems = untyped(op.result.data, data, document, "$")
    assert problems == []


def test_reference_sample_value_for_value(reference_sample: dict[str, Any]) -> None:
    page = read(SPEC.operation("listDataBackupTasks"), reference_sample)
    assert isinstance(page, Page) and isinstance(page.page, PageInfo)
    info = page.page
    assert (info.number, info.size, info.total_elements, info.total_pages) == (1, 2000, 3, 1)
    assert len(page) == 3 and list(page) == page.contents

    tasks = page.contents
    assert all(type(task) is DataBackupHistoryWrapperTask for task in tasks)
    assert [task.task_id for task in tasks] == [23, 22, 21]
    first = tasks[0]
    assert first.backup_mode is BackupMode.PHYSICAL_BACKUP
    assert first.cluster_type is ClusterType.PRIMARY
    assert first.data_backup_task_type is DataBackupTaskType.FULL_BACKUP
    assert first.status is DataBackupTaskStatus.DONE
    assert first.backup_set_id == 23
    assert first.backup_uri == "file:///obbackup/"
    assert first.cluster_id == 1000005
    assert first.cluster_name == "yc0820_17"
    assert first.data_secondary_backup_task_ids == [14]
    assert first.data_version == 32
    assert first.ob_cluster_id == 5
    assert first.tenant_id == 0
    # Entity times come with a "+0800" offset: same instant as "+08:00".
    assert first.start_time == datetime.datetime(2021, 9, 16, 17, 25, 2, 993000, tzinfo=CST)
    assert first.finish_time == datetime.datetime(2021, 9, 16, 17, 25, 5, 943000, tzinfo=CST)
    # Fields the server omitted (it omits nulls) read as None.
    for omitted in ("backup_type", "task_type", "ob_tenant_id", "tenant_name", "error_msg"):
        assert getattr(first, omitted) is None
    assert first.additional_properties == {}
    # StrEnum members print as their values (the CLI's tables print them).
    assert f"{first.status} {first.backup_mode}" == "DONE PHYSICAL_BACKUP"
    assert isinstance(first.status, enum.Enum)


def test_the_reference_envelope_is_read(reference_sample: dict[str, Any]) -> None:
    module = importlib.import_module("ocp_client.api.backup.list_data_backup_tasks")
    request = httpx.Request("GET", "http://ocp.invalid/")
    response = module._OPERATION.detailed(
        httpx.Response(200, json=reference_sample, request=request)
    )
    envelope = response.envelope
    assert envelope is not None
    assert envelope.successful is True
    assert envelope.status == 200
    assert envelope.duration == 84
    assert envelope.trace_id == "975e0a8a452e4ab7"
    assert envelope.server == "a83ad33525"
    assert envelope.timestamp == datetime.datetime(2021, 9, 23, 11, 3, 24, 945000, tzinfo=CST)
    assert response.parsed is not None and len(response.parsed.contents) == 3


def test_unknown_fields_are_kept(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["newField"] = {"added": "by a newer OCP"}
    task = read(SPEC.operation("listDataBackupTasks"), reference_sample).contents[0]
    assert task.additional_properties == {"newField": {"added": "by a newer OCP"}}
    assert task.to_dict()["newField"] == {"added": "by a newer OCP"}


def test_unknown_open_enum_value_comes_back_as_a_string(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["status"] = "PAUSED_BY_NEWER_OCP"
    task = read(SPEC.operation("listDataBackupTasks"), reference_sample).contents[0]
    assert task.status == "PAUSED_BY_NEWER_OCP" and type(task.status) is str
    assert task.to_dict()["status"] == "PAUSED_BY_NEWER_OCP"


def test_the_walk_sees_a_wrong_type() -> None:
    """The typing check itself is not blind: a value of another type is reported."""
    kind = sm.ModelType("PageInfo")
    info = PageInfo(number=1, size=2, total_elements=3, total_pages=1)
    sent = {"number": 1, "size": 2, "totalElements": 3, "totalPages": 1}
    assert untyped(kind, info, sent, "page") == []
    info.size = 2.0  # type: ignore[assignment]
    assert untyped(kind, info, sent, "page") == ["page.size: 2.0 (float) for 2"]
    assert REFERENCE_SAMPLE.exists()
