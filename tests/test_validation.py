"""Models never lie: every from_dict checks what it reads against the spec and names the path of
what is wrong; unknown properties and unknown open-enum values are kept; times are instants."""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocp_client import models
from ocp_client.errors import OcpError, ResponseValidationError
from ocp_client.models import (
    DataBackupHistoryWrapperTaskPageResponse,
    DataBackupTaskStatus,
)
from tests.conftest import REFERENCE_SAMPLE
from tests.contract.spec_schema import SpecSchemas, error_messages

Response = DataBackupHistoryWrapperTaskPageResponse
CST = datetime.timezone(datetime.timedelta(hours=8))
UTC = datetime.UTC


def parse_error(document: Any) -> ResponseValidationError:
    with pytest.raises(ResponseValidationError) as caught:
        Response.from_dict(document)
    return caught.value


def test_validation_error_is_an_ocp_error() -> None:
    assert issubclass(ResponseValidationError, OcpError)


# The four failures the issue measured on the generator's default output.
def test_string_for_an_int64_is_refused(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][2]["taskId"] = "abc"
    error = parse_error(reference_sample)
    assert error.path == "data.contents[2].taskId"
    assert error.expected == "integer (int64)"
    assert error.value == "abc"
    assert str(error) == "data.contents[2].taskId: expected integer (int64), got 'abc'"


# Integers are held to the range of their format and to the spec's minimum and maximum.
@pytest.mark.parametrize(
    ("where", "value", "path", "expected"),
    [
        (("contents", 0, "taskId"), 2**63, "data.contents[0].taskId", "integer (int64)"),
        (("contents", 0, "taskId"), -(2**63) - 1, "data.contents[0].taskId", "integer (int64)"),
        (("contents", 1, "dataSecondaryBackupTaskIds", 0), 2**70,
         "data.contents[1].dataSecondaryBackupTaskIds[0]", "integer (int64)"),
        (("page", "totalPages"), -3, "data.page.totalPages", "integer from 0 to 2147483647"),
        (("page", "totalPages"), 2**31, "data.page.totalPages", "integer from 0 to 2147483647"),
        (("page", "number"), 0, "data.page.number", "integer from 1 to 2147483647"),
        (("page", "size"), 2001, "data.page.size", "integer from 0 to 2000"),
        (("page", "totalElements"), 10**400, "data.page.totalElements",
         "integer from 0 to 9223372036854775807"),
    ],
)  # fmt: skip
def test_integers_out_of_range_are_refused(
    reference_sample: dict[str, Any],
    where: tuple[str | int, ...],
    value: int,
    path: str,
    expected: str,
) -> None:
    target: Any = reference_sample["data"]
    for key in where[:-1]:
        target = target[key]
    if isinstance(target, list) and not target:
        target.append(1)
    target[where[-1]] = value
    error = parse_error(reference_sample)
    assert (error.path, error.expected, error.value) == (path, expected, value)


def test_the_range_bounds_themselves_are_accepted(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["taskId"] = 2**63 - 1
    reference_sample["data"]["page"].update(number=1, size=2000, totalPages=0)
    parsed = Response.from_dict(reference_sample)
    assert parsed.data.contents[0].task_id == 2**63 - 1
    assert (parsed.data.page.size, parsed.data.page.total_pages) == (2000, 0)


def test_array_for_an_object_is_refused(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"] = []
    error = parse_error(reference_sample)
    assert (error.path, error.expected, error.value) == ("data", "object", [])


def test_null_for_an_array_is_refused(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"] = None
    error = parse_error(reference_sample)
    assert (error.path, error.expected, error.value) == ("data.contents", "array", None)


def test_malformed_timestamp_names_its_field(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][1]["finishTime"] = "2021-09-15T25:61:06.269+0800"
    error = parse_error(reference_sample)
    assert error.path == "data.contents[1].finishTime"
    assert "date-time" in error.expected
    assert error.value == "2021-09-15T25:61:06.269+0800"


@pytest.mark.parametrize(
    ("location", "value", "expected"),
    [
        # a bool is not an int
        (("data", "page", "number"), True, "integer from 1 to 2147483647"),
        (("data", "page", "totalPages"), 1.0, "integer from 0 to 2147483647"),
        (("successful",), 1, "boolean"),
        (("traceId",), 975, "string"),
        (("data", "contents", 0, "dataSecondaryBackupTaskIds"), 14, "array"),
        (("data", "contents", 0, "clusterType"), ["PRIMARY"], "string"),
        (("data", "page"), "1", "object"),
    ],
)
def test_wrong_json_type_is_refused_with_its_path(
    reference_sample: dict[str, Any], location: tuple[str | int, ...], value: Any, expected: str
) -> None:
    *parents, last = location
    target: Any = reference_sample
    for key in parents:
        target = target[key]
    target[last] = value
    error = parse_error(reference_sample)
    path = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in location).lstrip(".")
    assert (error.path, error.expected, error.value) == (path, expected, value)


def test_wrong_item_in_an_array_names_its_index(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][1]["dataSecondaryBackupTaskIds"] = [12, "13"]
    error = parse_error(reference_sample)
    assert error.path == "data.contents[1].dataSecondaryBackupTaskIds[1]"


def test_missing_required_property_is_refused(reference_sample: dict[str, Any]) -> None:
    del reference_sample["data"]["contents"][0]["status"]
    error = parse_error(reference_sample)
    assert error.path == "data.contents[0].status"
    assert error.missing
    assert str(error) == "data.contents[0].status: expected string, missing"


def test_null_for_a_required_property_is_refused(reference_sample: dict[str, Any]) -> None:
    # OCP omits null fields; a null is not a value the spec allows anywhere.
    reference_sample["data"]["contents"][0]["backupSetId"] = None
    error = parse_error(reference_sample)
    assert (error.path, error.value, error.missing) == ("data.contents[0].backupSetId", None, False)


def test_non_object_body_is_refused() -> None:
    error = parse_error([1, 2])
    assert (error.path, error.expected) == ("$", "object")


def test_long_values_are_cut_in_messages(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["taskId"] = "x" * 10_000
    assert len(str(parse_error(reference_sample))) < 200


@pytest.mark.parametrize(
    ("spelling", "instant"),
    [
        ("2021-09-16T17:25:05.943+0800", datetime.datetime(2021, 9, 16, 17, 25, 5, 943000, CST)),
        ("2021-09-16T17:25:05.943+08:00", datetime.datetime(2021, 9, 16, 17, 25, 5, 943000, CST)),
        ("2021-09-16T09:25:05Z", datetime.datetime(2021, 9, 16, 9, 25, 5, tzinfo=UTC)),
        ("2021-09-16T17:25:05+0800", datetime.datetime(2021, 9, 16, 17, 25, 5, tzinfo=CST)),
        ("2021-09-16T17:25:05.9+0800", datetime.datetime(2021, 9, 16, 17, 25, 5, 900000, CST)),
        # Python keeps microseconds: nanoseconds are cut (README).
        (
            "2021-09-16T17:25:05.123456789+0800",
            datetime.datetime(2021, 9, 16, 17, 25, 5, 123456, CST),
        ),
        ("2021-09-16T04:25:05.943-0500", datetime.datetime(2021, 9, 16, 9, 25, 5, 943000, UTC)),
    ],
)
def test_ocp_time_spellings_are_accepted(
    reference_sample: dict[str, Any], spelling: str, instant: datetime.datetime
) -> None:
    reference_sample["data"]["contents"][0]["startTime"] = spelling
    assert Response.from_dict(reference_sample).data.contents[0].start_time == instant


@pytest.mark.parametrize(
    "spelling",
    [
        "2021-09-16T17:25:05.943",  # no offset: the instant is unknown
        "2021-09-16 17:25:05.943+08:00",
        "20210916T172505+0800",
        "2021-09-16T17:25+08:00",
        "2021-09-16T17:25:05.943+08",
        "2021-09-16",
        "2021-02-30T17:25:05Z",
        "",
        "yesterday",
        "2021-09-16T17Z",  # fromisoformat reads these short and odd spellings; OCP never sends them
        "2021-09-16T17+08:00",
        "2021-09-16T17:25+0800",
        "2021-09-16T17:25:05,943+08:00",
        "2021-09-16T17:25:05.+0800",
        "2021-09-16T17:25:05.943+08:0",
        "2021-09-16T17:25:05.943 +0800",
        "2021-09-16T17:25:05.1234567890+0800",  # 10 fraction digits: the pattern allows 9
        "2021-09-16T17:25:05.943+0860",  # fromisoformat reads minutes 60 as the next hour
        "2021-09-16T17:25:05.943+08:60",
        "2021-09-16T17:25:05.943+08:00:00",
        "2021-09-16T17:25:05.943+2400",
        "2021-09-16T17:25:05.94x+0800",
        "2021-09-16T17:25:05.123456xyz+0800",  # fromisoformat skips digits 7-9 unread
        "2021-09-16T17:25:05.1234567:Z",
        "2021-09-16T17:25:05.123456٣٣+0800",
    ],
)
def test_other_time_spellings_are_refused(reference_sample: dict[str, Any], spelling: str) -> None:
    reference_sample["timestamp"] = spelling
    error = parse_error(reference_sample)
    assert (error.path, error.value) == ("timestamp", spelling)


def test_unknown_properties_are_kept_at_every_level(reference_sample: dict[str, Any]) -> None:
    reference_sample["region"] = "cn-hz"
    reference_sample["data"]["cursor"] = None
    reference_sample["data"]["page"]["hasNext"] = False
    reference_sample["data"]["contents"][1]["lag"] = {"seconds": 3}
    response = Response.from_dict(reference_sample)
    assert response.additional_properties == {"region": "cn-hz"}
    assert response.data.additional_properties == {"cursor": None}
    assert response.data.page.additional_properties == {"hasNext": False}
    assert response.data.contents[1].additional_properties == {"lag": {"seconds": 3}}
    assert response.data.contents[0].additional_properties == {}
    written = response.to_dict()
    assert written["region"] == "cn-hz"
    assert written["data"]["contents"][1]["lag"] == {"seconds": 3}


def test_open_enum_known_and_unknown_values(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["status"] = "SUSPENDED"
    reference_sample["data"]["contents"][1]["status"] = "FAILED"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning spam for a value a newer OCP sends
        tasks = Response.from_dict(reference_sample).data.contents
    assert tasks[0].status == "SUSPENDED" and type(tasks[0].status) is str
    assert tasks[1].status is DataBackupTaskStatus.FAILED
    assert tasks[2].status == DataBackupTaskStatus.DONE
    assert [t.to_dict()["status"] for t in tasks] == ["SUSPENDED", "FAILED", "DONE"]
    assert all(type(t.to_dict()["status"]) is str for t in tasks)


def as_instants(document: Any) -> Any:
    """The document with every OCP time string replaced by its instant (timestamps are written
    back in Python's spelling: `+08:00`, microseconds)."""
    if isinstance(document, dict):
        return {key: as_instants(value) for key, value in document.items()}
    if isinstance(document, list):
        return [as_instants(value) for value in document]
    if isinstance(document, str) and len(document) > 19 and document[10:11] == "T":
        return datetime.datetime.fromisoformat(document)
    return document


def test_round_trip_is_exact_but_for_time_spelling(reference_sample: dict[str, Any]) -> None:
    written = Response.from_dict(copy.deepcopy(reference_sample)).to_dict()
    assert as_instants(written) == as_instants(reference_sample)
    task = written["data"]["contents"][0]
    assert task["startTime"] == "2021-09-16T17:25:02.993000+08:00"
    assert json.loads(json.dumps(written)) == written


# --- every schema of the spec, not a hand-kept list -------------------------------------------


def model_class(name: str) -> Any:
    module = importlib.import_module(f"ocp_client.models.{snake(name)}")
    return getattr(module, name)


def snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def object_schemas(spec: dict[str, Any]) -> list[str]:
    return [
        name
        for name, schema in spec["components"]["schemas"].items()
        if schema.get("type") == "object" or "allOf" in schema
    ]


def test_every_object_schema_refuses_a_non_object(spec: dict[str, Any]) -> None:
    names = object_schemas(spec)
    assert "DataBackupHistoryWrapperTask" in names and len(names) >= 8
    for name in names:
        bad: object
        for bad in (None, [], "x", 1):
            with pytest.raises(ResponseValidationError) as caught:
                model_class(name).from_dict(bad)
            assert caught.value.path == "$"


def required_of(spec: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    required = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        target = (
            spec["components"]["schemas"][part["$ref"].rsplit("/", 1)[1]]
            if "$ref" in part
            else part
        )
        required |= required_of(spec, target)
    return required  # fmt: skip


def test_every_required_property_is_enforced(spec: dict[str, Any]) -> None:
    """For each object schema: an empty object fails on a required property, reported missing."""
    for name in object_schemas(spec):
        required = required_of(spec, spec["components"]["schemas"][name])
        if not required:
            assert model_class(name).from_dict({}).additional_properties == {}
            continue
        with pytest.raises(ResponseValidationError) as caught:
            model_class(name).from_dict({})
        assert caught.value.missing and caught.value.path in required


def test_models_module_exports_every_schema(spec: dict[str, Any]) -> None:
    assert set(spec["components"]["schemas"]) <= set(models.__all__)


# --- property-based: mutate valid responses ---------------------------------------------------

SAMPLE = json.loads(REFERENCE_SAMPLE.read_text(encoding="utf-8"))
TIME_FIELDS = {"timestamp", "startTime", "finishTime"}
PAGE_RESPONSE = SpecSchemas().component("DataBackupHistoryWrapperTaskPageResponse")


def locations(document: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix] if prefix else []
    if isinstance(document, dict):
        for key, value in document.items():
            found += locations(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += locations(value, (*prefix, index))
    return found


LOCATIONS = locations(SAMPLE)
REPLACEMENTS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(
        [
            "2021-09-16T17:25:05+0800",
            "2021-09-16T17:25:05",
            "2021-9-16T1:2:3Z",
            "2021-09-16T17Z",
            "2021-09-16T17+08:00",
            "2021-09-16T17:25:05,9Z",
        ]
    ),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def json_path(location: tuple[str | int, ...]) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in location).lstrip(".")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    location=st.sampled_from(LOCATIONS),
    action=st.sampled_from(["replace", "delete"]),
    replacement=REPLACEMENTS,
)
def test_mutated_responses_parse_or_fail_with_the_right_path(
    location: tuple[str | int, ...], action: str, replacement: Any
) -> None:
    document = copy.deepcopy(SAMPLE)
    *parents, last = location
    container: Any = document
    for key in parents:
        container = container[key]
    original = container[last]
    if action == "delete":
        del container[last]
    else:
        container[last] = replacement
    # The spec's own verdict, from its JSON Schema (tests/contract): the SDK must agree with it.
    spec_errors = error_messages(PAGE_RESPONSE, document)
    try:
        response = Response.from_dict(document)
    except ResponseValidationError as error:
        mutated = json_path(location)
        if action == "delete" and isinstance(last, int):
            # Removing an array item shifts the others; the error is about the array's content.
            mutated = json_path(tuple(parents))
        assert error.path == mutated or error.path.startswith((mutated + ".", mutated + "[")), (
            f"mutated {mutated}, error at {error.path}"
        )
        # JSON Schema counts 3.0 as an integer; OCP writes Longs as integers, and so do models.
        integral_float = type(replacement) is float and replacement.is_integer()
        assert spec_errors or integral_float, (
            f"the spec allows {mutated} = {replacement!r} ({action}) but the models refused it"
        )
        return
    assert not spec_errors, f"the models accepted what the spec refuses: {spec_errors}"
    # Parsed: then the mutation must be one the spec allows.
    if action == "delete":
        assert isinstance(last, int) or last not in {"taskId", "status", "data", "successful"}
    else:
        assert type(replacement) is type(original) or (
            isinstance(last, int) and type(replacement) is int
        ), f"{json_path(location)} accepted {replacement!r} for {original!r}"
        if last in TIME_FIELDS:
            assert replacement == "2021-09-16T17:25:05+0800", f"{last} accepted {replacement!r}"
    assert isinstance(response, Response)


def spec_and_models_agree(document: Any) -> str | None:
    """None when the models accept exactly what the spec's JSON Schema accepts, else why not."""
    spec_errors = error_messages(PAGE_RESPONSE, document)
    try:
        Response.from_dict(document)
    except ResponseValidationError as error:
        return None if spec_errors else f"models refused ({error}), the spec allows it"
    return f"models accepted, the spec refuses: {spec_errors}" if spec_errors else None


class _Delete:
    def __repr__(self) -> str:
        return "<deleted>"


DELETE = _Delete()
FIXED_REPLACEMENTS: list[Any] = [None, "x", -1, 0, 2**64, True, [], {}, "2021-09-16T17:25:05Z"]


def test_every_single_mutation_is_judged_as_the_spec_judges_it() -> None:
    """Exhaustive where the hypothesis test samples: each location deleted, and replaced by each
    of a few values, must be accepted by the models exactly when the spec accepts it."""
    disagreements = []
    for location in LOCATIONS:
        *parents, last = location
        for replacement in [DELETE, *FIXED_REPLACEMENTS]:
            document = copy.deepcopy(SAMPLE)
            container: Any = document
            for key in parents:
                container = container[key]
            if replacement is DELETE:
                del container[last]
            else:
                container[last] = replacement
            verdict = spec_and_models_agree(document)
            if verdict:
                disagreements.append(f"{json_path(location)} <- {replacement!r}: {verdict}")
    assert not disagreements, "\n".join(disagreements)
