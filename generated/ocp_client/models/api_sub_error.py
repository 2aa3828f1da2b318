from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import _validation
from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiSubError")


# The JSON names of the properties the spec gives ApiSubError; any other is kept as is.
_KNOWN_PROPERTIES = frozenset(
    (
        "object",
        "field",
        "rejectedValue",
        "message",
        "SQLState",
        "code",
    )
)


@_attrs_define
class ApiSubError:
    """One error behind an `ApiError`: a validation error (`object`, `field`, `rejectedValue`, `message`) or a database
    error (`SQLState`, `code`, `message`).

    """

    object_: str | Unset = UNSET
    """ The name of the object that failed validation. """
    field: str | Unset = UNSET
    """ The field that failed validation. """
    rejected_value: Any | Unset = UNSET
    """ The value that was rejected, of any JSON type. """
    message: str | Unset = UNSET
    """ What was wrong. """
    sql_state: str | Unset = UNSET
    """ The SQL state of a database error. """
    code: int | Unset = UNSET
    """ The vendor code of a database error. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        object_ = self.object_

        field = self.field

        rejected_value = self.rejected_value

        message = self.message

        sql_state = self.sql_state

        code = self.code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if object_ is not UNSET:
            field_dict["object"] = object_
        if field is not UNSET:
            field_dict["field"] = field
        if rejected_value is not UNSET:
            field_dict["rejectedValue"] = rejected_value
        if message is not UNSET:
            field_dict["message"] = message
        if sql_state is not UNSET:
            field_dict["SQLState"] = sql_state
        if code is not UNSET:
            field_dict["code"] = code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse and validate a JSON object against the spec's schema for ApiSubError.

        Raises:
            ResponseValidationError: a value does not match the spec; its ``path`` names it.
        """
        d: dict[str, Any] = src_dict if type(src_dict) is dict else _validation.as_object(src_dict)
        found = 0
        object_ = d.get("object", UNSET)
        if object_ is not UNSET:
            found += 1
            if type(object_) is not str:
                raise _validation.invalid("object", "string", object_)

        field = d.get("field", UNSET)
        if field is not UNSET:
            found += 1
            if type(field) is not str:
                raise _validation.invalid("field", "string", field)

        rejected_value = d.get("rejectedValue", UNSET)
        if rejected_value is not UNSET:
            found += 1
        message = d.get("message", UNSET)
        if message is not UNSET:
            found += 1
            if type(message) is not str:
                raise _validation.invalid("message", "string", message)

        sql_state = d.get("SQLState", UNSET)
        if sql_state is not UNSET:
            found += 1
            if type(sql_state) is not str:
                raise _validation.invalid("SQLState", "string", sql_state)

        code = d.get("code", UNSET)
        if code is not UNSET:
            found += 1
            if type(code) is not int or not -2147483648 <= code <= 2147483647:
                raise _validation.invalid("code", "integer (int32)", code)

        api_sub_error = cls(
            object_,
            field,
            rejected_value,
            message,
            sql_state,
            code,
        )
        if len(d) != found:
            api_sub_error.additional_properties = {
                key: value for key, value in d.items() if key not in _KNOWN_PROPERTIES
            }
        return api_sub_error

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
