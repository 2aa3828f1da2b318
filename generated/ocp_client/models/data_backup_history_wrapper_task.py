from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import _validation
from .._validation import parse_datetime as _parse_datetime
from ..models.backup_mode import BackupMode
from ..models.cluster_type import ClusterType
from ..models.data_backup_task_status import DataBackupTaskStatus
from ..models.data_backup_task_type import DataBackupTaskType
from ..types import UNSET, Unset

T = TypeVar("T", bound="DataBackupHistoryWrapperTask")

_BACKUP_MODE_BY_VALUE: dict[object, BackupMode] = {member.value: member for member in BackupMode}
_CLUSTER_TYPE_BY_VALUE: dict[object, ClusterType] = {member.value: member for member in ClusterType}
_DATA_BACKUP_TASK_STATUS_BY_VALUE: dict[object, DataBackupTaskStatus] = {
    member.value: member for member in DataBackupTaskStatus
}
_DATA_BACKUP_TASK_TYPE_BY_VALUE: dict[object, DataBackupTaskType] = {
    member.value: member for member in DataBackupTaskType
}

# The JSON names of the properties the spec gives DataBackupHistoryWrapperTask; any other is kept as is.
_KNOWN_PROPERTIES = frozenset(
    (
        "taskId",
        "clusterName",
        "clusterId",
        "obClusterId",
        "clusterType",
        "status",
        "backupMode",
        "dataBackupTaskType",
        "backupType",
        "taskType",
        "obTenantId",
        "tenantId",
        "tenantName",
        "startTime",
        "finishTime",
        "errorMsg",
        "dataVersion",
        "backupUri",
        "dataType",
        "schemaVersion",
        "backupSetId",
        "dataSecondaryBackupTaskIds",
    )
)


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
        """Parse and validate a JSON object against the spec's schema for DataBackupHistoryWrapperTask.

        Raises:
            ResponseValidationError: a value does not match the spec; its ``path`` names it.
        """
        d: dict[str, Any] = src_dict if type(src_dict) is dict else _validation.as_object(src_dict)
        found = 8
        task_id = d.get("taskId", UNSET)
        if type(task_id) is not int or not -9223372036854775808 <= task_id <= 9223372036854775807:
            raise _validation.invalid("taskId", "integer (int64)", task_id)

        cluster_name = d.get("clusterName", UNSET)
        if type(cluster_name) is not str:
            raise _validation.invalid("clusterName", "string", cluster_name)

        cluster_id = d.get("clusterId", UNSET)
        if (
            type(cluster_id) is not int
            or not -9223372036854775808 <= cluster_id <= 9223372036854775807
        ):
            raise _validation.invalid("clusterId", "integer (int64)", cluster_id)

        ob_cluster_id = d.get("obClusterId", UNSET)
        if (
            type(ob_cluster_id) is not int
            or not -9223372036854775808 <= ob_cluster_id <= 9223372036854775807
        ):
            raise _validation.invalid("obClusterId", "integer (int64)", ob_cluster_id)

        cluster_type = d.get("clusterType", UNSET)
        if type(cluster_type) is not str:
            raise _validation.invalid("clusterType", "string", cluster_type)
        cluster_type = _CLUSTER_TYPE_BY_VALUE.get(cluster_type, cluster_type)

        status = d.get("status", UNSET)
        if type(status) is not str:
            raise _validation.invalid("status", "string", status)
        status = _DATA_BACKUP_TASK_STATUS_BY_VALUE.get(status, status)

        backup_mode = d.get("backupMode", UNSET)
        if type(backup_mode) is not str:
            raise _validation.invalid("backupMode", "string", backup_mode)
        backup_mode = _BACKUP_MODE_BY_VALUE.get(backup_mode, backup_mode)

        data_backup_task_type = d.get("dataBackupTaskType", UNSET)
        if type(data_backup_task_type) is not str:
            raise _validation.invalid("dataBackupTaskType", "string", data_backup_task_type)
        data_backup_task_type = _DATA_BACKUP_TASK_TYPE_BY_VALUE.get(
            data_backup_task_type, data_backup_task_type
        )

        backup_type = d.get("backupType", UNSET)
        if backup_type is not UNSET:
            found += 1
            if type(backup_type) is not str:
                raise _validation.invalid("backupType", "string", backup_type)

        task_type = d.get("taskType", UNSET)
        if task_type is not UNSET:
            found += 1
            if type(task_type) is not str:
                raise _validation.invalid("taskType", "string", task_type)

        ob_tenant_id = d.get("obTenantId", UNSET)
        if ob_tenant_id is not UNSET:
            found += 1
            if (
                type(ob_tenant_id) is not int
                or not -9223372036854775808 <= ob_tenant_id <= 9223372036854775807
            ):
                raise _validation.invalid("obTenantId", "integer (int64)", ob_tenant_id)

        tenant_id = d.get("tenantId", UNSET)
        if tenant_id is not UNSET:
            found += 1
            if (
                type(tenant_id) is not int
                or not -9223372036854775808 <= tenant_id <= 9223372036854775807
            ):
                raise _validation.invalid("tenantId", "integer (int64)", tenant_id)

        tenant_name = d.get("tenantName", UNSET)
        if tenant_name is not UNSET:
            found += 1
            if type(tenant_name) is not str:
                raise _validation.invalid("tenantName", "string", tenant_name)

        start_time = d.get("startTime", UNSET)
        if start_time is not UNSET:
            found += 1
            start_time = _parse_datetime(start_time, "startTime")

        finish_time = d.get("finishTime", UNSET)
        if finish_time is not UNSET:
            found += 1
            finish_time = _parse_datetime(finish_time, "finishTime")

        error_msg = d.get("errorMsg", UNSET)
        if error_msg is not UNSET:
            found += 1
            if type(error_msg) is not str:
                raise _validation.invalid("errorMsg", "string", error_msg)

        data_version = d.get("dataVersion", UNSET)
        if data_version is not UNSET:
            found += 1
            if (
                type(data_version) is not int
                or not -9223372036854775808 <= data_version <= 9223372036854775807
            ):
                raise _validation.invalid("dataVersion", "integer (int64)", data_version)

        backup_uri = d.get("backupUri", UNSET)
        if backup_uri is not UNSET:
            found += 1
            if type(backup_uri) is not str:
                raise _validation.invalid("backupUri", "string", backup_uri)

        data_type = d.get("dataType", UNSET)
        if data_type is not UNSET:
            found += 1
            if type(data_type) is not str:
                raise _validation.invalid("dataType", "string", data_type)

        schema_version = d.get("schemaVersion", UNSET)
        if schema_version is not UNSET:
            found += 1
            if (
                type(schema_version) is not int
                or not -9223372036854775808 <= schema_version <= 9223372036854775807
            ):
                raise _validation.invalid("schemaVersion", "integer (int64)", schema_version)

        backup_set_id = d.get("backupSetId", UNSET)
        if backup_set_id is not UNSET:
            found += 1
            if (
                type(backup_set_id) is not int
                or not -9223372036854775808 <= backup_set_id <= 9223372036854775807
            ):
                raise _validation.invalid("backupSetId", "integer (int64)", backup_set_id)

        data_secondary_backup_task_ids = d.get("dataSecondaryBackupTaskIds", UNSET)
        if data_secondary_backup_task_ids is not UNSET:
            found += 1
            if type(data_secondary_backup_task_ids) is not list:
                raise _validation.invalid(
                    "dataSecondaryBackupTaskIds", "array", data_secondary_backup_task_ids
                )
            for _index0, _item0 in enumerate(data_secondary_backup_task_ids):
                if (
                    type(_item0) is not int
                    or not -9223372036854775808 <= _item0 <= 9223372036854775807
                ):
                    raise _validation.invalid(
                        "dataSecondaryBackupTaskIds" + f"[{_index0}]", "integer (int64)", _item0
                    )

        data_backup_history_wrapper_task = cls(
            task_id,
            cluster_name,
            cluster_id,
            ob_cluster_id,
            cluster_type,
            status,
            backup_mode,
            data_backup_task_type,
            backup_type,
            task_type,
            ob_tenant_id,
            tenant_id,
            tenant_name,
            start_time,
            finish_time,
            error_msg,
            data_version,
            backup_uri,
            data_type,
            schema_version,
            backup_set_id,
            data_secondary_backup_task_ids,
        )
        if len(d) != found:
            data_backup_history_wrapper_task.additional_properties = {
                key: value for key, value in d.items() if key not in _KNOWN_PROPERTIES
            }
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
