"""The systemd units in deploy/: `systemd-analyze verify` finds nothing to say, and the
exposure `systemd-analyze security --offline=true` reports is no worse than the figure
recorded in deploy/README.md."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pingjia_process import PINGJIA_BIN, REPO, WAIT

DEPLOY = REPO / "deploy"
UNITS = ["pingjia.service", "pingjia-backup.service", "pingjia-backup.timer"]
RECORDED = re.compile(r"^\| `(?P<unit>[\w.-]+\.service)` \| (?P<score>\d+\.\d) (?P<word>[A-Z]+) ", re.MULTILINE)


def analyze(*arguments: str) -> subprocess.CompletedProcess:
    binary = shutil.which("systemd-analyze", path=os.environ.get("PATH", "") + ":/usr/bin:/bin")
    if not binary:
        pytest.fail("systemd-analyze is not installed: run deploy/install-packages.sh --test")
    # No colours, no pager, warnings and errors only: the output is read by the test.
    environment = {**os.environ, "SYSTEMD_COLORS": "0", "SYSTEMD_PAGER": "", "SYSTEMD_LOG_LEVEL": "warning"}
    return subprocess.run([binary, *arguments], capture_output=True, text=True, timeout=WAIT, env=environment)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A file-system root as install.sh leaves it: the units in /etc/systemd/system, the
    binary at /usr/local/bin/pingjia, and this machine's own system units (the targets
    the units name), so that verify sees the installed picture and nothing of the host's
    /usr/local."""
    root = tmp_path_factory.mktemp("systemd-root")
    (root / "etc/systemd/system").mkdir(parents=True)
    for unit in UNITS:
        shutil.copy(DEPLOY / unit, root / "etc/systemd/system" / unit)
    (root / "usr/local/bin").mkdir(parents=True)
    binary = root / "usr/local/bin/pingjia"
    if not PINGJIA_BIN.is_file():
        pytest.fail(f"no pingjia binary at {PINGJIA_BIN}: run `swift build` first")
    try:
        os.link(PINGJIA_BIN, binary)
    except OSError:
        shutil.copy(PINGJIA_BIN, binary)
    system_units = Path("/usr/lib/systemd/system")
    if not system_units.is_dir():
        system_units = Path("/lib/systemd/system")
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    # Can systemd-analyze work offline here at all? A trivial unit tells.
    (root / "etc/systemd/system/probe.service").write_text("[Service]\nExecStart=/usr/local/bin/pingjia\n")
    probe = analyze("security", "--offline=true", f"--root={root}", "probe.service")
    if probe.returncode != 0 or "Overall exposure level" not in probe.stdout:
        pytest.skip(f"systemd-analyze cannot run offline in this container: {probe.stderr.strip()[:300]}")
    (root / "etc/systemd/system/probe.service").unlink()
    return root


@pytest.mark.parametrize("unit", UNITS)
def test_systemd_analyze_verify_finds_nothing(root, unit):
    done = analyze("verify", f"--root={root}", unit)
    said = (done.stdout + done.stderr).strip()
    assert done.returncode == 0 and not said, f"systemd-analyze verify {unit}:\n{said}"


def recorded_scores() -> dict[str, float]:
    text = (DEPLOY / "README.md").read_text(encoding="utf-8")
    scores = {match["unit"]: float(match["score"]) for match in RECORDED.finditer(text)}
    assert scores, "deploy/README.md records no exposure scores"
    return scores


@pytest.mark.parametrize("unit", ["pingjia.service", "pingjia-backup.service"])
def test_exposure_is_no_worse_than_recorded(root, unit):
    recorded = recorded_scores()
    assert unit in recorded, f"deploy/README.md records no exposure score for {unit}"
    done = analyze("security", "--offline=true", f"--root={root}", unit)
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d)", done.stdout)
    assert match, f"systemd-analyze security {unit} printed no score:\n{done.stdout[-800:]}\n{done.stderr}"
    assert float(match[1]) <= recorded[unit], (
        f"{unit}: exposure {match[1]} is worse than the {recorded[unit]} recorded in deploy/README.md")


def test_a_unit_with_a_mistake_is_caught(root, tmp_path):
    """The check itself can fail: a misspelt directive in a copy of the unit is reported."""
    broken = root / "etc/systemd/system/pingjia-broken.service"
    broken.write_text((DEPLOY / "pingjia.service").read_text().replace("NoNewPrivileges=yes", "NoNewPrivilege=yes"))
    try:
        done = analyze("verify", f"--root={root}", broken.name)
        assert "NoNewPrivilege" in done.stdout + done.stderr
    finally:
        broken.unlink()
