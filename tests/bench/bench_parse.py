"""Benchmark: read one answer of 2000 tasks (the whole body: envelope and page).

    .venv/bin/python tests/bench/bench_parse.py [--tasks N] [--repeat N]

Compares, on the same bytes: json.loads alone; ocp_client, as ``list_data_backup_tasks.sync()``
reads an answer once it has it (the operation's parse: JSON, envelope, the page and every task
validated, a ``Page`` of models); the openapi-python-client default output for the same spec
(generated into a scratch directory with no template overrides: ``from_dict`` of its model of
the 200 answer, which validates nothing); a pydantic v2 model of the same schema; and
`eager_floor`, the least any parser that builds the attrs models at parse time must do. Prints
the best of --repeat runs of each and the ratio to json.loads. Not a test: numbers depend on the
machine.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import httpx
import yaml
from pydantic import BaseModel, ConfigDict, Field

from ocp_client import Page
from ocp_client.api.backup import list_data_backup_tasks
from ocp_client.models import DataBackupHistoryWrapperTask

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import spec_model  # noqa: E402 (after the path insert)

SPEC = ROOT / "openapi" / "ocp.yaml"
OPERATION_ID = "listDataBackupTasks"


def page_of(tasks: int) -> bytes:
    sample = json.loads(
        (ROOT / "tests/samples/list-data-backup-tasks.page-sample.json").read_text()
    )
    template = sample["data"]["contents"]
    sample["data"]["contents"] = [
        {**template[i % len(template)], "taskId": 10_000 + i, "backupSetId": 5_000 + i}
        for i in range(tasks)
    ]
    sample["data"]["page"].update(totalElements=tasks, size=tasks)
    return json.dumps(sample).encode()


def ocp_client_parse(body: bytes) -> Page[DataBackupHistoryWrapperTask]:
    """What ``sync()`` does with the answer once it has it (the operation's one parse path)."""
    return list_data_backup_tasks._OPERATION.parse(httpx.Response(200, content=body))


def generator_default(scratch: Path) -> Any:
    """The model of the 200 answer in openapi-python-client's default output for our spec
    (``ListDataBackupTasksResponse200``: envelope, page and tasks)."""
    bin_dir = Path(sys.executable).parent
    # The operation's path alone: openapi-python-client gives the `contents` of every list's
    # `allOf: [Page, ...]` one item class, another list's when the spec has several.
    document = spec_model.load_document(SPEC)
    document["paths"] = {
        path: item
        for path, item in document["paths"].items()
        if any(isinstance(o, dict) and o.get("operationId") == OPERATION_ID for o in item.values())
    }
    spec = scratch / "spec.yaml"
    spec.write_text(yaml.safe_dump(document), encoding="utf-8")
    subprocess.run(
        [str(bin_dir / "openapi-python-client"), "generate", "--path", str(spec),
         "--meta", "none", "--output-path", str(scratch / "ocp_client_default")],
        check=True, capture_output=True, cwd=scratch, timeout=300,
        env={"PATH": str(bin_dir)},
    )  # fmt: skip
    sys.path.insert(0, str(scratch))
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", OPERATION_ID).lower()
    module = importlib.import_module(f"ocp_client_default.models.{name}_response_200")
    return getattr(module, f"{OPERATION_ID[0].upper()}{OPERATION_ID[1:]}Response200")


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class PydanticTask(_Model):
    task_id: int = Field(alias="taskId")
    backup_type: str | None = Field(None, alias="backupType")
    task_type: str | None = Field(None, alias="taskType")
    cluster_name: str = Field(alias="clusterName")
    cluster_id: int = Field(alias="clusterId")
    ob_cluster_id: int = Field(alias="obClusterId")
    ob_tenant_id: int | None = Field(None, alias="obTenantId")
    cluster_type: str = Field(alias="clusterType")
    tenant_id: int | None = Field(None, alias="tenantId")
    tenant_name: str | None = Field(None, alias="tenantName")
    # strict=False on times: pydantic's strict mode refuses strings for datetimes.
    start_time: datetime.datetime | None = Field(None, alias="startTime", strict=False)
    finish_time: datetime.datetime | None = Field(None, alias="finishTime", strict=False)
    status: str
    error_msg: str | None = Field(None, alias="errorMsg")
    data_version: int | None = Field(None, alias="dataVersion")
    backup_uri: str | None = Field(None, alias="backupUri")
    data_type: str | None = Field(None, alias="dataType")
    schema_version: int | None = Field(None, alias="schemaVersion")
    backup_set_id: int | None = Field(None, alias="backupSetId")
    backup_mode: str = Field(alias="backupMode")
    data_backup_task_type: str = Field(alias="dataBackupTaskType")
    data_secondary_backup_task_ids: list[int] | None = Field(
        None, alias="dataSecondaryBackupTaskIds"
    )


class PydanticPageInfo(_Model):
    number: int
    size: int
    total_elements: int = Field(alias="totalElements")
    total_pages: int = Field(alias="totalPages")


class PydanticPage(_Model):
    contents: list[PydanticTask]
    page: PydanticPageInfo


class PydanticResponse(_Model):
    data: PydanticPage
    successful: bool
    timestamp: datetime.datetime = Field(strict=False)
    duration: int
    status: int
    trace_id: str = Field(alias="traceId")
    server: str


_fromisoformat = datetime.datetime.fromisoformat


def eager_floor(body: bytes) -> list[DataBackupHistoryWrapperTask]:
    """What any parser that builds attrs models at parse time must at least do, each step at C
    speed: json.loads; the type of every value, looked at once; the two times parsed, unchecked;
    the constructor, called with ready-made arguments. It validates nothing and keeps nothing it
    read, so its cost is a lower bound for eager validating models, not a parser."""
    contents = json.loads(body)["data"]["contents"]
    arguments = FLOOR_ARGUMENTS
    tasks = []
    for item in contents:
        tuple(map(type, item.values()))
        _fromisoformat(item["startTime"])
        _fromisoformat(item["finishTime"])
        tasks.append(DataBackupHistoryWrapperTask(**arguments))
    return tasks


# Any value will do: the constructor does not check them. One per property the task has (the
# models' constructors take keywords only).
_FIELDS: tuple[attrs.Attribute[Any], ...] = attrs.fields(DataBackupHistoryWrapperTask)
FLOOR_ARGUMENTS: dict[str, Any] = {
    field.name: index for index, field in enumerate(_FIELDS) if field.init
}


def best_of(repeat: int, function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def run(tasks: int = 2000, repeat: int = 50) -> dict[str, float]:
    """Best-of-``repeat`` milliseconds of each way of parsing one page of ``tasks`` tasks."""
    body = page_of(tasks)
    with tempfile.TemporaryDirectory() as scratch:
        default_model = generator_default(Path(scratch))
        candidates: dict[str, Callable[[], object]] = {
            "json.loads": lambda: json.loads(body),
            "ocp_client (validating)": lambda: ocp_client_parse(body),
            "generator default (no validation)": lambda: default_model.from_dict(json.loads(body)),
            "pydantic v2 (json.loads + model_validate)": lambda: PydanticResponse.model_validate(
                json.loads(body)
            ),
            "pydantic v2 (model_validate_json)": lambda: PydanticResponse.model_validate_json(body),
            "lower bound of eager attrs models (no checks)": lambda: eager_floor(body),
        }
        for check in candidates.values():  # warm up, and prove each one parses the page
            check()
        return {name: best_of(repeat, fn) for name, fn in candidates.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    results = run(args.tasks, args.repeat)
    baseline = results["json.loads"]
    print(f"parse of one page of {args.tasks} tasks, best of {args.repeat}")
    print(f"{'':44} {'ms':>8} {'x json.loads':>13}")
    for name, ms in results.items():
        print(f"{name:44} {ms:8.2f} {ms / baseline:12.2f}x")


if __name__ == "__main__":
    main()
