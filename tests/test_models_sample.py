"""The reference page's sample response parses into the generated models, with every value typed."""

from __future__ import annotations

import datetime
from typing import Any

from ocp_client.models import (
    BackupMode,
    ClusterType,
    DataBackupHistoryWrapperTaskPageResponse,
    DataBackupTaskStatus,
    DataBackupTaskType,
)
from ocp_client.types import UNSET

CST = datetime.timezone(datetime.timedelta(hours=8))


def test_sample_parses_into_models(reference_sample: dict[str, Any]) -> None:
    response = DataBackupHistoryWrapperTaskPageResponse.from_dict(reference_sample)

    assert response.successful is True
    assert response.status == 200
    assert response.duration == 84
    assert response.trace_id == "975e0a8a452e4ab7"
    assert response.server == "a83ad33525"
    assert response.timestamp == datetime.datetime(2021, 9, 23, 11, 3, 24, 945000, tzinfo=CST)

    page = response.data.page
    assert (page.number, page.size, page.total_elements, page.total_pages) == (1, 2000, 3, 1)

    tasks = response.data.contents
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
    # Fields the server omitted (null) stay unset, not None and not a default value.
    for omitted in ("backup_type", "task_type", "ob_tenant_id", "tenant_name", "error_msg"):
        assert getattr(first, omitted) is UNSET
    assert first.additional_properties == {}


def test_unknown_fields_are_kept(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["newField"] = {"added": "by a newer OCP"}
    response = DataBackupHistoryWrapperTaskPageResponse.from_dict(reference_sample)
    task = response.data.contents[0]
    assert task.additional_properties == {"newField": {"added": "by a newer OCP"}}
    assert task.to_dict()["newField"] == {"added": "by a newer OCP"}


def test_unknown_open_enum_value_comes_back_as_a_string(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["status"] = "PAUSED_BY_NEWER_OCP"
    task = DataBackupHistoryWrapperTaskPageResponse.from_dict(reference_sample).data.contents[0]
    assert task.status == "PAUSED_BY_NEWER_OCP"
    assert task.to_dict()["status"] == "PAUSED_BY_NEWER_OCP"
