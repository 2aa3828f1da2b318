from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import _validation
from ..errors import ResponseValidationError
from ..types import UNSET

if TYPE_CHECKING:
    from ..models.data_backup_history_wrapper_task import DataBackupHistoryWrapperTask
    from ..models.page_info import PageInfo


T = TypeVar("T", bound="DataBackupHistoryWrapperTaskPage")


# The JSON names of the properties the spec gives DataBackupHistoryWrapperTaskPage; any other is kept as is.
_KNOWN_PROPERTIES = frozenset(
    (
        "contents",
        "page",
    )
)


@_attrs_define
class DataBackupHistoryWrapperTaskPage:
    """The requested data: one page of data backup tasks and the page information.

    Decision (reference page table vs sample): the page's response table draws `totalElements`, `totalPage`, `number`
    and `size` at the level of `data`; the sample, every other OCP sample and OCP's page class put them inside
    `data.page`. This description follows the sample: `data` holds only `contents` and `page`.

    """

    contents: list[DataBackupHistoryWrapperTask]
    """ The DataBackupHistoryWrapperTask array: the tasks of this page, newest first (see
    `DataBackupHistoryWrapperTask`). Decision (inferred: OCP's docs do not state the order): newest first, as in the
    sample, whose task IDs descend (23, 22, 21). A client walking the pages must not depend on it: tasks created
    during the walk shift the pages either way, and only de-duplicating by `taskId` (`x-ocp-page-item-id`) is safe.
    """
    page: PageInfo
    """ The page information of a paginated response.

    Decision (reference page table vs sample): the table names the page count `totalPage`; the sample and OCP's page
    class send `totalPages`. This description follows the sample. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        contents = []
        for contents_item_data in self.contents:
            contents_item = contents_item_data.to_dict()
            contents.append(contents_item)

        page = self.page.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contents": contents,
                "page": page,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        """Parse and validate a JSON object against the spec's schema for DataBackupHistoryWrapperTaskPage.

        Raises:
            ResponseValidationError: a value does not match the spec; its ``path`` names it.
        """
        from ..models.data_backup_history_wrapper_task import DataBackupHistoryWrapperTask  # noqa: PLC0415
        from ..models.page_info import PageInfo  # noqa: PLC0415

        d: dict[str, Any] = src_dict if type(src_dict) is dict else _validation.as_object(src_dict)
        found = 2
        contents = d.get("contents", UNSET)
        if type(contents) is not list:
            raise _validation.invalid("contents", "array", contents)
        _parse0 = DataBackupHistoryWrapperTask.from_dict  # looked up once, not per item
        try:
            contents = [_parse0(_item) for _item in contents]
        except ResponseValidationError:
            # Parse item by item again only now, to name the index of the item that failed.
            for _index0, _item0 in enumerate(contents):
                try:
                    DataBackupHistoryWrapperTask.from_dict(_item0)
                except ResponseValidationError as error:
                    raise error.within("contents" + f"[{_index0}]") from None
            raise

        page = d.get("page", UNSET)
        try:
            page = PageInfo.from_dict(page)
        except ResponseValidationError as error:
            raise error.within("page") from None

        data_backup_history_wrapper_task_page = cls(
            contents,
            page,
        )
        if len(d) != found:
            data_backup_history_wrapper_task_page.additional_properties = {
                key: value for key, value in d.items() if key not in _KNOWN_PROPERTIES
            }
        return data_backup_history_wrapper_task_page

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
