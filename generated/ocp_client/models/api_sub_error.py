from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApiSubError")


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
        d = dict(src_dict)
        object_ = d.pop("object", UNSET)

        field = d.pop("field", UNSET)

        rejected_value = d.pop("rejectedValue", UNSET)

        message = d.pop("message", UNSET)

        sql_state = d.pop("SQLState", UNSET)

        code = d.pop("code", UNSET)

        api_sub_error = cls(
            object_=object_,
            field=field,
            rejected_value=rejected_value,
            message=message,
            sql_state=sql_state,
            code=code,
        )

        api_sub_error.additional_properties = d
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
