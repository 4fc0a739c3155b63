"""`pip install .` gives a moatscope that finds its assets without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the built wheel installed; dependencies borrowed from ours."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    target = root / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(next(wheels.glob("moatscope-*.whl"))),
        ],
        check=True,
        capture_output=True,
    )
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return target


def run_installed(installed: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    env.pop("PYTHONPATH", None)
    return subprocess.run(
        [str(installed / "bin" / "moatscope"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
def test_installed_list_shows_the_seeded_stack(installed: Path, tmp_path: Path) -> None:
    result = run_installed(installed, tmp_path, "list", "--db", "fresh.json")
    assert result.returncode == 0, result.stderr
    for expected in ("Power & Facilities", "Orchestration & Inference", "NVIDIA", "Databricks"):
        assert expected in result.stdout


@pytest.mark.slow
def test_installed_version_is_the_packages_version(installed: Path, tmp_path: Path) -> None:
    from tui import __version__

    result = run_installed(installed, tmp_path, "--version")
    assert result.stdout.strip() == f"moatscope {__version__}"
    code = "from importlib.metadata import version; print(version('moatscope'))"
    metadata = subprocess.run(
        [str(installed / "bin" / "python"), "-I", "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert metadata.stdout.strip() == __version__


@pytest.mark.slow
def test_installed_assets_and_stylesheet_come_from_the_install(
    installed: Path, tmp_path: Path
) -> None:
    code = (
        "import assets, tui.app, pathlib; css = pathlib.Path(tui.app.MoatscopeApp.CSS_PATH); "
        "print(assets.FOLDER); print(css.is_file())"
    )
    result = subprocess.run(
        [str(installed / "bin" / "python"), "-I", "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    folder, css_exists = result.stdout.split()
    assert Path(folder).is_relative_to(installed), folder
    assert not Path(folder).is_relative_to(REPO)
    assert css_exists == "True"
