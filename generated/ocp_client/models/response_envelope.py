from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ResponseEnvelope")


@_attrs_define
class ResponseEnvelope:
    """The fields OCP writes on every response, success or error."""

    successful: bool
    """ Indicates whether the request was successful. """
    timestamp: datetime.datetime
    """ The timestamp when the server completed the request, e.g. `2021-09-23T11:03:24.945+08:00`. Decision: the
    envelope is written by Java's OffsetDateTime with an extended offset (`+08:00`), unlike entity times (`+0800`);
    the pattern accepts both spellings so that one rule serves every OCP time. """
    duration: int
    """ The time taken by the server to process the request, in milliseconds. """
    status: int
    """ An HTTP status code, the response's own, echoed in the body. """
    trace_id: str
    """ The trace ID of the request, used for troubleshooting; quote it to OCP support. May be the empty string (the
    429 example of OCP's docs). """
    server: str
    """ The address of the application server that responded to the request. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        successful = self.successful

        timestamp = self.timestamp.isoformat()

        duration = self.duration

        status = self.status

        trace_id = self.trace_id

        server = self.server

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "successful": successful,
                "timestamp": timestamp,
                "duration": duration,
                "status": status,
                "traceId": trace_id,
                "server": server,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        successful = d.pop("successful")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        duration = d.pop("duration")

        status = d.pop("status")

        trace_id = d.pop("traceId")

        server = d.pop("server")

        response_envelope = cls(
            successful=successful,
            timestamp=timestamp,
            duration=duration,
            status=status,
            trace_id=trace_id,
            server=server,
        )

        response_envelope.additional_properties = d
        return response_envelope

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
