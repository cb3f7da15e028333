"""Issue 14: `cpack -G DEB` builds arraycast_<version>_<arch>.deb with the
binary, a man page, a systemd unit and a default config (a conffile). The
package is unpacked with dpkg-deb, never installed: its binary, unit and
config are checked and run from the unpacked tree."""

import gzip
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, SANITIZED, HOST, Server, wait_until

pytestmark = pytest.mark.skipif(SANITIZED, reason="a sanitized binary is never packaged: release builds only")

UNIT = "lib/systemd/system/arraycast.service"
CONFIG = "etc/arraycast/arraycast.toml"
FILES = {  # path in the package: its mode
    "usr/bin/arraycast": "-rwxr-xr-x",
    UNIT: "-rw-r--r--",
    CONFIG: "-rw-r--r--",
    "usr/share/man/man1/arraycast.1.gz": "-rw-r--r--",
}


def run(*args, **kw):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=True, timeout=60, **kw)


@pytest.fixture(scope="module")
def deb(tmp_path_factory):
    """The package, built by cpack from the build tree of the binary under test."""
    build = Path(BIN).resolve().parents[1]
    assert (build / "CPackConfig.cmake").exists(), f"{build} is not a configured build tree"
    out = tmp_path_factory.mktemp("deb")
    run("cpack", "-G", "DEB", "-B", out, cwd=build)
    version = run(BIN, "--version").stdout.split()[1]
    arch = run("dpkg", "--print-architecture").stdout.strip()
    path = out / f"arraycast_{version}_{arch}.deb"
    assert path.exists(), f"cpack made {sorted(p.name for p in out.iterdir())}"
    return path


@pytest.fixture(scope="module")
def root(deb, tmp_path_factory):
    """The package's files, unpacked."""
    root = tmp_path_factory.mktemp("root")
    run("dpkg-deb", "-x", deb, root)
    return root


def test_control_names_the_package_its_dependencies_and_the_conffile(deb, tmp_path):
    field = lambda name: run("dpkg-deb", "--field", deb, name).stdout.strip()
    assert field("Package") == "arraycast"
    assert field("Version") == run(BIN, "--version").stdout.split()[1]
    assert field("Architecture") == run("dpkg", "--print-architecture").stdout.strip()
    depends = field("Depends")
    for library in ("libc6", "libssl3", "libnats", "libjwt", "libspdlog", "libfmt"):
        assert library in depends, f"Depends (dpkg-shlibdeps) lacks {library}: {depends}"
    run("dpkg-deb", "-e", deb, tmp_path / "control")
    assert (tmp_path / "control" / "conffiles").read_text().split() == [f"/{CONFIG}"]
    for script in ("postinst", "prerm", "postrm"):
        assert (tmp_path / "control" / script).stat().st_mode & 0o777 == 0o755, script


def test_contents_are_the_binary_unit_config_and_man_page_owned_by_root(deb):
    listing = {}
    for line in run("dpkg-deb", "--contents", deb).stdout.splitlines():
        mode, owner, _size, _date, _time, path = line.split(None, 5)
        listing[path.removeprefix("./")] = (mode, owner)
    for path, mode in FILES.items():
        assert listing.get(path) == (mode, "root/root"), f"{path}: {listing.get(path)}"


def test_the_unpacked_binary_runs_and_the_man_page_documents_every_command(root):
    version = run(root / "usr/bin/arraycast", "--version").stdout
    assert version == run(BIN, "--version").stdout
    page = gzip.decompress((root / "usr/share/man/man1/arraycast.1.gz").read_bytes()).decode()
    assert page.startswith(".\\\"") and ".TH ARRAYCAST" in page
    for command in ("serve", "record", "bench", "verify", "publish", "token"):
        assert f'.SH "COMMAND: {command.upper()}"' in page or f".SH COMMAND: {command.upper()}" in page, command
    assert "\\-\\-max\\-clients" in page or "--max-clients" in page
    assert str(BIN) not in page, "the build path leaked into the page"


def unit_settings(text):
    return [tuple(line.split("=", 1)) for line in text.splitlines() if "=" in line and not line.startswith("#")]


def test_the_unit_runs_the_packaged_binary_on_the_packaged_config_sandboxed(root):
    settings = unit_settings((root / UNIT).read_text())
    assert ("ExecStart", f"/usr/bin/arraycast serve --config /{CONFIG}") in settings
    for expected in [("DynamicUser", "yes"), ("Restart", "on-failure"), ("NoNewPrivileges", "yes"),
                     ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
                     ("CapabilityBoundingSet", ""), ("WantedBy", "multi-user.target")]:
        assert expected in settings, expected


def test_systemd_analyze_verifies_the_unit(root, tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    # The unit as installed, but running the unpacked binary and config.
    unit = tmp_path / "arraycast.service"
    unit.write_text((root / UNIT).read_text().replace("/usr/bin/arraycast", str(root / "usr/bin/arraycast"))
                    .replace(f"/{CONFIG}", str(root / CONFIG)))
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", unit], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "arraycast.service" not in result.stderr, result.stderr
    # The sandbox as systemd scores it: "exposure" 0 (locked down) to 10; a
    # unit with none of the Protect*= lines scores 9.6. This one is 1.5.
    result = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--threshold=20", unit],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr


def test_the_default_config_listens_on_loopback_and_streams(root, procs, tmp_path):
    binary, config = root / "usr/bin/arraycast", root / CONFIG
    printed = run(binary, "serve", "--config", config, "--print-config").stdout
    assert printed.splitlines()[:3] == ["[serve]", f'host="{HOST}"', "port=6969"], printed
    # Started as the unit starts it, but on a free port and a faster clock.
    server = Server.__new__(Server)
    procs.started.append(server)
    server.__init__([binary, "serve", "--config", config, "--port", 0, "--interval", "50ms"], tmp_path, "packaged")
    assert server.url.startswith(f"ws://{HOST}:")
    assert procs.recorder(server.url, "packaged").wait_packets(3)
