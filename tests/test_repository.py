"""What the repository must never track: built or machine-local files.

A worktree's ``.venv`` symlink was committed twice: on a fresh clone it dangles
and ``python3 -m venv .venv`` (the first step of ``make test``) fails.
"""

import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tracked():
    if shutil.which("git") is None or not os.path.exists(os.path.join(ROOT, ".git")):
        pytest.skip("not a git checkout")
    done = subprocess.run(["git", "-C", ROOT, "ls-files"], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"git ls-files failed: {done.stderr.strip()}")
    return done.stdout.splitlines()


@pytest.mark.parametrize(
    "forbidden",
    [".venv", ".system.stamp", "out/", "dist/", "__pycache__/", ".pyc", ".qm", ".hypothesis/"],
)
def test_nothing_built_or_local_is_tracked(forbidden):
    files = tracked()
    hits = [f for f in files if f == forbidden or f.startswith(forbidden) or f"/{forbidden}" in f or f.endswith(forbidden)]
    assert hits == [], f"tracked but built or machine-local: {hits[:5]}"


def test_pdf_text_is_read_through_the_one_helper():
    """Newer poppler (Debian 13, sid) prints ligatures ("Conﬁguration"): tests read PDFs
    through conftest_report.pdf_text, which unfolds them, or they pass on 3.22 only."""
    here = os.path.join(ROOT, "tests")
    offenders = []
    for name in sorted(os.listdir(here)):
        if name.endswith(".py") and name not in ("conftest_report.py", "test_repository.py"):
            with open(os.path.join(here, name), encoding="utf-8") as f:
                if '["pdftotext"' in f.read():
                    offenders.append(name)
    assert offenders == []
