"""Models never lie: every answer is checked against the spec, and what is wrong is named by its
path; unknown properties and unknown open-enum values are kept; times are instants.

Two ways to read a model: ``Model.from_dict`` is compiled on a class's first use (a fast path
that falls back on anything unsure), ``Model.parse_detailed`` walks the fields one by one and
defines what is valid. For every model of the spec (and of the probe, tests/conftest.py, with the
constructs the spec does not use yet), hypothesis draws valid instances from the spec's schema and
mutates them (wrong types, out-of-range integers, nulls, missing required keys, unknown keys, odd
time spellings): both ways give the same object or the same error (path, expected, value), and
accept exactly what the spec's JSON Schema accepts. Then the rules one by one, on the reference
page's sample read as its operation reads it.
"""

from __future__ import annotations

import copy
import datetime
import importlib
import json
import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import spec_model as sm
from ocp_client import _kinds, _validation, models
from ocp_client.api.backup import list_data_backup_tasks
from ocp_client.errors import ApiError, OcpError, RequestValidationError, ResponseValidationError
from ocp_client.models import DataBackupHistoryWrapperTask, DataBackupTaskStatus, PageInfo
from ocp_client.types import Page
from tests.conftest import REFERENCE_SAMPLE, load_sample, probe_models, probe_spec, spec_model_of
from tests.contract.spec_schema import SpecSchemas, error_messages
from tests.contract.strategies import date_time_strings, examples_per_case, from_schema

SPEC = spec_model_of()
CST = datetime.timezone(datetime.timedelta(hours=8))
UTC = datetime.UTC
OPERATION = list_data_backup_tasks._OPERATION
SAMPLE = load_sample(REFERENCE_SAMPLE)
PAGE_ANSWER = SpecSchemas().validator(
    SPEC.operation("listDataBackupTasks").result.media["schema"]  # type: ignore[index]
)


def read(document: Any) -> Page[DataBackupHistoryWrapperTask]:
    """An answer body read as ``list_data_backup_tasks.sync`` reads it (the sample's operation)."""
    request = httpx.Request("GET", "http://ocp.invalid/api/v2/ob/clusters/1/backup/task/x")
    answer: Page[DataBackupHistoryWrapperTask] = OPERATION.parse(
        httpx.Response(200, json=document, request=request)
    )
    return answer


def parse_error(document: Any) -> ResponseValidationError:
    with pytest.raises(ResponseValidationError) as caught:
        read(document)
    return caught.value


# --- the compiled path and the detailed path agree, on every model ------------------------------


def same(a: Any, b: Any) -> bool:
    """Equal, and alike in every type: a member is not its value, nor +08:00 the same instant in
    UTC (``==`` says both are)."""
    if type(a) is not type(b):
        return False
    if attrs.has(type(a)):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, datetime.datetime):
        return bool(a == b and a.utcoffset() == b.utcoffset())
    return bool(a == b)


def outcome(
    parse: Callable[[Any], Any], value: Any, error_type: type[Exception] = ResponseValidationError
) -> Any:
    """What a parse gives: the object, or the error's facts (``error_type``: the package's
    ResponseValidationError)."""
    try:
        return parse(value)
    except error_type as error:
        return type(error), error.path, error.expected, error.value, error.missing  # type: ignore[attr-defined]


_OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$")
ODD_OFFSETS = [
    *("Z", "z", "+08", "+0800", "+08:00", "-05:30", "+0530", "+0860", "+08:60", "+08.5"),
    *("+08,5", "+08.0", "+2400", "-2359", "", "+08:00:00", " +0800", "+8:00", "+08:0"),
]
FOREIGN_DIGITS = "٣３߃"  # Arabic-Indic, full-width, NKo three


def _twist(text: str, how: str, n: int, char: str) -> str:
    """One change to a valid OCP time: its offset, its fraction, a digit, a separator."""
    if how == "offset":
        return _OFFSET.sub("", text) + ODD_OFFSETS[n % len(ODD_OFFSETS)]
    if how == "fraction":
        offset = _OFFSET.search(text)
        assert offset is not None
        fraction = ["", ".", ",943", "." + "1234567890123"[: n % 13]][n % 4]
        return text[:19] + fraction + offset.group(0)
    if how == "digit":
        digits = [i for i, c in enumerate(text) if c.isdigit()]
        i = digits[n % len(digits)]
        return text[:i] + char + text[i + 1 :]
    i = [4, 7, 10, 13, 16][n % 5]
    return text[:i] + " t/_"[n % 4] + text[i + 1 :]


def odd_times() -> st.SearchStrategy[str]:
    """OCP's time spellings, and near each one the spellings it never sends."""
    return st.builds(
        _twist,
        date_time_strings(),
        st.sampled_from(["offset", "offset", "fraction", "digit", "separator", "none"]),
        st.integers(0, 200),
        st.sampled_from(FOREIGN_DIGITS),
    )


# Each change of _twist to each of OCP's three spellings: every one the models may meet.
TWISTED_TIMES = sorted(
    {
        _twist(base, how, n, char)
        for base in ("2021-09-16T17:25:05.943+0800", "2021-09-23T11:03:24.945+08:00",
                     "2021-09-16T09:25:05Z")
        for how in ("offset", "fraction", "digit", "separator", "none")
        for n in range(40)
        for char in FOREIGN_DIGITS[: 1 if how != "digit" else 3]
    }
)  # fmt: skip


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**63, -(2**63) - 1, 2**63 - 1, 2**31, -(2**31) - 1, -1, 0, 6, 10, 2001]),
    st.floats(allow_nan=False),
    st.sampled_from([1.0, 0.5, float("inf")]),
    st.text(max_size=8),
    st.sampled_from(["RED", "PINK", "round", "DONE", "2021-09-16", "2021-W37-4", "2021-13-01"]),
    odd_times(),
    st.lists(st.integers(-3, 3) | st.text(max_size=2), max_size=2),
    st.dictionaries(st.sampled_from(["x", "y", "count", "color"]), st.integers(-3, 3), max_size=2),
)
NAMES = st.from_regex(r"[a-z][a-zA-Z0-9]{0,7}", fullmatch=True)


def locations(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The location of every value within ``value``, itself included (``()``)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += locations(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += locations(item, (*prefix, index))
    return found


def json_path(location: tuple[str | int, ...]) -> str:
    if not location:
        return "$"
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in location).lstrip(".")


@st.composite
def mutations(draw: st.DrawFn, instance: Any) -> tuple[str, tuple[str | int, ...], Any]:
    """(what was done, where, the mutated value) for one change to a valid instance."""
    document = copy.deepcopy(instance)
    times = [p for p in locations(document) if _looks_like_a_time(_at(document, p))]
    # Hypothesis leans to a list's first entries: the unchanged instance comes last.
    actions = [*(["retime"] * 2 if times else []), "replace", "replace", "delete", "insert", "keep"]
    action = draw(st.sampled_from(actions))
    if action == "keep":
        return action, (), document
    if action == "retime":
        where = draw(st.sampled_from(times))
        _at(document, where[:-1])[where[-1]] = draw(odd_times())
        return "replace", where, document
    if action == "insert":
        where = draw(st.sampled_from([p for p in locations(document) if _at(document, p) is not None
                                      and isinstance(_at(document, p), dict)] or [()]))  # fmt: skip
        target = _at(document, where)
        if not isinstance(target, dict):
            return "keep", (), document
        key = draw(NAMES.filter(lambda name: name not in target))
        target[key] = draw(ODD_VALUES)
        return action, (*where, key), document
    if action == "delete":
        inner = [p for p in locations(document) if p]
        if not inner:
            return "keep", (), document
        where = draw(st.sampled_from(inner))
        del _at(document, where[:-1])[where[-1]]
        return action, where, document
    where = draw(st.sampled_from(locations(document)))
    replacement = draw(ODD_VALUES)
    if not where:
        return action, where, replacement
    _at(document, where[:-1])[where[-1]] = replacement
    return action, where, document


def _looks_like_a_time(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 19 and value[10] == "T"


def _at(document: Any, where: tuple[str | int, ...]) -> Any:
    for key in where:
        document = document[key]
    return document


def model_class(package: str, spec: sm.Spec, name: str) -> Any:
    module = importlib.import_module(f"{package}.models.{spec.models[name].module}")
    return getattr(module, name)


VALIDATORS: dict[tuple[int, str], Any] = {}
STRATEGIES: dict[tuple[int, str], st.SearchStrategy[Any]] = {}


def check_paths_agree(spec: sm.Spec, package: str, name: str, data: st.DataObject) -> None:
    key = (id(spec), name)
    if key not in STRATEGIES:
        STRATEGIES[key] = from_schema(spec, spec.models[name].schema)
        VALIDATORS[key] = SpecSchemas(spec.document).validator(spec.models[name].schema)
    instance = data.draw(STRATEGIES[key], label="instance")
    action, where, document = data.draw(mutations(instance), label="mutation")
    cls = model_class(package, spec, name)
    error_type = importlib.import_module(f"{package}.errors").ResponseValidationError
    fast = outcome(cls.from_dict, document, error_type)
    detailed = outcome(cls.parse_detailed, document, error_type)
    assert same(fast, detailed), (fast, detailed)
    # Both agree with the spec's own verdict, from its JSON Schema.
    spec_errors = error_messages(VALIDATORS[key], document)
    if isinstance(detailed, tuple):
        path = detailed[1]
        # JSON Schema counts 3.0 as an integer; OCP writes integers as such, and so do models.
        # It also counts infinity as a number, which no JSON body can carry: models refuse it.
        floats = [v for p in locations(document) if type(v := _at(document, p)) is float]
        assert spec_errors or any(v.is_integer() or math.isinf(v) for v in floats), (
            f"{action} {json_path(where)}: the spec allows it, the model refused: {detailed}"
        )
        mutated = json_path(where[:-1] if action == "delete" and isinstance(where[-1], int)
                            else where)  # fmt: skip
        assert (
            mutated == "$" or path == mutated or path.startswith((f"{mutated}.", f"{mutated}["))
        ), f"{action} {mutated}: the error is at {path}"
    else:
        assert not spec_errors, f"{action} {json_path(where)}: the model accepted {spec_errors}"
        assert action != "keep" or isinstance(detailed, cls)


AGREEMENT = settings(
    max_examples=examples_per_case(420, len(SPEC.models)),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("name", [name for name in SPEC.models if name != sm.PAGE])
@AGREEMENT
@given(data=st.data())
def test_compiled_and_detailed_paths_agree(name: str, data: st.DataObject) -> None:
    check_paths_agree(SPEC, "ocp_client", name, data)


@pytest.mark.parametrize("name", probe_models())
@AGREEMENT
@given(data=st.data())
def test_compiled_and_detailed_paths_agree_on_the_probe(
    probe_package: str, name: str, data: st.DataObject
) -> None:
    check_paths_agree(probe_spec(), probe_package, name, data)


def test_both_paths_agree_on_every_twisted_time_spelling() -> None:
    """The spellings nearest the compiled path's inline check, each on both paths, against the
    spec's verdict, in every time property of the spec."""
    assert len(TWISTED_TIMES) > 150
    schema = SpecSchemas().component("DataBackupHistoryWrapperTask")
    cls = DataBackupHistoryWrapperTask
    disagreements = []
    for spelling in TWISTED_TIMES:
        document = {**SAMPLE["data"]["contents"][0], "startTime": spelling}
        fast, detailed = outcome(cls.from_dict, document), outcome(cls.parse_detailed, document)
        if not same(fast, detailed):
            disagreements.append(f"{spelling!r}: compiled {fast}, detailed {detailed}")
        if isinstance(detailed, cls) == bool(error_messages(schema, document)):
            disagreements.append(f"{spelling!r}: the model says {detailed}, the spec the opposite")
    assert not disagreements, "\n".join(disagreements)


# --- the runtime itself --------------------------------------------------------------------------


def test_a_page_compiles_its_item_model_once(
    probe_package: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The items of a page are read by the compiled path, compiled on the first item only (a
    ``from_dict`` taken before its first call compiled again for every item)."""
    runtime = importlib.import_module(f"{probe_package}._model")
    kinds = importlib.import_module(f"{probe_package}._kinds")
    notes = importlib.import_module(f"{probe_package}.models.probe_note")

    @attrs.define(kw_only=True)
    class FreshNote(notes.ProbeNote):  # type: ignore[name-defined, misc]
        """A model class nothing has read with yet."""

    monkeypatch.setattr(notes, "FreshNote", FreshNote, raising=False)
    compiled: list[str] = []
    real = runtime._compile

    def counting(cls: type) -> Any:
        compiled.append(cls.__name__)
        return real(cls)

    monkeypatch.setattr(runtime, "_compile", counting)
    items = kinds.Object(".models.probe_note", "FreshNote")
    page = runtime.PageOf(items, kinds.Object(".models.page_info", "PageInfo"))
    info = {"number": 1, "size": 300, "totalElements": 300, "totalPages": 1}
    read_page = page.parse({"contents": [{"text": str(i)} for i in range(300)], "page": info})
    assert [type(item) for item in read_page.contents] == [FreshNote] * 300
    assert [item.text for item in read_page.contents] == [str(i) for i in range(300)]
    assert compiled.count("FreshNote") == 1


def test_a_subclass_reads_into_itself() -> None:
    @attrs.define(kw_only=True)
    class Mine(PageInfo):
        pass

    document = {"number": 1, "size": 2, "totalElements": 3, "totalPages": 1}
    assert type(PageInfo.from_dict(document)) is PageInfo
    assert type(Mine.from_dict(document)) is Mine
    assert type(PageInfo.from_dict(document)) is PageInfo
    assert Mine.parse_detailed(document) == Mine.from_dict(document)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_numbers_are_finite(value: float) -> None:
    """json.loads reads NaN and Infinity; JSON has no such numbers."""
    for kind in (_kinds.Number(), _kinds.Number(0, None)):
        with pytest.raises(ResponseValidationError):
            kind.parse(value)
    assert _kinds.Number().parse(1e308) == 1e308


@pytest.mark.parametrize("text", ["2021-W37-4", "2021-09-1٣", "20210916", "2021-09-16T00:00"])
def test_dates_are_calendar_dates(text: str) -> None:
    with pytest.raises(ResponseValidationError):
        _validation.parse_date(text, "$")
    assert _validation.parse_date("2021-09-16", "$") == datetime.date(2021, 9, 16)


def test_a_time_whose_offset_has_seconds_is_written_in_utc() -> None:
    """An offset of seconds (Shanghai's local mean time before 1901) has no OCP spelling."""
    lmt = datetime.timezone(datetime.timedelta(hours=8, minutes=5, seconds=43))
    moment = datetime.datetime(1900, 1, 1, 12, 0, tzinfo=lmt)
    written = _kinds.DateTime().dump(moment)
    assert written == "1900-01-01T03:54:17+00:00"
    assert _kinds.DateTime().parse(written) == moment
    assert _kinds.DateTime().dump(moment.replace(tzinfo=CST)) == "1900-01-01T12:00:00+08:00"


# --- the rules, one by one, on the reference sample ----------------------------------------------


def test_validation_error_is_an_ocp_error() -> None:
    assert issubclass(ResponseValidationError, OcpError)


# The four failures the issue measured on the generator's default output.
def test_string_for_an_int64_is_refused(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][2]["taskId"] = "abc"
    error = parse_error(reference_sample)
    assert error.path == "data.contents[2].taskId"
    assert error.expected == "integer (int64)"
    assert error.value == "abc"
    assert str(error) == (
        "data.contents[2].taskId: expected integer (int64), got 'abc'"
        " (HTTP 200, traceId 975e0a8a452e4ab7)"
    )


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
    target[where[-1]] = value
    error = parse_error(reference_sample)
    assert (error.path, error.expected, error.value) == (path, expected, value)


def test_the_range_bounds_themselves_are_accepted(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["taskId"] = 2**63 - 1
    reference_sample["data"]["page"].update(number=1, size=2000, totalPages=0)
    page = read(reference_sample)
    assert page.contents[0].task_id == 2**63 - 1
    assert (page.page.size, page.page.total_pages) == (2000, 0)


def test_array_for_an_object_is_refused(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"] = []
    error = parse_error(reference_sample)
    assert (error.path, error.expected, error.value) == ("data", "object", [])


def test_missing_data_is_refused(reference_sample: dict[str, Any]) -> None:
    del reference_sample["data"]
    error = parse_error(reference_sample)
    assert (error.path, error.expected, error.missing) == ("data", "object", True)


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
    assert (error.path, error.expected, error.value) == (json_path(location), expected, value)


def test_wrong_item_in_an_array_names_its_index(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][1]["dataSecondaryBackupTaskIds"] = [12, "13"]
    error = parse_error(reference_sample)
    assert error.path == "data.contents[1].dataSecondaryBackupTaskIds[1]"


def test_missing_required_property_is_refused(reference_sample: dict[str, Any]) -> None:
    del reference_sample["data"]["contents"][0]["status"]
    error = parse_error(reference_sample)
    assert error.path == "data.contents[0].status"
    assert error.missing
    assert str(error) == (
        "data.contents[0].status: expected string, missing (HTTP 200, traceId 975e0a8a452e4ab7)"
    )


def test_null_for_a_property_is_refused(reference_sample: dict[str, Any]) -> None:
    # OCP omits null fields; a null is not a value the spec allows anywhere.
    reference_sample["data"]["contents"][0]["backupSetId"] = None
    error = parse_error(reference_sample)
    assert (error.path, error.value, error.missing) == ("data.contents[0].backupSetId", None, False)


def test_non_object_body_is_refused() -> None:
    error = parse_error([1, 2])
    assert (error.path, error.expected) == ("$", "object")


def test_an_unsuccessful_answer_is_an_api_error(reference_sample: dict[str, Any]) -> None:
    reference_sample["successful"] = False
    with pytest.raises(ApiError):
        read(reference_sample)


def test_long_values_are_cut_in_messages(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["taskId"] = "x" * 10_000
    assert len(str(parse_error(reference_sample))) < 250


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
    assert read(reference_sample).contents[0].start_time == instant


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
        "2021-09-16T17:25:05.943+08.5",  # fromisoformat reads a fraction of the offset's hour
        "2021-09-16T17:25:05+08,0",
        "2021-09-16T17:25:05.94x+0800",
        "2021-09-16T17:25:05.123456xyz+0800",  # fromisoformat skips digits 7-9 unread
        "2021-09-16T17:25:05.1234567:Z",
        "2021-09-16T17:25:05.123456٣٣+0800",
        "2021-09-16T17:25:05.943+0٨00",
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
    request = httpx.Request("GET", "http://ocp.invalid/")
    response = OPERATION.detailed(httpx.Response(200, json=reference_sample, request=request))
    page = response.parsed
    assert page is not None and response.envelope is not None
    assert response.envelope.additional_properties == {"region": "cn-hz"}
    assert page.additional_properties == {"cursor": None}
    assert page.page.additional_properties == {"hasNext": False}
    assert page.contents[1].additional_properties == {"lag": {"seconds": 3}}
    assert page.contents[0].additional_properties == {}
    written = page.to_dict()
    assert written["cursor"] is None
    assert written["contents"][1]["lag"] == {"seconds": 3}
    assert response.envelope.to_dict()["region"] == "cn-hz"


def test_open_enum_known_and_unknown_values(reference_sample: dict[str, Any]) -> None:
    reference_sample["data"]["contents"][0]["status"] = "SUSPENDED"
    reference_sample["data"]["contents"][1]["status"] = "FAILED"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning spam for a value a newer OCP sends
        tasks = read(reference_sample).contents
    assert tasks[0].status == "SUSPENDED" and type(tasks[0].status) is str
    assert tasks[1].status is DataBackupTaskStatus.FAILED
    assert tasks[2].status is DataBackupTaskStatus.DONE
    assert [t.to_dict()["status"] for t in tasks] == ["SUSPENDED", "FAILED", "DONE"]
    assert all(type(t.to_dict()["status"]) is str for t in tasks)


def test_absent_optional_properties_read_as_none(reference_sample: dict[str, Any]) -> None:
    task = read(reference_sample).contents[0]
    for absent in ("backup_type", "task_type", "ob_tenant_id", "tenant_name", "error_msg"):
        assert getattr(task, absent) is None
    assert "backupType" not in task.to_dict()


def as_instants(document: Any) -> Any:
    """The document with every OCP time string replaced by its instant (times are written
    back in Python's spelling: `+08:00`, microseconds)."""
    if isinstance(document, dict):
        return {key: as_instants(value) for key, value in document.items()}
    if isinstance(document, list):
        return [as_instants(value) for value in document]
    if isinstance(document, str) and len(document) > 19 and document[10:11] == "T":
        return datetime.datetime.fromisoformat(document)
    return document


def test_round_trip_is_exact_but_for_time_spelling(reference_sample: dict[str, Any]) -> None:
    written = read(copy.deepcopy(reference_sample)).to_dict()
    assert as_instants(written) == as_instants(reference_sample["data"])
    assert written["contents"][0]["startTime"] == "2021-09-16T17:25:02.993000+08:00"
    assert json.loads(json.dumps(written)) == written


def test_to_dict_refuses_what_cannot_be_sent() -> None:
    task = read(copy.deepcopy(SAMPLE)).contents[0]
    naive = attrs.evolve(task, start_time=datetime.datetime(2021, 9, 16))
    with pytest.raises(RequestValidationError, match="startTime"):
        naive.to_dict()
    with pytest.raises(RequestValidationError, match="taskId"):
        attrs.evolve(task, task_id=2**63).to_dict()
    with pytest.raises(RequestValidationError, match="clusterName"):
        attrs.evolve(task, cluster_name=None).to_dict()  # type: ignore[arg-type]


# --- every schema of the spec, not a hand-kept list -------------------------------------------


MODELS = [name for name in SPEC.models if name != sm.PAGE]


@pytest.mark.parametrize("name", MODELS)
def test_every_model_refuses_a_non_object(name: str) -> None:
    cls = model_class("ocp_client", SPEC, name)
    bad: object
    for bad in (None, [], "x", 1):
        for parse in (cls.from_dict, cls.parse_detailed):
            with pytest.raises(ResponseValidationError) as caught:
                parse(bad)
            assert (caught.value.path, caught.value.expected) == ("$", "object")


@pytest.mark.parametrize("name", MODELS)
def test_every_required_property_is_enforced(name: str) -> None:
    """An empty object fails on a required property, reported missing; with none required, it
    reads as every property None."""
    model = SPEC.models[name]
    cls = model_class("ocp_client", SPEC, name)
    required = {p.json_name for p in model.properties if p.required}
    if not required:
        empty = cls.from_dict({})
        assert all(getattr(empty, p.py_name) is None for p in model.properties)
        return
    with pytest.raises(ResponseValidationError) as caught:
        cls.from_dict({})
    assert caught.value.missing and caught.value.path in required


def test_models_module_exports_every_schema() -> None:
    assert (set(SPEC.models) - {sm.PAGE}) | set(SPEC.enums) <= set(models.__all__)


# --- mutations of the whole answer: the SDK judges as the spec judges ---------------------------


def spec_and_sdk_agree(document: Any) -> str | None:
    """None when the SDK accepts exactly what the spec's JSON Schema accepts, else why not."""
    spec_errors = error_messages(PAGE_ANSWER, document)
    try:
        read(document)
    except ResponseValidationError as error:
        return None if spec_errors else f"the SDK refused ({error}), the spec allows it"
    except ApiError:
        # `successful: false` is an error answer whatever its status (the spec's conventions).
        return None
    return f"the SDK accepted, the spec refuses: {spec_errors}" if spec_errors else None


class _Delete:
    def __repr__(self) -> str:
        return "<deleted>"


DELETE = _Delete()
FIXED_REPLACEMENTS: list[Any] = [None, "x", -1, 0, 2**64, True, [], {}, "2021-09-16T17:25:05Z"]


def test_every_single_mutation_is_judged_as_the_spec_judges_it() -> None:
    """Each location of the sample deleted, and replaced by each of a few values: the SDK accepts
    the answer exactly when the spec does."""
    disagreements = []
    for location in locations(SAMPLE)[1:]:
        *parents, last = location
        for replacement in [DELETE, *FIXED_REPLACEMENTS]:
            document = copy.deepcopy(SAMPLE)
            container = _at(document, tuple(parents))
            if replacement is DELETE:
                del container[last]
            else:
                container[last] = replacement
            verdict = spec_and_sdk_agree(document)
            if verdict:
                disagreements.append(f"{json_path(location)} <- {replacement!r}: {verdict}")
    assert not disagreements, "\n".join(disagreements)
