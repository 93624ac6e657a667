"""The console script's deferred imports (minsheng/entry.py): deferred until used, then the real module.

Each check runs in a fresh interpreter, so this test process's own modules are not touched.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import test_history
from tests.gitrepo import GitRepo

ROOT = Path(__file__).resolve().parents[1]
story = test_history.story  # the 留痕 tests' repository of five dated commits (a fixture)


def _python(code: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_typer_imports_them_without_running_them() -> None:
    found = _python(
        "import json, sys\n"
        "from minsheng.entry import DEFERRED, defer\n"
        "deferred = defer(DEFERRED)\n"
        "import typer, minsheng.cli\n"
        "print(json.dumps({'deferred': deferred,"
        " 'kinds': {n: type(sys.modules[n]).__name__ for n in deferred}}))\n"
    )
    assert found["deferred"] == ["subprocess", "platform", "shellingham", "bz2", "lzma"]
    kinds = found["kinds"]
    assert isinstance(kinds, dict)
    # typer's `import subprocess` and the completion module's `import shellingham` bind them without running them;
    # `platform` runs at once, because `uuid` (which typer also imports) calls platform.system() at its top
    assert kinds == {
        "subprocess": "_Deferred",
        "platform": "module",
        "shellingham": "_Deferred",
        "bz2": "_Deferred",  # shutil's `import bz2; del bz2` binds it only
        "lzma": "_Deferred",
    }


def test_first_use_runs_the_real_module() -> None:
    found = _python(
        "import json, sys\n"
        "from minsheng.entry import defer\n"
        "defer(['subprocess', 'lzma'])\n"
        "import subprocess, shutil, lzma\n"
        "assert lzma.decompress(lzma.compress(b'x')) == b'x'\n"
        "out = subprocess.run(['echo', 'ok'], capture_output=True, text=True).stdout.strip()\n"
        "from subprocess import PIPE\n"
        "print(json.dumps({'out': out, 'kind': type(sys.modules['subprocess']).__name__,"
        " 'same': sys.modules['subprocess'] is subprocess, 'pipe': PIPE}))\n"
    )
    assert found == {"out": "ok", "kind": "module", "same": True, "pipe": -1}


def test_a_module_already_imported_or_missing_is_left_alone() -> None:
    found = _python(
        "import json, subprocess\n"
        "from minsheng.entry import defer\n"
        "print(json.dumps(defer(['subprocess', 'no_such_module_here', 'zlib', 'sys', 'marshal'])))\n"
    )
    assert found == []


def test_the_console_script_runs_git_through_a_deferred_subprocess(story: tuple[GitRepo, dict[str, str]]) -> None:
    # `python -m minsheng` goes through minsheng.entry, so `history` reaches git through the deferred
    # subprocess module: the same events as the in-process run (CliRunner, nothing deferred)
    repo, _ = story
    done = subprocess.run(
        [sys.executable, "-m", "minsheng", "history", "--data", str(repo.data), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)
    assert len(events) >= 5
    assert events == test_history.history_json(repo.data)


def _collector_during(command: str) -> dict[str, object]:
    """Whether the cycle collector runs while ``command`` opens its data, started as the console script does."""
    return _python(
        "import gc, json, sys\n"
        "from minsheng import gcpause\n"
        "gcpause.pause_startup()\n"
        "before = gc.isenabled()\n"
        "import minsheng.cli as cli\n"
        "seen = []\n"
        "def spy(*args, **kwargs):\n"
        "    seen.append(gc.isenabled())\n"
        "    raise SystemExit(0)\n"
        "cli._open = spy\n"
        "try:\n"
        f"    cli.app([{command!r}, '--data', 'data'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps({'startup': before, 'command': seen}))\n"
    )


def test_the_collector_is_paused_for_start_up_and_given_back_to_other_commands() -> None:
    # status keeps it paused through load, compute and render (minsheng.cli.GC_PAUSED) …
    assert _collector_during("status") == {"startup": False, "command": [False]}
    # … validate is not among those commands: it gets the collector back once it is known
    assert _collector_during("validate") == {"startup": False, "command": [True]}
