"""`pip install` of the built wheel gives users a typed `ocp_client` with only its run-time deps."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("ocp_client-*.whl")
    return built


def test_wheel_holds_the_typed_package_and_nothing_else(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    package_files = [n for n in names if not n.startswith("ocp_client-")]
    assert package_files, "the wheel holds no package"
    assert all(n.startswith("ocp_client/") for n in package_files), package_files
    assert "ocp_client/py.typed" in names
    assert "ocp_client/api/backup/list_data_backup_tasks.py" in names


def test_wheel_metadata_names_only_the_runtime_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    assert metadata["Name"] == "ocp-client"
    assert metadata["Requires-Python"] == ">=3.11"
    runtime = {
        requirement.split(">")[0].split("=")[0].split("<")[0].strip()
        for requirement in metadata.get_all("Requires-Dist", [])
        if "extra ==" not in requirement
    }
    assert runtime <= {"attrs", "httpx", "python-dateutil"}
    assert {"attrs", "httpx"} <= runtime


def test_wheel_installs_and_imports_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # No pip of its own (ensurepip takes 4 s): this interpreter's pip installs into it.
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    subprocess.run(
        [*pip, "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    probe = (
        "import ocp_client, ocp_client.api.backup.list_data_backup_tasks as op;"
        "from ocp_client.models import DataBackupHistoryWrapperTask;"
        "print(ocp_client.__version__);"
        "import importlib.metadata as m;"
        "print(ocp_client.__file__);"
        "print(sorted(d.metadata['Name'] for d in m.distributions()))"
    )
    result = subprocess.run(
        [str(python), "-c", probe], check=True, capture_output=True, text=True, timeout=60
    )
    version, location, installed = result.stdout.splitlines()
    assert version == wheel.name.split("-")[1], "__version__ is not the wheel's version"
    assert str(env_dir) in location, "imported from the checkout, not from the installed wheel"
    assert "pydantic" not in installed and "openapi-python-client" not in installed
