import datetime
from collections.abc import AsyncGenerator, Iterator
from typing import Any
from urllib.parse import quote

import httpx

from ... import _pagination, _responses, _validation, errors
from ...client import AuthenticatedClient, Client
from ...models.data_backup_history_wrapper_task import DataBackupHistoryWrapperTask
from ...models.data_backup_history_wrapper_task_page_response import (
    DataBackupHistoryWrapperTaskPageResponse,
)
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    backup_set_id: int | Unset = UNSET,
    page: int,
    size: int,
) -> dict[str, Any]:
    if not isinstance(id, int) or isinstance(id, bool) or not 1 <= id <= 9223372036854775807:
        raise errors.RequestValidationError(
            "id", f"expected an int from 1 to 9223372036854775807, got {id!r}"
        )
    if not isinstance(start_time, Unset) and (not isinstance(start_time, datetime.datetime)):
        raise errors.RequestValidationError(
            "start_time", f"expected a datetime.datetime, got {start_time!r}"
        )
    if not isinstance(start_time, Unset):
        _validation.check_aware("start_time", start_time)
    if not isinstance(end_time, Unset) and (not isinstance(end_time, datetime.datetime)):
        raise errors.RequestValidationError(
            "end_time", f"expected a datetime.datetime, got {end_time!r}"
        )
    if not isinstance(end_time, Unset):
        _validation.check_aware("end_time", end_time)
    if not isinstance(backup_set_id, Unset) and (
        not isinstance(backup_set_id, int)
        or isinstance(backup_set_id, bool)
        or not 1 <= backup_set_id <= 9223372036854775807
    ):
        raise errors.RequestValidationError(
            "backup_set_id", f"expected an int from 1 to 9223372036854775807, got {backup_set_id!r}"
        )
    if not isinstance(page, int) or isinstance(page, bool) or not 1 <= page <= 9223372036854775807:
        raise errors.RequestValidationError(
            "page", f"expected an int from 1 to 9223372036854775807, got {page!r}"
        )
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 2000:
        raise errors.RequestValidationError("size", f"expected an int from 1 to 2000, got {size!r}")
    if isinstance(start_time, Unset) != isinstance(end_time, Unset):
        raise errors.RequestValidationError(
            "start_time" if isinstance(start_time, Unset) else "end_time",
            "missing: start_time and end_time go together (OCP answers error 10006 to one alone)",
        )
    if (
        not isinstance(start_time, Unset)
        and not isinstance(end_time, Unset)
        and start_time > end_time
    ):
        raise errors.RequestValidationError(
            "end_time",
            f"{end_time!r} is before start_time ({start_time!r}): OCP answers error 10005",
        )

    params: dict[str, Any] = {}

    json_start_time: str | Unset = UNSET
    if not isinstance(start_time, Unset):
        json_start_time = start_time.isoformat()
    params["startTime"] = json_start_time

    json_end_time: str | Unset = UNSET
    if not isinstance(end_time, Unset):
        json_end_time = end_time.isoformat()
    params["endTime"] = json_end_time

    params["backupSetId"] = backup_set_id

    params["page"] = page

    params["size"] = size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v2/ob/clusters/{id}/backup/task/dataBackupTasks".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DataBackupHistoryWrapperTaskPageResponse | ErrorResponse | None:
    if response.status_code == 200:
        return _responses.parse_success(
            response, DataBackupHistoryWrapperTaskPageResponse.from_dict
        )
    if response.status_code == 400:
        return _responses.parse_error_body(response, ErrorResponse.from_dict)
    if response.status_code == 401:
        return _responses.parse_error_body(response, ErrorResponse.from_dict)
    if response.status_code == 403:
        return _responses.parse_error_body(response, ErrorResponse.from_dict)
    if response.status_code == 404:
        return _responses.parse_error_body(response, ErrorResponse.from_dict)
    if response.status_code == 429:
        return _responses.parse_error_body(response, ErrorResponse.from_dict)
    if 400 <= response.status_code <= 499:
        return _responses.parse_error_body(response, ErrorResponse.from_dict)
    if 500 <= response.status_code <= 599:
        return _responses.parse_error_body(response, ErrorResponse.from_dict)
    if 200 <= response.status_code <= 299:  # a 2xx the spec does not list: as sync() reads it
        return _responses.parse_success(
            response, DataBackupHistoryWrapperTaskPageResponse.from_dict
        )
    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DataBackupHistoryWrapperTaskPageResponse | ErrorResponse]:
    return Response(
        status_code=_responses.http_status(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    backup_set_id: int | Unset = UNSET,
    page: int,
    size: int,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int | None = None,
) -> Response[DataBackupHistoryWrapperTaskPageResponse | ErrorResponse]:
    """Query data backup tasks of a cluster

     You can call this operation to query data backup tasks of a cluster.

    Prerequisites: the caller has the Read-only permission on cluster backup and recovery, and has
    passed the authentication for the OCP application service.

    Results are paginated (`page` is 1-based, `size` is clamped to 2000). Tasks created while a listing
    runs shift page boundaries: a client walking the pages may see a task twice.

    Args:
        id (int): The ID of the cluster.
        start_time (datetime.datetime | Unset): The start time of the period. An ISO 8601 date-
            time with an extended offset (`±HH:MM`) or `Z`, e.g. `2021-09-16T15:14:51.397+08:00`; a
            time without offset has no defined meaning. Percent-encode it in the query string: a raw
            `+` is decoded by the server as a space. OCP answers error 10006 unless `startTime` and
            `endTime` are both set or both omitted.
        end_time (datetime.datetime | Unset): The end time of the period. Same format as
            `startTime` (`±HH:MM` or `Z`, percent-encoded), e.g. `2021-09-16T15:20:51.397+08:00`.
            Decision (inferred: OCP's docs do not say which task time the period bounds): the period
            is read as bounding the tasks' `startTime`, at or after `startTime` and at or before
            `endTime` (`x-ocp-filter`).
        backup_set_id (int | Unset): The ID of the data backup set.
        page (int): The page number of the content to be queried, 1-based (the first page is 1).
            Decision: typed Long (int64), as the reference page types it, with no maximum, although
            the answer's `data.page.number` is an Integer (int32): a page past 2147483647 is never
            served, and an answer numbering one is refused by a validating client rather than the
            request bounded here on a guess.
        size (int): The number of records on each page. The server serves at most 2000 records a
            page: a larger value is accepted and silently clamped to 2000 (the clamped value comes
            back in `data.page.size`). Decision: `maximum: 2000` states the most a page holds, so that
            clients do not ask for more; OCP itself clamps a larger value instead of refusing it.

    Raises:
        errors.ApiError: a 2xx answer whose body says `successful: false` (error statuses come back
            as the Response).
        errors.ResponseValidationError: a 2xx body that does not match the spec.
        errors.RequestValidationError: an argument does not match the spec (found before any
            request is made).
        errors.TransportError: no answer (connection refused or broken); its subclass
            errors.RequestTimeoutError when the request takes longer than Client.timeout.

    Returns:
        Response[DataBackupHistoryWrapperTaskPageResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        start_time=start_time,
        end_time=end_time,
        backup_set_id=backup_set_id,
        page=page,
        size=size,
    )

    with _responses.transport_errors():
        response = client.get_httpx_client().request(
            **kwargs, **_responses.request_options(timeout, max_retries)
        )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    backup_set_id: int | Unset = UNSET,
    page: int,
    size: int,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int | None = None,
) -> DataBackupHistoryWrapperTaskPageResponse:
    """Query data backup tasks of a cluster

     You can call this operation to query data backup tasks of a cluster.

    Prerequisites: the caller has the Read-only permission on cluster backup and recovery, and has
    passed the authentication for the OCP application service.

    Results are paginated (`page` is 1-based, `size` is clamped to 2000). Tasks created while a listing
    runs shift page boundaries: a client walking the pages may see a task twice.

    Args:
        id (int): The ID of the cluster.
        start_time (datetime.datetime | Unset): The start time of the period. An ISO 8601 date-
            time with an extended offset (`±HH:MM`) or `Z`, e.g. `2021-09-16T15:14:51.397+08:00`; a
            time without offset has no defined meaning. Percent-encode it in the query string: a raw
            `+` is decoded by the server as a space. OCP answers error 10006 unless `startTime` and
            `endTime` are both set or both omitted.
        end_time (datetime.datetime | Unset): The end time of the period. Same format as
            `startTime` (`±HH:MM` or `Z`, percent-encoded), e.g. `2021-09-16T15:20:51.397+08:00`.
            Decision (inferred: OCP's docs do not say which task time the period bounds): the period
            is read as bounding the tasks' `startTime`, at or after `startTime` and at or before
            `endTime` (`x-ocp-filter`).
        backup_set_id (int | Unset): The ID of the data backup set.
        page (int): The page number of the content to be queried, 1-based (the first page is 1).
            Decision: typed Long (int64), as the reference page types it, with no maximum, although
            the answer's `data.page.number` is an Integer (int32): a page past 2147483647 is never
            served, and an answer numbering one is refused by a validating client rather than the
            request bounded here on a guess.
        size (int): The number of records on each page. The server serves at most 2000 records a
            page: a larger value is accepted and silently clamped to 2000 (the clamped value comes
            back in `data.page.size`). Decision: `maximum: 2000` states the most a page holds, so that
            clients do not ask for more; OCP itself clamps a larger value instead of refusing it.

    Raises:
        errors.ApiError: OCP answered with an error status or `successful: false` (a subclass
            per status: BadRequestError, AuthenticationError, RateLimitError, ServerError, ...).
        errors.ResponseValidationError: the response does not match the spec.
        errors.RequestValidationError: an argument does not match the spec (found before any
            request is made).
        errors.TransportError: no answer (connection refused or broken); its subclass
            errors.RequestTimeoutError when the request takes longer than Client.timeout.

    Returns:
        DataBackupHistoryWrapperTaskPageResponse
    """

    kwargs = _get_kwargs(
        id=id,
        start_time=start_time,
        end_time=end_time,
        backup_set_id=backup_set_id,
        page=page,
        size=size,
    )
    with _responses.transport_errors():
        response = client.get_httpx_client().request(
            **kwargs, **_responses.request_options(timeout, max_retries)
        )
    return _responses.parse_success(response, DataBackupHistoryWrapperTaskPageResponse.from_dict)


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    backup_set_id: int | Unset = UNSET,
    page: int,
    size: int,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int | None = None,
) -> Response[DataBackupHistoryWrapperTaskPageResponse | ErrorResponse]:
    """Query data backup tasks of a cluster

     You can call this operation to query data backup tasks of a cluster.

    Prerequisites: the caller has the Read-only permission on cluster backup and recovery, and has
    passed the authentication for the OCP application service.

    Results are paginated (`page` is 1-based, `size` is clamped to 2000). Tasks created while a listing
    runs shift page boundaries: a client walking the pages may see a task twice.

    Args:
        id (int): The ID of the cluster.
        start_time (datetime.datetime | Unset): The start time of the period. An ISO 8601 date-
            time with an extended offset (`±HH:MM`) or `Z`, e.g. `2021-09-16T15:14:51.397+08:00`; a
            time without offset has no defined meaning. Percent-encode it in the query string: a raw
            `+` is decoded by the server as a space. OCP answers error 10006 unless `startTime` and
            `endTime` are both set or both omitted.
        end_time (datetime.datetime | Unset): The end time of the period. Same format as
            `startTime` (`±HH:MM` or `Z`, percent-encoded), e.g. `2021-09-16T15:20:51.397+08:00`.
            Decision (inferred: OCP's docs do not say which task time the period bounds): the period
            is read as bounding the tasks' `startTime`, at or after `startTime` and at or before
            `endTime` (`x-ocp-filter`).
        backup_set_id (int | Unset): The ID of the data backup set.
        page (int): The page number of the content to be queried, 1-based (the first page is 1).
            Decision: typed Long (int64), as the reference page types it, with no maximum, although
            the answer's `data.page.number` is an Integer (int32): a page past 2147483647 is never
            served, and an answer numbering one is refused by a validating client rather than the
            request bounded here on a guess.
        size (int): The number of records on each page. The server serves at most 2000 records a
            page: a larger value is accepted and silently clamped to 2000 (the clamped value comes
            back in `data.page.size`). Decision: `maximum: 2000` states the most a page holds, so that
            clients do not ask for more; OCP itself clamps a larger value instead of refusing it.

    Raises:
        errors.ApiError: a 2xx answer whose body says `successful: false` (error statuses come back
            as the Response).
        errors.ResponseValidationError: a 2xx body that does not match the spec.
        errors.RequestValidationError: an argument does not match the spec (found before any
            request is made).
        errors.TransportError: no answer (connection refused or broken); its subclass
            errors.RequestTimeoutError when the request takes longer than Client.timeout.

    Returns:
        Response[DataBackupHistoryWrapperTaskPageResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        start_time=start_time,
        end_time=end_time,
        backup_set_id=backup_set_id,
        page=page,
        size=size,
    )

    with _responses.transport_errors():
        response = await client.get_async_httpx_client().request(
            **kwargs, **_responses.request_options(timeout, max_retries)
        )

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    backup_set_id: int | Unset = UNSET,
    page: int,
    size: int,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int | None = None,
) -> DataBackupHistoryWrapperTaskPageResponse:
    """Query data backup tasks of a cluster

     You can call this operation to query data backup tasks of a cluster.

    Prerequisites: the caller has the Read-only permission on cluster backup and recovery, and has
    passed the authentication for the OCP application service.

    Results are paginated (`page` is 1-based, `size` is clamped to 2000). Tasks created while a listing
    runs shift page boundaries: a client walking the pages may see a task twice.

    Args:
        id (int): The ID of the cluster.
        start_time (datetime.datetime | Unset): The start time of the period. An ISO 8601 date-
            time with an extended offset (`±HH:MM`) or `Z`, e.g. `2021-09-16T15:14:51.397+08:00`; a
            time without offset has no defined meaning. Percent-encode it in the query string: a raw
            `+` is decoded by the server as a space. OCP answers error 10006 unless `startTime` and
            `endTime` are both set or both omitted.
        end_time (datetime.datetime | Unset): The end time of the period. Same format as
            `startTime` (`±HH:MM` or `Z`, percent-encoded), e.g. `2021-09-16T15:20:51.397+08:00`.
            Decision (inferred: OCP's docs do not say which task time the period bounds): the period
            is read as bounding the tasks' `startTime`, at or after `startTime` and at or before
            `endTime` (`x-ocp-filter`).
        backup_set_id (int | Unset): The ID of the data backup set.
        page (int): The page number of the content to be queried, 1-based (the first page is 1).
            Decision: typed Long (int64), as the reference page types it, with no maximum, although
            the answer's `data.page.number` is an Integer (int32): a page past 2147483647 is never
            served, and an answer numbering one is refused by a validating client rather than the
            request bounded here on a guess.
        size (int): The number of records on each page. The server serves at most 2000 records a
            page: a larger value is accepted and silently clamped to 2000 (the clamped value comes
            back in `data.page.size`). Decision: `maximum: 2000` states the most a page holds, so that
            clients do not ask for more; OCP itself clamps a larger value instead of refusing it.

    Raises:
        errors.ApiError: OCP answered with an error status or `successful: false` (a subclass
            per status: BadRequestError, AuthenticationError, RateLimitError, ServerError, ...).
        errors.ResponseValidationError: the response does not match the spec.
        errors.RequestValidationError: an argument does not match the spec (found before any
            request is made).
        errors.TransportError: no answer (connection refused or broken); its subclass
            errors.RequestTimeoutError when the request takes longer than Client.timeout.

    Returns:
        DataBackupHistoryWrapperTaskPageResponse
    """

    kwargs = _get_kwargs(
        id=id,
        start_time=start_time,
        end_time=end_time,
        backup_set_id=backup_set_id,
        page=page,
        size=size,
    )
    with _responses.transport_errors():
        response = await client.get_async_httpx_client().request(
            **kwargs, **_responses.request_options(timeout, max_retries)
        )
    return _responses.parse_success(response, DataBackupHistoryWrapperTaskPageResponse.from_dict)


def _item_key(item: DataBackupHistoryWrapperTask) -> object:
    return item.task_id


def sync_iter(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    backup_set_id: int | Unset = UNSET,
    size: int = _pagination.MAX_PAGE_SIZE,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int | None = None,
    concurrency: int = _pagination.DEFAULT_CONCURRENCY,
) -> Iterator[DataBackupHistoryWrapperTask]:
    """Query data backup tasks of a cluster: every DataBackupHistoryWrapperTask of every page.

    Requests pages of ``size`` items (default the server's maximum, 2000) with :func:`sync` and
    yields their items in order, each ``taskId`` once. Once the first page has told how many
    pages there are, up to ``concurrency`` pages are requested at once by worker threads, so
    that waiting for the server overlaps with parsing and with your own work; ``concurrency=1``
    requests them one by one in the calling thread. Leaving the loop early (``break``, an
    exception) requests no more pages and drops those in flight without waiting for them; to
    leave early from an iterator you keep a reference to, iterate inside
    ``with contextlib.closing(sync_iter(...)) as tasks:``.

    A listing is not a snapshot: an item created after its page was read is not seen, and an
    item deleted during the walk may shift another one out of sight. The walk stops on
    ``totalPages``, and never requests more than twice the pages the first answer announced
    (plus one): a server still announcing more then is a ResponseValidationError.

    Raises:
        The errors of :func:`sync`, for the page that failed; items of earlier pages have been
        yielded by then; errors.RequestValidationError for ``concurrency`` below 1.
    """
    return _pagination.iterate(
        lambda page: sync(
            id,
            client=client,
            start_time=start_time,
            end_time=end_time,
            backup_set_id=backup_set_id,
            page=page,
            size=size,
            timeout=timeout,
            max_retries=max_retries,
        ),
        _item_key,
        size=size,
        concurrency=concurrency,
    )


def asyncio_iter(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    start_time: datetime.datetime | Unset = UNSET,
    end_time: datetime.datetime | Unset = UNSET,
    backup_set_id: int | Unset = UNSET,
    size: int = _pagination.MAX_PAGE_SIZE,
    timeout: float | httpx.Timeout | None = None,
    max_retries: int | None = None,
    concurrency: int = _pagination.DEFAULT_CONCURRENCY,
) -> AsyncGenerator[DataBackupHistoryWrapperTask, None]:
    """Query data backup tasks of a cluster: every DataBackupHistoryWrapperTask of every page, asynchronously.

    As :func:`sync_iter`, with the pages requested ahead as asyncio tasks; items still come in
    page order, each ``taskId`` once. Pages requested ahead are cancelled when the
    generator is closed: to stop early, iterate inside
    ``async with contextlib.aclosing(asyncio_iter(...)) as tasks:``.
    """
    return _pagination.aiterate(
        lambda page: asyncio(
            id,
            client=client,
            start_time=start_time,
            end_time=end_time,
            backup_set_id=backup_set_id,
            page=page,
            size=size,
            timeout=timeout,
            max_retries=max_retries,
        ),
        _item_key,
        size=size,
        concurrency=concurrency,
    )
