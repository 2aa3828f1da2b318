from enum import StrEnum


class DataBackupTaskType(StrEnum):
    FULL_BACKUP = "FULL_BACKUP"
    INCREMENTAL_BACKUP = "INCREMENTAL_BACKUP"

    def __str__(self) -> str:
        return str(self.value)
