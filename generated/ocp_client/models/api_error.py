from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import _validation
from ..errors import ResponseValidationError
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.api_sub_error import ApiSubError


T = TypeVar("T", bound="ApiError")


# The JSON names of the properties the spec gives ApiError; any other is kept as is.
_KNOWN_PROPERTIES = frozenset(
    (
        "code",
        "message",
        "debugMessage",
        "target",
        "subErrors",
        "stackTrace",
    )
)


@_attrs_define
class ApiError:
    """The error of a failed request (OCP's `ApiError`)."""

    code: int
    """ OCP's error code, e.g. 10001 illegal argument, 10002 not found, 10005 invalid start/end time, 10006 start
    and end time must both be set or both be empty, 10007 time range too large, 10010 unexpected, 30000 not
    authenticated, 30004 bad credentials, 30014 not permitted. 0 when unset. """
    message: str
    """ The error message, localised by the request's `Accept-Language`. """
    debug_message: str | Unset = UNSET
    """ Details for debugging, when the server gives them. """
    target: str | Unset = UNSET
    """ The object the error concerns, when the server names one. """
    sub_errors: list[ApiSubError] | Unset = UNSET
    """ The individual errors behind this one (validation or database errors). """
    stack_trace: str | Unset = UNSET
    """ The server's stack trace, sent only when the request has `X-ReturnStackTrace true`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        debug_message = self.debug_message

        target = self.target

        sub_errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.sub_errors, Unset):
            sub_errors = []
            for sub_errors_item_data in self.sub_errors:
                sub_errors_item = sub_errors_item_data.to_dict()
                sub_errors.append(sub_errors_item)

        stack_trace = self.stack_trace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if debug_message is not UNSET:
            field_dict["debugMessage"] = debug_message
        if target is not UNSET:
            field_dict["target"] = target
        if sub_errors is not UNSET:
            field_dict["subErrors"] = sub_errors
        if stack_trace is not UNSET:
            field_dict["stackTrace"] = stack_trace

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse and validate a JSON object against the spec's schema for ApiError.

        Raises:
            ResponseValidationError: a value does not match the spec; its ``path`` names it.
        """
        from ..models.api_sub_error import ApiSubError  # noqa: PLC0415

        d: dict[str, Any] = src_dict if type(src_dict) is dict else _validation.as_object(src_dict)
        found = 2
        code = d.get("code", UNSET)
        if type(code) is not int or not -2147483648 <= code <= 2147483647:
            raise _validation.invalid("code", "integer (int32)", code)

        message = d.get("message", UNSET)
        if type(message) is not str:
            raise _validation.invalid("message", "string", message)

        debug_message = d.get("debugMessage", UNSET)
        if debug_message is not UNSET:
            found += 1
            if type(debug_message) is not str:
                raise _validation.invalid("debugMessage", "string", debug_message)

        target = d.get("target", UNSET)
        if target is not UNSET:
            found += 1
            if type(target) is not str:
                raise _validation.invalid("target", "string", target)

        sub_errors = d.get("subErrors", UNSET)
        if sub_errors is not UNSET:
            found += 1
            if type(sub_errors) is not list:
                raise _validation.invalid("subErrors", "array", sub_errors)
            _parse0 = ApiSubError.from_dict  # looked up once, not per item
            try:
                sub_errors = [_parse0(_item) for _item in sub_errors]
            except ResponseValidationError:
                # Parse item by item again only now, to name the index of the item that failed.
                for _index0, _item0 in enumerate(sub_errors):
                    try:
                        ApiSubError.from_dict(_item0)
                    except ResponseValidationError as error:
                        raise error.within("subErrors" + f"[{_index0}]") from None
                raise

        stack_trace = d.get("stackTrace", UNSET)
        if stack_trace is not UNSET:
            found += 1
            if type(stack_trace) is not str:
                raise _validation.invalid("stackTrace", "string", stack_trace)

        api_error = cls(
            code,
            message,
            debug_message,
            target,
            sub_errors,
            stack_trace,
        )
        if len(d) != found:
            api_error.additional_properties = {
                key: value for key, value in d.items() if key not in _KNOWN_PROPERTIES
            }
        return api_error

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
