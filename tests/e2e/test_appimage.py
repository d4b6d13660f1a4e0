"""The AppImage for real: built by ``make appimage`` from the session's bundle, started under a
private Xvfb through FUSE (this machine's /dev/fuse) and through
``--appimage-extract-and-run``, signed in to a live backend through the real sign-in dialog
(typed by xdotool), with a screenshot in the test's tmp_path; the runtime's options
(``--appimage-offset``, ``--appimage-extract``) and damaged images.

Mounting needs /dev/fuse and the right to mount (root here; fusermount3 for other users);
the FUSE test is skipped without them. Every process's temporary directory is the test's own
(TMPDIR), so a mount point or an extracted copy left behind would be seen.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.frozen_desk import Desk, desk_env, make, screenshot, wait_for_phone_engine
from tests.fakes.servers import LiveBackend
from tests.fakes.waiting import wait_until

# The first test of a session may build the bundle (about 1-3 min on 2 busy cores).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "build" / "appimage" / "runtime"
APP_ID = "invalid.agent_workstation.desk"
EXIT_DAMAGED = 2  # installer/appimage/runtime/runtime.h
EXIT_NO_FUSE = 3


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


@pytest.fixture(scope="session")
def appimage(frozen_bundle: Path) -> Path:
    for tool in ("mksquashfs", "cc", "Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: run 'make system-deps-test'")
    make("appimage")  # the session's bundle (frozen_bundle), packaged
    return ROOT / "dist" / f"Agent_Workstation-{project_version()}-x86_64.AppImage"


def run(
    command: list[str], tmp: Path, env_extra: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TMPDIR": str(tmp), **(env_extra or {})}
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False, **kwargs
    )  # type: ignore[call-overload]


def elf_end(path: Path) -> int:
    """Where the section header table ends, read here independently of the runtime."""
    with path.open("rb") as file:
        header = file.read(64)
    (shoff,) = struct.unpack_from("<Q", header, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", header, 0x3A)
    return int(shoff + shentsize * shnum)


def test_offset_is_the_end_of_the_runtime_and_the_image_is_type_2(
    appimage: Path, tmp_path: Path
) -> None:
    said = run([str(appimage), "--appimage-offset"], tmp_path)
    assert said.returncode == 0, said.stderr
    offset = int(said.stdout)
    assert offset == RUNTIME.stat().st_size == elf_end(appimage)
    with appimage.open("rb") as file:
        head = file.read(16)
        file.seek(offset)
        squashfs = file.read(4)
    assert head[:4] == b"\x7fELF"
    assert head[8:11] == b"AI\x02"
    assert squashfs == b"hsqs"


def test_extract_writes_what_matches(appimage: Path, tmp_path: Path) -> None:
    for pattern in ("AppRun", "usr/share/metainfo", "*.desktop", ".DirIcon"):
        done = run([str(appimage), "--appimage-extract", pattern], tmp_path, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    root = tmp_path / "squashfs-root"
    apprun = root / "AppRun"
    assert apprun.read_bytes() == (ROOT / "installer" / "appimage" / "AppRun").read_bytes()
    assert os.access(apprun, os.X_OK)
    metainfo = root / "usr" / "share" / "metainfo" / f"{APP_ID}.appdata.xml"
    source = ROOT / "installer" / "appimage" / f"{APP_ID}.metainfo.xml"
    assert metainfo.read_bytes() == source.read_bytes()
    assert (root / f"{APP_ID}.desktop").is_file()
    assert (root / "usr" / "share" / "applications" / f"{APP_ID}.desktop").is_file()
    icon = (root / ".DirIcon").read_bytes()  # the specification's 256x256 PNG
    assert icon[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", icon[16:24]) == (256, 256)
    assert not (root / "usr" / "lib").exists()  # nothing that did not match


@pytest.fixture
def desk_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[LiveBackend]:
    server = LiveBackend(tmp_path / "server.sqlite")
    yield server
    server.stop()


def environ_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    pairs = (item.decode(errors="replace").partition("=") for item in raw if item)
    return {key: value for key, _, value in pairs}


def fuse_mounts(under: Path) -> list[str]:
    lines = Path("/proc/mounts").read_text().splitlines()
    return [line for line in lines if f" {under}/" in line]


def sign_in_from_the_appimage(
    command: list[str], env: dict[str, str], home: Path, backend: LiveBackend, shot: Path
) -> tuple[dict[str, str], list[str]]:
    """Start, sign in, see the phone engine run from the image, screenshot. The desk's
    environment as the runtime gave it, and the mounts under its TMPDIR while it ran."""
    desk = Desk(env, home, backend.url, command)
    try:
        desk.sign_in(env)
        desk.wait_for("window-painted")
        wait_for_phone_engine(home)
        screenshot(env, shot)
        return environ_of(desk.process.pid), fuse_mounts(Path(env["TMPDIR"]))
    finally:
        desk.stop()


def appimage_env(display: str, bus: str, home: Path, tmp_path: Path) -> dict[str, str]:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    machine = tmp_path / "no-machine-config.toml"
    return {**desk_env(display, bus, home, machine), "TMPDIR": str(tmp)}


def test_started_through_fuse_signs_in(
    appimage: Path,
    display: str,
    secret_service: str,
    desk_home: Path,
    backend: LiveBackend,
    tmp_path: Path,
) -> None:
    if not Path("/dev/fuse").exists() or (os.geteuid() != 0 and not shutil.which("fusermount3")):
        pytest.skip("no FUSE here (/dev/fuse, fusermount3)")
    env = appimage_env(display, secret_service, desk_home, tmp_path)
    tmp = Path(env["TMPDIR"])
    environ, mounts = sign_in_from_the_appimage(
        [str(appimage)], env, desk_home, backend, tmp_path / "appimage-fuse-signed-in.png"
    )
    assert environ["APPIMAGE"] == str(appimage)
    appdir = Path(environ["APPDIR"])
    assert appdir.parent == tmp
    assert appdir.name.startswith(".mount_")
    assert environ["ARGV0"] == str(appimage)
    assert environ["OWD"] == str(desk_home)
    assert len(mounts) == 1, mounts
    assert f" {appdir} fuse.appimage ro," in mounts[0]
    # The mount goes with the desk: unmounted and its directory removed.
    wait_until(
        lambda: not fuse_mounts(tmp) and not appdir.exists(), 30, lambda: f"{fuse_mounts(tmp)}"
    )


def test_started_by_extract_and_run_signs_in_and_cleans_up(
    appimage: Path,
    display: str,
    secret_service: str,
    desk_home: Path,
    backend: LiveBackend,
    tmp_path: Path,
) -> None:
    env = appimage_env(display, secret_service, desk_home, tmp_path)
    tmp = Path(env["TMPDIR"])
    environ, mounts = sign_in_from_the_appimage(
        [str(appimage), "--appimage-extract-and-run"],
        env,
        desk_home,
        backend,
        tmp_path / "appimage-extracted-signed-in.png",
    )
    appdir = Path(environ["APPDIR"])
    assert appdir.parent == tmp
    assert appdir.name.startswith("appimage_extracted_")
    assert environ["APPIMAGE"] == str(appimage)
    assert mounts == []
    # The extracted copy goes with the desk.
    wait_until(lambda: not appdir.exists(), 60, f"{appdir} removed after the desk exited")
    assert not list(tmp.glob("appimage_extracted_*"))


def damaged_copies(appimage: Path, where: Path) -> dict[str, Path]:
    offset = int(run([str(appimage), "--appimage-offset"], where).stdout)
    size = appimage.stat().st_size
    cut = where / "cut.AppImage"  # an interrupted download: the first half
    with appimage.open("rb") as source, cut.open("wb") as target:
        target.write(source.read(size // 2))
    no_fs = where / "no-filesystem.AppImage"  # the superblock overwritten
    shutil.copyfile(appimage, no_fs)
    with no_fs.open("r+b") as file:
        file.seek(offset)
        file.write(b"\0" * 96)
    # Runs of bad bytes inside the data: several, as a block mksquashfs stored uncompressed
    # (nothing to gain) has no check and reads back wrong but without an error.
    scrambled = where / "scrambled.AppImage"
    shutil.copyfile(appimage, scrambled)
    with scrambled.open("r+b") as file:
        for sixth in range(1, 6):
            file.seek(offset + (size - offset) * sixth // 6)
            file.write(b"\x55" * 65536)
    for path in (cut, no_fs, scrambled):
        path.chmod(0o755)
    return {"cut": cut, "no filesystem": no_fs, "scrambled": scrambled}


def test_a_damaged_image_says_so_and_exits(appimage: Path, tmp_path: Path) -> None:
    copies = damaged_copies(appimage, tmp_path)
    expected = {
        "cut": "cut off: ",
        "no filesystem": "no squashfs filesystem at offset ",
    }
    for what, needle in expected.items():
        for option in ([], ["--appimage-extract"], ["--appimage-extract-and-run"]):
            done = run([str(copies[what]), *option], tmp_path, cwd=tmp_path)
            assert done.returncode == EXIT_DAMAGED, (what, option, done.stderr)
            assert needle in done.stderr, (what, option, done.stderr)
            assert "download it again" in done.stderr
    # Bad bytes inside: the file being written when it showed is named; nothing crashes.
    done = run([str(copies["scrambled"]), "--appimage-extract"], tmp_path, cwd=tmp_path)
    assert done.returncode == EXIT_DAMAGED, done.stderr
    assert "from the image: it is damaged; download it again" in done.stderr
    assert "squashfs-root/" in done.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".mount_", "appimage_"))]


def test_without_fuse_it_says_what_to_run_and_that_runs(appimage: Path, tmp_path: Path) -> None:
    """A desktop without FUSE: here, /dev/fuse replaced by /dev/null in a private mount
    namespace (the kernel then refuses the mount, as where FUSE is missing or forbidden)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a private mount namespace")
    no_fuse = 'mount --bind /dev/null /dev/fuse && exec "$@"'
    command = ["unshare", "--mount", "sh", "-c", no_fuse, "sh", str(appimage), "--help"]
    done = run(command, tmp_path)
    assert done.returncode == EXIT_NO_FUSE, done.stderr
    assert f"run it as: {appimage} --appimage-extract-and-run" in done.stderr
    assert list(tmp_path.iterdir()) == []  # no mount point left behind
    done = run(command, tmp_path, env_extra={"APPIMAGE_EXTRACT_AND_RUN": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: agent-desktop")
    wait_until(lambda: not list(tmp_path.iterdir()), 30, "the extracted copy removed")
