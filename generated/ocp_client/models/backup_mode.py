from enum import StrEnum


class BackupMode(StrEnum):
    LOGICAL_BACKUP = "LOGICAL_BACKUP"
    PHYSICAL_BACKUP = "PHYSICAL_BACKUP"

    def __str__(self) -> str:
        return str(self.value)
