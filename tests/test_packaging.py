"""The built wheel: one import package, policy_ie, with every data file, usable on its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.fail(f"pip wheel failed:\n{res.stderr[-2000:]}")
    (whl,) = out.glob("policy_ie-*.whl")
    return whl


def test_the_wheel_installs_only_policy_ie_and_every_tracked_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {n.split("/")[0] for n in names} == {"policy_ie", f"{wheel.name.split('-py3')[0]}.dist-info"}
    tracked = subprocess.run(["git", "ls-files", "policy_ie", "pipeline", "extractors"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    installed = {t if t.startswith("policy_ie/") else f"policy_ie/{t}" for t in tracked}
    assert installed - names == set()
    assert not [n for n in names if "__pycache__" in n]


def test_the_installed_wheel_extracts_on_its_own(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    probe = ("import json, policy_ie\n"
             "r = policy_ie.extract('陕西商洛：脱贫攻坚纪实\\n全市贫困人口由48.9万人减少到3.2万人。')\n"
             "print(json.dumps({'file': policy_ie.__file__, 'region': r['region']['name'],\n"
             "                  'values': [m['value'] for m in r['metrics']]}))\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    res = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    got = json.loads(res.stdout)
    assert Path(got["file"]).is_relative_to(site)
    assert got["region"] == "商洛市" and got["values"] == [489000, 32000]
