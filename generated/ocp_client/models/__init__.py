"""Contains all the data models used in inputs/outputs"""

from .api_error import ApiError
from .api_sub_error import ApiSubError
from .backup_mode import BackupMode
from .cluster_type import ClusterType
from .data_backup_history_wrapper_task import DataBackupHistoryWrapperTask
from .data_backup_history_wrapper_task_page import DataBackupHistoryWrapperTaskPage
from .data_backup_history_wrapper_task_page_response import DataBackupHistoryWrapperTaskPageResponse
from .data_backup_task_status import DataBackupTaskStatus
from .data_backup_task_type import DataBackupTaskType
from .error_response import ErrorResponse
from .page_info import PageInfo
from .response_envelope import ResponseEnvelope

__all__ = (
    "ApiError",
    "ApiSubError",
    "BackupMode",
    "ClusterType",
    "DataBackupHistoryWrapperTask",
    "DataBackupHistoryWrapperTaskPage",
    "DataBackupHistoryWrapperTaskPageResponse",
    "DataBackupTaskStatus",
    "DataBackupTaskType",
    "ErrorResponse",
    "PageInfo",
    "ResponseEnvelope",
)
