"""`pip install .` (not editable) gives a working app: the wheel carries resources/ and
the migrations, and `supervision-desktop --self-test` passes from it, run outside the
checkout so nothing can be found there by accident."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.gui
def test_a_wheel_installed_into_a_fresh_virtualenv_passes_the_self_test(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir",
         str(wheels), str(ROOT)], capture_output=True, text=True, timeout=600, check=False)
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("supervision_desktop-*.whl")
    # the dependencies come from this interpreter's site-packages (already installed);
    # the app itself only from the wheel
    venv.create(tmp_path / "venv", system_site_packages=True, with_pip=True)
    python = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        capture_output=True, text=True, timeout=600, check=False)
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    for name in ("", "home", "data", "config", "tmp"):
        (elsewhere / name).mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM",
                          "SUPERVISION_PASSPHRASE")}
    env.update(HOME=str(elsewhere / "home"), XDG_DATA_HOME=str(elsewhere / "data"),
               XDG_CONFIG_HOME=str(elsewhere / "config"), TMPDIR=str(elsewhere / "tmp"),
               PYTHONIOENCODING="utf-8")
    where = subprocess.run(
        [str(python), "-c", "import supervision_desktop.paths as p; print(p.resources_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv"), where
    result = subprocess.run(
        [str(python), "-m", "supervision_desktop", "--self-test"], cwd=elsewhere, env=env,
        capture_output=True, text=True, encoding="utf-8", timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test passed (12 of 12 steps" in result.stdout
    assert "15 templates, 5 policy profiles" in result.stdout
