"""Every error of the SDK survives pickling (process pools, multiprocessing queues) intact."""

from __future__ import annotations

import pickle

import pytest

from ocp_client import errors

SAMPLES: list[errors.OcpError] = [
    errors.ResponseValidationError("data.contents[1].taskId", "integer", "22"),
    errors.ApiError(400, "Illegal argument", code=10001, trace_id="abc", sub_errors=[{"f": 1}]),
    errors.BadRequestError(400, "Illegal argument", code=10001),
    errors.RateLimitError(429, "Too many", code=0),
    errors.ServerError(503, "busy"),
    errors.UnexpectedStatus(302, b"<html>moved</html>"),
    errors.TransportError("no answer from OCP: ConnectError"),
    errors.RequestTimeoutError("OCP did not answer in time"),
    errors.RequestValidationError("start_time", "a naive datetime has no instant"),
]


@pytest.mark.parametrize("error", SAMPLES, ids=lambda e: type(e).__name__)
def test_errors_pickle(error: errors.OcpError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
