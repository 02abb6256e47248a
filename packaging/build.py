"""Build a release of Supervision Desktop for this platform, then smoke-test it.

    python -m pip install -e ".[package]"
    python packaging/build.py [--self-test] [--archive] [--installer]

Builds the one-folder PyInstaller bundle into ``dist/supervision-desktop/`` (macOS: also
``dist/Supervision Desktop.app``), reports its size, and with ``--self-test`` runs the
bundle's own ``--self-test`` (offscreen, no display needed) and, on Linux with
``xvfb-run``, once more on the real X11 platform plugin. ``--archive`` packs the folder
into ``dist/supervision-desktop-<version>-<platform>.tar.gz`` (``.zip`` on Windows).
``--installer`` (Windows, needs Inno Setup's ``iscc`` on PATH) builds the installer from
``packaging/windows/supervision-desktop.iss``. Exits non-zero if any step fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "supervision-desktop.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
NAME = "supervision-desktop"
SELF_TEST_TIMEOUT = 300  # seconds


def version() -> str:
    namespace: dict[str, str] = {}
    init = (ROOT / "supervision_desktop" / "__init__.py").read_text(encoding="utf-8")
    exec(compile(init, "__init__.py", "exec"), namespace)  # only assigns __version__
    return namespace["__version__"]


def bundle_dir(dist: Path) -> Path:
    return dist / NAME


def executable(dist: Path) -> Path:
    suffix = ".exe" if sys.platform == "win32" else ""
    return bundle_dir(dist) / f"{NAME}{suffix}"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def build(dist: Path, work: Path) -> float:
    step(f"PyInstaller: {SPEC.relative_to(ROOT)} → {bundle_dir(dist)}")
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        cwd=ROOT, check=True,
    )
    took = time.perf_counter() - began
    print(f"built in {took:.0f} s", flush=True)
    return took


def add_linux_files(dist: Path) -> None:
    """The menu entry, AppStream metadata and install script go beside the executable."""
    for path in sorted((PACKAGING / "linux").iterdir()):
        shutil.copy2(path, bundle_dir(dist) / path.name)


def self_test(dist: Path, platform_plugin: str = "offscreen", wrapper: tuple[str, ...] = ()
              ) -> float:
    """Run the bundle's --self-test; returns its wall-clock time (a cold start)."""
    step(f"bundle self-test ({platform_plugin})")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "QT_"))}  # the bundle must not need ours
    env["QT_QPA_PLATFORM"] = platform_plugin
    began = time.perf_counter()
    result = subprocess.run([*wrapper, str(executable(dist)), "--self-test"], env=env,
                            timeout=SELF_TEST_TIMEOUT, check=False, cwd=dist)
    took = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"The bundle's self-test failed (exit {result.returncode}).")
    print(f"cold start to the end of the self-test: {took:.1f} s", flush=True)
    return took


def archive(dist: Path) -> Path:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    base = dist / f"{NAME}-{version()}-{system}-{platform.machine().lower()}"
    step(f"archive {base.name}")
    fmt = "zip" if sys.platform == "win32" else "gztar"
    made = Path(shutil.make_archive(str(base), fmt, root_dir=dist, base_dir=NAME))
    print(f"{made.name}: {megabytes(made.stat().st_size)}", flush=True)
    return made


def installer(dist: Path) -> None:
    step("Inno Setup installer")
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if sys.platform != "win32" or iscc is None:
        raise SystemExit("The installer is built on Windows with Inno Setup 6 (iscc on PATH).")
    subprocess.run([iscc, f"/DAppVersion={version()}", f"/DSourceDir={bundle_dir(dist)}",
                    str(PACKAGING / "windows" / "supervision-desktop.iss")], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--self-test", action="store_true",
                        help="run the bundle's --self-test after building")
    parser.add_argument("--archive", action="store_true", help="pack the bundle for release")
    parser.add_argument("--installer", action="store_true",
                        help="Windows: build the Inno Setup installer")
    parser.add_argument("--dist", type=Path, default=DIST, help="where the bundle goes")
    parser.add_argument("--work", type=Path, default=WORK, help="PyInstaller's work folder")
    args = parser.parse_args(argv)

    print(f"Supervision Desktop {version()} for {sys.platform} ({platform.machine()}), "
          f"Python {platform.python_version()}", flush=True)
    build_time = build(args.dist, args.work)
    if sys.platform.startswith("linux"):
        add_linux_files(args.dist)
    size = folder_size(bundle_dir(args.dist))
    print(f"bundle: {bundle_dir(args.dist)} ({megabytes(size)})", flush=True)
    timings = [f"build {build_time:.0f} s", f"bundle {megabytes(size)}"]
    if args.self_test:
        timings.append(f"self-test {self_test(args.dist):.1f} s")
        xvfb = shutil.which("xvfb-run")
        if sys.platform.startswith("linux") and xvfb:
            timings.append(f"self-test on X11 {self_test(args.dist, 'xcb', (xvfb, '-a')):.1f} s")
    if args.archive:
        archive(args.dist)
    if args.installer:
        installer(args.dist)
    print("\nRelease build passed: " + ", ".join(timings) + ".", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
