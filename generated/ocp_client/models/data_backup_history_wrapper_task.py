from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.backup_mode import BackupMode
from ..models.cluster_type import ClusterType
from ..models.data_backup_task_status import DataBackupTaskStatus
from ..models.data_backup_task_type import DataBackupTaskType
from ..types import UNSET, Unset

T = TypeVar("T", bound="DataBackupHistoryWrapperTask")


@_attrs_define
class DataBackupHistoryWrapperTask:
    """A data backup task of a cluster (the vendor's `DataBackupHistoryWrapperTask`).

    Decision (required vs optional): OCP omits fields whose value is null. Required here are the task's identity and the
    cluster's, which OCP sets when it creates the task (`taskId`, `clusterId`, `clusterName`, `obClusterId`,
    `clusterType`, `status`, `backupMode`, `dataBackupTaskType`). Optional are the fields the sample lacks
    (`backupType`, `taskType`, `obTenantId`, `tenantName`, `errorMsg`, `dataType`, `schemaVersion`) and those only known
    once the task progresses or for some modes: `startTime`, `finishTime` (unset while the task runs), `backupSetId`,
    `dataVersion`, `backupUri`, `dataSecondaryBackupTaskIds` (physical backup only), `tenantId` (0 on cluster-level
    tasks in the sample).

    Decision (time format): entity times are written by Java's SimpleDateFormat `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, so the
    offset has no colon (`2021-09-16T17:25:05.943+0800`). That is ISO 8601 but not RFC 3339. The fields keep `format:
    date-time` so that generators produce date-time types, and a `pattern` states the spelling servers send; clients
    must accept the offset with and without colon.

    """

    task_id: int
    """ The ID of the task. """
    cluster_name: str
    """ The name of the cluster. """
    cluster_id: int
    """ The ID of the cluster. """
    ob_cluster_id: int
    """ The ID of the OceanBase cluster. """
    cluster_type: ClusterType | str
    """ The type of the cluster. Known values: `PRIMARY`, `STANDBY` (see `ClusterType`); an open set, so any other
    string may come from a newer OCP. """
    status: DataBackupTaskStatus | str
    """ The status of the task. Known values: `BEGINNING`, `INITIALIZING`, `DOING`, `DONE`, `FAILED`, and from OCP
    4.3 `CANCELING`, `CANCELED`, `OVERDUE`, `UNKNOWN` (see `DataBackupTaskStatus`); an open set, so any other string
    may come from a newer OCP. """
    backup_mode: BackupMode | str
    """ The backup mode. Known values: `PHYSICAL_BACKUP`, `LOGICAL_BACKUP` (see `BackupMode`); an open set, so any
    other string may come from a newer OCP. """
    data_backup_task_type: DataBackupTaskType | str
    """ The type of the backup task. Known values: `FULL_BACKUP`, `INCREMENTAL_BACKUP` (see `DataBackupTaskType`);
    an open set, so any other string may come from a newer OCP. """
    backup_type: str | Unset = UNSET
    """ The type of the backup. OCP documents no values. """
    task_type: str | Unset = UNSET
    """ The type of the task. OCP documents no values. """
    ob_tenant_id: int | Unset = UNSET
    """ The ID of the OceanBase Database tenant. """
    tenant_id: int | Unset = UNSET
    """ The ID of the tenant (0 on cluster-level tasks, as in the sample). """
    tenant_name: str | Unset = UNSET
    """ The name of the tenant. """
    start_time: datetime.datetime | Unset = UNSET
    """ The start time, e.g. `2021-09-16T17:25:02.993+0800` (offset without colon, see the schema's description).
    """
    finish_time: datetime.datetime | Unset = UNSET
    """ The end time, e.g. `2021-09-16T17:25:05.943+0800` (offset without colon, see the schema's description).
    Omitted while the task runs. """
    error_msg: str | Unset = UNSET
    """ The error message. Omitted when the task has none. """
    data_version: int | Unset = UNSET
    """ The data version. """
    backup_uri: str | Unset = UNSET
    """ The backup path, e.g. `file:///obbackup/`. """
    data_type: str | Unset = UNSET
    """ The data type. OCP documents no values. """
    schema_version: int | Unset = UNSET
    """ The version of the schema. """
    backup_set_id: int | Unset = UNSET
    """ The ID of the data backup set. """
    data_secondary_backup_task_ids: list[int] | Unset = UNSET
    """ The list of secondary backup tasks performed upon the backup set ID. This parameter is valid only for
    physical backup. Decision: the page's type "Arrays" is read as an array of task IDs (Long), as the sample's
    `[14]` shows. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        cluster_name = self.cluster_name

        cluster_id = self.cluster_id

        ob_cluster_id = self.ob_cluster_id

        cluster_type: str
        if isinstance(self.cluster_type, ClusterType):
            cluster_type = self.cluster_type.value
        else:
            cluster_type = self.cluster_type

        status: str
        if isinstance(self.status, DataBackupTaskStatus):
            status = self.status.value
        else:
            status = self.status

        backup_mode: str
        if isinstance(self.backup_mode, BackupMode):
            backup_mode = self.backup_mode.value
        else:
            backup_mode = self.backup_mode

        data_backup_task_type: str
        if isinstance(self.data_backup_task_type, DataBackupTaskType):
            data_backup_task_type = self.data_backup_task_type.value
        else:
            data_backup_task_type = self.data_backup_task_type

        backup_type = self.backup_type

        task_type = self.task_type

        ob_tenant_id = self.ob_tenant_id

        tenant_id = self.tenant_id

        tenant_name = self.tenant_name

        start_time: str | Unset = UNSET
        if not isinstance(self.start_time, Unset):
            start_time = self.start_time.isoformat()

        finish_time: str | Unset = UNSET
        if not isinstance(self.finish_time, Unset):
            finish_time = self.finish_time.isoformat()

        error_msg = self.error_msg

        data_version = self.data_version

        backup_uri = self.backup_uri

        data_type = self.data_type

        schema_version = self.schema_version

        backup_set_id = self.backup_set_id

        data_secondary_backup_task_ids: list[int] | Unset = UNSET
        if not isinstance(self.data_secondary_backup_task_ids, Unset):
            data_secondary_backup_task_ids = self.data_secondary_backup_task_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "taskId": task_id,
                "clusterName": cluster_name,
                "clusterId": cluster_id,
                "obClusterId": ob_cluster_id,
                "clusterType": cluster_type,
                "status": status,
                "backupMode": backup_mode,
                "dataBackupTaskType": data_backup_task_type,
            }
        )
        if backup_type is not UNSET:
            field_dict["backupType"] = backup_type
        if task_type is not UNSET:
            field_dict["taskType"] = task_type
        if ob_tenant_id is not UNSET:
            field_dict["obTenantId"] = ob_tenant_id
        if tenant_id is not UNSET:
            field_dict["tenantId"] = tenant_id
        if tenant_name is not UNSET:
            field_dict["tenantName"] = tenant_name
        if start_time is not UNSET:
            field_dict["startTime"] = start_time
        if finish_time is not UNSET:
            field_dict["finishTime"] = finish_time
        if error_msg is not UNSET:
            field_dict["errorMsg"] = error_msg
        if data_version is not UNSET:
            field_dict["dataVersion"] = data_version
        if backup_uri is not UNSET:
            field_dict["backupUri"] = backup_uri
        if data_type is not UNSET:
            field_dict["dataType"] = data_type
        if schema_version is not UNSET:
            field_dict["schemaVersion"] = schema_version
        if backup_set_id is not UNSET:
            field_dict["backupSetId"] = backup_set_id
        if data_secondary_backup_task_ids is not UNSET:
            field_dict["dataSecondaryBackupTaskIds"] = data_secondary_backup_task_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = d.pop("taskId")

        cluster_name = d.pop("clusterName")

        cluster_id = d.pop("clusterId")

        ob_cluster_id = d.pop("obClusterId")

        def _parse_cluster_type(data: object) -> ClusterType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cluster_type_type_0 = ClusterType(data)

                return cluster_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClusterType | str, data)

        cluster_type = _parse_cluster_type(d.pop("clusterType"))

        def _parse_status(data: object) -> DataBackupTaskStatus | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = DataBackupTaskStatus(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DataBackupTaskStatus | str, data)

        status = _parse_status(d.pop("status"))

        def _parse_backup_mode(data: object) -> BackupMode | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                backup_mode_type_0 = BackupMode(data)

                return backup_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BackupMode | str, data)

        backup_mode = _parse_backup_mode(d.pop("backupMode"))

        def _parse_data_backup_task_type(data: object) -> DataBackupTaskType | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                data_backup_task_type_type_0 = DataBackupTaskType(data)

                return data_backup_task_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DataBackupTaskType | str, data)

        data_backup_task_type = _parse_data_backup_task_type(d.pop("dataBackupTaskType"))

        backup_type = d.pop("backupType", UNSET)

        task_type = d.pop("taskType", UNSET)

        ob_tenant_id = d.pop("obTenantId", UNSET)

        tenant_id = d.pop("tenantId", UNSET)

        tenant_name = d.pop("tenantName", UNSET)

        _start_time = d.pop("startTime", UNSET)
        start_time: datetime.datetime | Unset
        if isinstance(_start_time, Unset):
            start_time = UNSET
        else:
            start_time = datetime.datetime.fromisoformat(_start_time)

        _finish_time = d.pop("finishTime", UNSET)
        finish_time: datetime.datetime | Unset
        if isinstance(_finish_time, Unset):
            finish_time = UNSET
        else:
            finish_time = datetime.datetime.fromisoformat(_finish_time)

        error_msg = d.pop("errorMsg", UNSET)

        data_version = d.pop("dataVersion", UNSET)

        backup_uri = d.pop("backupUri", UNSET)

        data_type = d.pop("dataType", UNSET)

        schema_version = d.pop("schemaVersion", UNSET)

        backup_set_id = d.pop("backupSetId", UNSET)

        data_secondary_backup_task_ids = cast(list[int], d.pop("dataSecondaryBackupTaskIds", UNSET))

        data_backup_history_wrapper_task = cls(
            task_id=task_id,
            cluster_name=cluster_name,
            cluster_id=cluster_id,
            ob_cluster_id=ob_cluster_id,
            cluster_type=cluster_type,
            status=status,
            backup_mode=backup_mode,
            data_backup_task_type=data_backup_task_type,
            backup_type=backup_type,
            task_type=task_type,
            ob_tenant_id=ob_tenant_id,
            tenant_id=tenant_id,
            tenant_name=tenant_name,
            start_time=start_time,
            finish_time=finish_time,
            error_msg=error_msg,
            data_version=data_version,
            backup_uri=backup_uri,
            data_type=data_type,
            schema_version=schema_version,
            backup_set_id=backup_set_id,
            data_secondary_backup_task_ids=data_secondary_backup_task_ids,
        )

        data_backup_history_wrapper_task.additional_properties = d
        return data_backup_history_wrapper_task

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
