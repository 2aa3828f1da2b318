"""What every ``ocp-backup`` command follows: global options before or after the command,
``-o/--output`` (``--format``), help with examples and without the stand-in's credentials,
redaction that hides secrets without garbling other text, strict JSON, and ``tasks``'s kinds,
status filter and rows printed as they arrive. Kinds and secret fields are held to the spec.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest

import spec_model
from ocp_client.cli import main, output
from ocp_client.cli.commands import COMMANDS
from ocp_client.cli.commands import tasks as tasks_command
from ocp_client.cli.redact import HIDDEN, SECRET_NAME, UNAMBIGUOUS, Redactor
from ocp_client.errors import RequestValidationError
from ocp_client.models.log_backup_wrapper_task import LogBackupWrapperTask
from standin import Credentials, StandIn
from tests.test_cli import (  # noqa: F401 (fixtures)
    CLUSTER,
    TABLE_HEADER,
    Run,
    Stub,
    basic,
    example_answer,
    make_task,
    no_ocp_environment,
    ocp_fixture,
    run_fixture,
    spec,
)


@pytest.fixture(scope="module")
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


def admin(standin: StandIn) -> list[str]:
    return ["--url", standin.base_url, "--user", "admin", "--password", "admin"]


# --- global options, output formats -------------------------------------------------------


def test_global_options_before_or_after_the_command_are_the_same(ocp: Stub, run: Run) -> None:
    after = run("tasks", "--cluster", CLUSTER, *basic(ocp), "-o", "jsonl")
    before = run(*basic(ocp), "-o", "jsonl", "tasks", "--cluster", CLUSTER)
    mixed = run("--url", ocp.url, "-o", "jsonl", "tasks", *basic(ocp)[2:], "--cluster", CLUSTER)
    assert after == before == mixed
    assert after[0] == 0 and len(after[1].splitlines()) == 3
    # A value given before the command is not reset by the command's parser.
    code, out, _ = run("--output", "csv", "tasks", "--cluster", CLUSTER, *basic(ocp))
    assert code == 0 and out.startswith("taskId,")


def test_format_is_an_alias_of_output(ocp: Stub, run: Run) -> None:
    assert run(*basic(ocp), "tasks", "--cluster", CLUSTER, "--format", "json") == run(
        *basic(ocp), "tasks", "--cluster", CLUSTER, "-o", "json"
    )


def test_help_of_every_command_has_examples_and_not_the_stand_in_s_credentials(
    run: Run,
) -> None:
    stand_in = Credentials()
    secrets = [*stand_in.users.values(), *stand_in.access_keys, *stand_in.access_keys.values()]
    texts = []
    for argv in ([], *([command.NAME] for command in COMMANDS)):
        code, out, _ = run(*argv, "--help")
        assert code == 0
        assert "examples:" in out and "ocp-backup " in out.split("examples:")[1]
        texts.append(out)
    for secret in secrets:
        # "admin" as a word: the help may well say "administrator".
        assert not any(re.search(rf"\b{re.escape(secret)}\b", text) for text in texts), secret


# --- redaction ----------------------------------------------------------------------------


def test_a_short_password_does_not_garble_ocp_s_message(standin: StandIn, run: Run) -> None:
    """The case of the issue: a password ``wrong`` and OCP's "Bad credentials: wrong user
    name or password." """
    argv = ["--url", standin.base_url, "--user", "admin", "--password", "wrong", "--retries", "0"]
    code, out, err = run("tasks", "--cluster", CLUSTER, *argv)
    assert (code, out) == (1, "")
    assert "OCP answered HTTP 401 code 30004: Bad credentials: wrong user name or password." in err
    assert HIDDEN not in err


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Bad credentials: wrong user name", "Bad credentials: wrong user name"),
        ("argument --password: expected one argument",) * 2,
        ('{"accessKeySecret": "wrong", "id": "AK1"}', '{"accessKeySecret": "***", "id": "AK1"}'),
        ("{'password': 'wrong', 'user': 'x'}", "{'password': '***', 'user': 'x'}"),
        ("Authorization: Basic d3Jvbmc=", "Authorization: Basic ***"),
        ("GET http://admin:wrong@ocp:8080/api", "GET http://admin:***@ocp:8080/api"),
        ("?password=wrong&page=1", "?password=***&page=1"),
        ("password = read_password()", "password = read_password()"),
        ("the secret sk-LongEnough-1 leaked", "the secret *** leaked"),
    ],
)  # fmt: skip
def test_redaction_hides_values_where_secrets_stand(text: str, shown: str) -> None:
    redact = Redactor(["wrong", "sk-LongEnough-1"])
    assert redact(text) == shown


def test_only_secrets_long_enough_are_hidden_anywhere() -> None:
    short, long = "x" * (UNAMBIGUOUS - 1), "y" * UNAMBIGUOUS
    redact = Redactor([short, long])
    assert redact(f"a {short} b {long} c") == f"a {short} b {HIDDEN} c"


def _secret_properties() -> set[str]:
    found = set()
    for model in spec().models.values():
        for prop in model.properties:
            if re.search("secret|password|token", prop.json_name, re.IGNORECASE):
                found.add(prop.json_name)
    return found


def test_every_secret_field_of_the_spec_is_hidden() -> None:
    names = _secret_properties()
    assert "accessKeySecret" in names, "the spec's storage secrets are where the test looks"
    redact = Redactor()
    for name in names:
        assert SECRET_NAME.search(name)
        document = json.dumps({"nested": {name: "v4lue-to-hide"}, "other": "kept"})
        assert "v4lue-to-hide" not in redact(document)
        assert '"other": "kept"' in redact(document)


# --- strict JSON ----------------------------------------------------------------------------


def test_json_output_never_holds_nan() -> None:
    """Records the command makes itself are cleaned; the models refuse NaN on their own."""
    assert output.dumps({"a": [math.inf, 1.5, math.nan]}) == '{"a": [null, 1.5, null]}'
    out = io.StringIO()
    output.write_json([{"delay": math.nan}], out)
    assert json.loads(out.getvalue(), parse_constant=_refuse) == [{"delay": None}]
    task = LogBackupWrapperTask.from_dict(_log_task())
    task.delay = math.nan
    with pytest.raises(RequestValidationError, match="delay: expected number, got nan"):
        output.write_items([task], io.StringIO(), "json", LogBackupWrapperTask, [])


def _refuse(name: str) -> Any:
    raise AssertionError(f"not strict JSON: {name}")


def _log_task() -> dict[str, Any]:
    item: dict[str, Any] = example_answer("listLogBackupTasks")["data"]["contents"][0]
    return item


# --- tasks: kinds, statuses, streaming ---------------------------------------------------


def test_each_kind_lists_its_operation_s_items_as_the_spec_defines_them() -> None:
    for name, kind in tasks_command.KINDS.items():
        (operation,) = [op for op in spec().operations if op.module == kind.operation]
        item = operation.result.item
        assert isinstance(item, spec_model.ModelType), name
        assert item.name == kind.model_name == kind.model().__name__
        properties = {p.json_name: p for p in spec().models[item.name].properties}
        assert set(kind.fields) <= properties.keys(), name
        assert kind.duration is None or set(kind.duration) <= properties.keys()
        status = properties["status"].type
        enum_name = getattr(status, "name", None) or next(
            t.name for t in getattr(status, "options", ()) if isinstance(t, spec_model.EnumType)
        )
        assert tasks_command.status_values(kind.model()) == tuple(spec().enums[enum_name].values)


def test_status_filter_is_repeatable(ocp: Stub, run: Run) -> None:
    ocp.tasks = [
        make_task(5, status="FAILED"),
        make_task(4, status="DONE"),
        make_task(3, status="CANCELED"),
        make_task(2, status="DONE"),
    ]
    argv = ["tasks", "--cluster", CLUSTER, *basic(ocp), "-o", "jsonl"]
    code, out, _ = run(*argv, "--status", "FAILED", "--status", "CANCELED")
    assert code == 0
    assert [json.loads(line)["taskId"] for line in out.splitlines()] == [5, 3]
    code, out, _ = run(*argv, "--status", "DONE", "--limit", "1")
    assert [json.loads(line)["taskId"] for line in out.splitlines()] == [4]


def test_an_unknown_status_is_refused_with_the_known_ones(ocp: Stub, run: Run) -> None:
    code, out, err = run("tasks", "--cluster", CLUSTER, *basic(ocp), "--status", "SUCCESS")
    assert (code, out) == (2, "")
    known = ", ".join(tasks_command.status_values(tasks_command.KINDS["data"].model()))
    assert err == (
        f"ocp-backup: error: --status 'SUCCESS' is not a status of data backup tasks; "
        f"known: {known}\n"
    )
    assert ocp.seen == []


@pytest.mark.parametrize("kind", ["log", "restore"])
def test_log_and_restore_tasks_from_the_stand_in(standin: StandIn, run: Run, kind: str) -> None:
    spec_kind = tasks_command.KINDS[kind]
    code, out, err = run("tasks", "--kind", kind, "--cluster", CLUSTER, *admin(standin))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    columns = output.table_columns(
        spec_kind.model(), spec_kind.fields, headers=spec_kind.headers, duration=spec_kind.duration
    )
    assert lines[0].split() == [column.header for column in columns]
    assert len(lines) > 1
    code, out, _ = run("tasks", "--kind", kind, "--cluster", CLUSTER, *admin(standin), "-o", "csv")
    assert out.splitlines()[0] == ",".join(output.csv_columns(spec_kind.model()))


def test_backup_set_is_for_data_tasks_only(ocp: Stub, run: Run) -> None:
    code, _, err = run(
        "tasks", "--kind", "log", "--cluster", CLUSTER, *basic(ocp), "--backup-set", "3"
    )
    assert code == 2
    assert "--backup-set filters data backup tasks only" in err


def test_table_rows_are_printed_as_they_arrive(ocp: Stub, run: Run) -> None:
    """Page 2 fails (a 400, not retried): the rows of page 1 are on stdout already."""
    ocp.tasks = [make_task(i) for i in range(15, 0, -1)]
    ocp.errors["page=2"] = (
        400,
        {"successful": False, "status": 400, "error": {"code": 10001, "message": "bad page"}},
    )
    code, out, err = run(
        "tasks", "--cluster", CLUSTER, *basic(ocp), "--page-size", "10", "--limit", "15"
    )
    assert code == 1
    lines = out.splitlines()
    assert lines[0].split() == TABLE_HEADER
    assert [line.split()[0] for line in lines[1:]] == [str(i) for i in range(15, 5, -1)]
    assert "bad page" in err


def test_column_widths_come_from_the_field_kinds() -> None:
    from ocp_client import _kinds
    from ocp_client.models.data_backup_task_status import DataBackupTaskStatus

    status = _kinds.Enum(DataBackupTaskStatus, open=True)
    assert output.kind_width(status) == max(len(value) for value in DataBackupTaskStatus)
    assert output.kind_width(_kinds.DateTime()) == len("2021-09-16 17:25:02+08:00")
    assert output.kind_width(_kinds.INT64) == 10
    assert output.kind_width(_kinds.Integer(0, 100)) == 3


def test_main_reads_the_environment_it_is_given(ocp: Stub) -> None:
    environ = {"OCP_URL": ocp.url, "OCP_USERNAME": "u", "OCP_PASSWORD": "p-long-enough"}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = main(["-o", "jsonl", "tasks", "--cluster", CLUSTER], environ=environ)
    assert code == 0 and len(out.getvalue().splitlines()) == 3
