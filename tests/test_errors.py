"""Every error of the SDK survives pickling (process pools, multiprocessing queues) intact."""

from __future__ import annotations

import pickle

import pytest

from ocp_client import errors

SAMPLES: list[errors.OcpError] = [
    errors.OcpError("any"),
    errors.ResponseValidationError("data.contents[1].taskId", "integer", "22"),
    errors.ResponseValidationError("data.page", "object", None, missing=True),
    errors.ApiError(400, "Illegal argument", code=10001, trace_id="abc", sub_errors=[{"f": 1}]),
    errors.BadRequestError(400, "Illegal argument", code=10001),
    errors.AuthenticationError(401, "bad credentials", code=30004),
    errors.PermissionDeniedError(403, "not permitted", code=30014),
    errors.NotFoundError(404, "no such cluster", code=10002, target="cluster"),
    errors.ConflictError(409, "busy", debug_message="a task runs"),
    errors.RateLimitError(429, "Too many", code=0),
    errors.ServerError(503, "busy"),
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


def test_every_error_class_is_sampled() -> None:
    public = {getattr(errors, name) for name in errors.__all__}
    assert public == {type(error) for error in SAMPLES}
