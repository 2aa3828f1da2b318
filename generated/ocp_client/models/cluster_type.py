from enum import StrEnum


class ClusterType(StrEnum):
    PRIMARY = "PRIMARY"
    STANDBY = "STANDBY"

    def __str__(self) -> str:
        return str(self.value)
