"""`pip install ./clients/python` gives an importable package (offline: Debian's setuptools, no index)."""

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


def test_pip_installs_an_importable_package(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=60)
    # A copy, so that the build's leftovers (build/, *.egg-info) stay out of the source tree.
    source = tmp_path / "src"
    subprocess.run(["cp", "-r", str(PACKAGE), str(source)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--no-build-isolation", str(source)],
                   check=True, timeout=120, capture_output=True)
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import arraycast; print(arraycast.__file__)"],
                           cwd=tmp_path, check=True, capture_output=True, text=True, timeout=30,
                           env={"PATH": "/usr/bin:/bin"}).stdout.strip()
    assert where.startswith(str(venv)), where
