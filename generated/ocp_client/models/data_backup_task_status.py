from enum import StrEnum


class DataBackupTaskStatus(StrEnum):
    BEGINNING = "BEGINNING"
    CANCELED = "CANCELED"
    CANCELING = "CANCELING"
    DOING = "DOING"
    DONE = "DONE"
    FAILED = "FAILED"
    INITIALIZING = "INITIALIZING"
    OVERDUE = "OVERDUE"
    UNKNOWN = "UNKNOWN"

    def __str__(self) -> str:
        return str(self.value)
