from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import _validation
from .._validation import parse_datetime as _parse_datetime
from ..errors import ResponseValidationError
from ..types import UNSET

if TYPE_CHECKING:
    from ..models.api_error import ApiError


T = TypeVar("T", bound="ErrorResponse")


# The JSON names of the properties the spec gives ErrorResponse; any other is kept as is.
_KNOWN_PROPERTIES = frozenset(
    (
        "successful",
        "timestamp",
        "duration",
        "status",
        "traceId",
        "server",
        "error",
    )
)


@_attrs_define
class ErrorResponse:
    """The envelope of an error response, with `successful` false and the error."""

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
    error: ApiError
    """ The error of a failed request (OCP's `ApiError`). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        successful = self.successful

        timestamp = self.timestamp.isoformat()

        duration = self.duration

        status = self.status

        trace_id = self.trace_id

        server = self.server

        error = self.error.to_dict()

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
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse and validate a JSON object against the spec's schema for ErrorResponse.

        Raises:
            ResponseValidationError: a value does not match the spec; its ``path`` names it.
        """
        from ..models.api_error import ApiError  # noqa: PLC0415

        d: dict[str, Any] = src_dict if type(src_dict) is dict else _validation.as_object(src_dict)
        found = 7
        successful = d.get("successful", UNSET)
        if type(successful) is not bool:
            raise _validation.invalid("successful", "boolean", successful)

        timestamp = d.get("timestamp", UNSET)
        timestamp = _parse_datetime(timestamp, "timestamp")

        duration = d.get("duration", UNSET)
        if type(duration) is not int or not 0 <= duration <= 9223372036854775807:
            raise _validation.invalid("duration", "integer from 0 to 9223372036854775807", duration)

        status = d.get("status", UNSET)
        if type(status) is not int or not 100 <= status <= 599:
            raise _validation.invalid("status", "integer from 100 to 599", status)

        trace_id = d.get("traceId", UNSET)
        if type(trace_id) is not str:
            raise _validation.invalid("traceId", "string", trace_id)

        server = d.get("server", UNSET)
        if type(server) is not str:
            raise _validation.invalid("server", "string", server)

        error = d.get("error", UNSET)
        try:
            error = ApiError.from_dict(error)
        except ResponseValidationError as error:
            raise error.within("error") from None

        error_response = cls(
            successful,
            timestamp,
            duration,
            status,
            trace_id,
            server,
            error,
        )
        if len(d) != found:
            error_response.additional_properties = {
                key: value for key, value in d.items() if key not in _KNOWN_PROPERTIES
            }
        return error_response

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
