"""What a runner installs: the wheel's contents, the desktop metadata, make install/uninstall."""

from __future__ import annotations

import os
import pathlib
import shutil
import site
import subprocess
import sys
import tomllib

import pytest

import recoverydesk

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
APP_ID = "io.github.recoverydesk.RecoveryDesk"


def test_the_version_is_the_same_everywhere() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["version"] == recoverydesk.__version__
    result = subprocess.run([sys.executable, "-m", "recoverydesk", "--version"],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (
        0, f"RecoveryDesk {recoverydesk.__version__}")
    metainfo = (PACKAGING / f"{APP_ID}.metainfo.xml").read_text()
    assert f'<release version="{recoverydesk.__version__}"' in metainfo


def _tracked(folder: str) -> list[str]:
    result = subprocess.run(["git", "ls-files", folder], cwd=REPO, capture_output=True,
                            text=True)
    if result.returncode != 0 or not result.stdout:
        return sorted(str(p.relative_to(REPO)) for p in (REPO / folder).rglob("*")
                      if p.is_file() and "__pycache__" not in p.parts)
    return result.stdout.split()


def _validator(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (make test installs the Debian package "
                    f"{package} through packaging/sysdeps.sh)")
    return path


def test_the_desktop_entry_validates() -> None:
    tool = _validator("desktop-file-validate", "desktop-file-utils")
    entry = PACKAGING / f"{APP_ID}.desktop"
    result = subprocess.run([tool, str(entry)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout
    text = entry.read_text()
    assert f"Icon={APP_ID}" in text and "Exec=recoverydesk %F" in text


def test_the_appstream_metadata_validates() -> None:
    tool = _validator("appstreamcli", "appstream")
    metainfo = PACKAGING / f"{APP_ID}.metainfo.xml"
    result = subprocess.run([tool, "validate", "--no-net", str(metainfo)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    text = metainfo.read_text()
    for needed in ("<project_license>MIT</project_license>", '<content_rating type="oars-1.1"',
                   f"<launchable type=\"desktop-id\">{APP_ID}.desktop</launchable>"):
        assert needed in text
    for shot in ("today", "charts", "calendar", "exercises"):
        assert f"docs/screenshots/{shot}-1366x768.png" in text
        assert (REPO / "docs" / "screenshots" / f"{shot}-1366x768.png").is_file()


def _source_copy(tmp_path: pathlib.Path) -> pathlib.Path:
    """The files a build reads, copied: the working tree gets no build/ or egg-info."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for folder in ("recoverydesk", "resources", "packaging"):
        shutil.copytree(REPO / folder, source / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return source


@pytest.mark.e2e
def test_make_install_then_uninstall_for_a_user_keeps_the_data(tmp_path: pathlib.Path) -> None:
    """`make install` builds the wheel and installs it: its files must carry every resource."""
    source = _source_copy(tmp_path)
    home = tmp_path / "home"
    data = home / ".local" / "share" / "RecoveryDesk"
    data.mkdir(parents=True)
    (data / "recoverydesk.sqlite").write_bytes(b"the runner's data")
    env = {"HOME": str(home), "PATH": os.environ["PATH"], "PYTHON": sys.executable,
           # The dependencies are already here: the installed venv borrows them (see below),
           # so the test needs no download of Qt.
           "PIP_OPTIONS": "--no-deps"}
    result = subprocess.run(["sh", str(source / "packaging" / "install.sh"), "install"],
                            env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    if result.returncode != 0 and "No matching distribution" in result.stderr:
        pytest.skip("the package index cannot be reached to fetch setuptools")
    assert result.returncode == 0, result.stdout + result.stderr
    share = home / ".local" / "share"
    venv = share / "recoverydesk-app" / "venv"
    launcher = home / ".local" / "bin" / "recoverydesk"
    desktop = share / "applications" / f"{APP_ID}.desktop"
    icons = [share / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ID}.png"
             for s in (16, 24, 32, 48, 64, 128, 256, 512)]
    icons.append(share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")
    assert launcher.exists() and desktop.is_file()
    assert all(icon.is_file() for icon in icons)
    assert f"Exec={launcher} %F" in desktop.read_text()
    # Every resource and icon is in the installed package (so in the wheel pip built).
    (site_packages,) = venv.glob("lib/python*/site-packages")
    installed_resources = site_packages / "recoverydesk" / "resources"
    resources = [n for n in _tracked("resources") if not n.endswith(".py")]
    assert len(resources) > 40
    assert [n for n in resources
            if not (installed_resources / n.removeprefix("resources/")).is_file()] == []
    # Lend the installed venv this test's dependencies, then run the installed program.
    (site_packages / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    run_env = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    run_env.pop("PYTHONPATH", None)
    version = subprocess.run([str(launcher), "--version"], capture_output=True, text=True,
                             env=run_env, cwd=tmp_path, timeout=60)
    assert version.stdout.strip() == f"RecoveryDesk {recoverydesk.__version__}"
    demo = tmp_path / "demo"
    assert subprocess.run([str(launcher), "--data-dir", str(demo), "demo"], env=run_env,
                          cwd=tmp_path, capture_output=True, timeout=120).returncode == 0
    shot = subprocess.run([str(launcher), "--data-dir", str(demo), "screenshot", "--view",
                           "exercises", "--out", str(tmp_path / "shot.png")], env=run_env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0, shot.stderr
    installed = subprocess.run([str(venv / "bin" / "python"), "-c",
                                "import recoverydesk; print(recoverydesk.__file__)"],
                               capture_output=True, text=True, env=run_env, cwd=tmp_path)
    assert installed.stdout.startswith(str(venv))  # the installed copy, not this tree

    result = subprocess.run(["sh", str(source / "packaging" / "install.sh"), "uninstall"],
                            env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not launcher.exists() and not launcher.is_symlink()
    assert not (share / "recoverydesk-app").exists() and not desktop.exists()
    assert not any(icon.exists() for icon in icons)
    assert (data / "recoverydesk.sqlite").read_bytes() == b"the runner's data"
