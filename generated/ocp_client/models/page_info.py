from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import _validation
from ..types import UNSET

T = TypeVar("T", bound="PageInfo")


# The JSON names of the properties the spec gives PageInfo; any other is kept as is.
_KNOWN_PROPERTIES = frozenset(
    (
        "number",
        "size",
        "totalElements",
        "totalPages",
    )
)


@_attrs_define
class PageInfo:
    """The page information of a paginated response.

    Decision (reference page table vs sample): the table names the page count `totalPage`; the sample and OCP's page
    class send `totalPages`. This description follows the sample.

    """

    number: int
    """ The number of the current page, 1-based like the `page` parameter. """
    size: int
    """ The size of the current page, as the server applied it, which is not always the size requested. Decision
    (reference page sample): the sample answers `size: 2000` to a request for
    10. That is the server's effective page size (requests above 2000 are clamped to 2000, and this server echoed
    its maximum), not a contradiction to resolve by trusting the request: clients must take the count of `contents`
    from `contents` itself and the number of pages from `totalPages`. """
    total_elements: int
    """ The total number of records over all pages. """
    total_pages: int
    """ The total number of pages (0 when there is no record). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        size = self.size

        total_elements = self.total_elements

        total_pages = self.total_pages

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "size": size,
                "totalElements": total_elements,
                "totalPages": total_pages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse and validate a JSON object against the spec's schema for PageInfo.

        Raises:
            ResponseValidationError: a value does not match the spec; its ``path`` names it.
        """
        d: dict[str, Any] = src_dict if type(src_dict) is dict else _validation.as_object(src_dict)
        found = 4
        number = d.get("number", UNSET)
        if type(number) is not int or not 1 <= number <= 2147483647:
            raise _validation.invalid("number", "integer from 1 to 2147483647", number)

        size = d.get("size", UNSET)
        if type(size) is not int or not 0 <= size <= 2000:
            raise _validation.invalid("size", "integer from 0 to 2000", size)

        total_elements = d.get("totalElements", UNSET)
        if type(total_elements) is not int or not 0 <= total_elements <= 9223372036854775807:
            raise _validation.invalid(
                "totalElements", "integer from 0 to 9223372036854775807", total_elements
            )

        total_pages = d.get("totalPages", UNSET)
        if type(total_pages) is not int or not 0 <= total_pages <= 2147483647:
            raise _validation.invalid("totalPages", "integer from 0 to 2147483647", total_pages)

        page_info = cls(
            number,
            size,
            total_elements,
            total_pages,
        )
        if len(d) != found:
            page_info.additional_properties = {
                key: value for key, value in d.items() if key not in _KNOWN_PROPERTIES
            }
        return page_info

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
