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
    assert found["deferred"] == ["subprocess", "shellingham", "bz2", "lzma"]
    kinds = found["kinds"]
    assert isinstance(kinds, dict)
    # typer's `import subprocess` and the completion module's `import shellingham` bind them without running them
    assert kinds == {
        "subprocess": "_Deferred",
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


def test_a_failed_run_leaves_it_deferred_and_the_next_use_tries_again() -> None:
    found = _python(
        "import json, sys, types\n"
        "from minsheng.entry import defer\n"
        "defer(['bz2'])\n"
        "import bz2\n"
        "real = bz2.__spec__.loader.exec_module\n"
        "def failing(module):\n"
        "    module.half = 1\n"
        "    raise KeyboardInterrupt\n"
        "bz2.__spec__.loader.exec_module = failing\n"
        "try:\n"
        "    bz2.compress\n"
        "except KeyboardInterrupt:\n"
        "    pass\n"
        "after = {'kind': type(bz2).__name__, 'half': hasattr(types.ModuleType, 'half') or 'half' in vars(bz2)}\n"
        "bz2.__spec__.loader.exec_module = real\n"
        "ok = bz2.decompress(bz2.compress(b'x')) == b'x'\n"
        "print(json.dumps({**after, 'ok': ok, 'same': sys.modules['bz2'] is bz2, 'now': type(bz2).__name__}))\n"
    )
    # put back as it was (nothing half-set), still deferred, in sys.modules; the next use runs it whole
    assert found == {"kind": "_Deferred", "half": False, "ok": True, "same": True, "now": "module"}


def test_threads_wait_for_the_whole_module() -> None:
    found = _python(
        "import json, threading\n"
        "from minsheng.entry import defer\n"
        "defer(['subprocess'])\n"
        "import subprocess\n"
        "seen, errors = [], []\n"
        "start = threading.Barrier(8)\n"
        "def use():\n"
        "    start.wait()\n"
        "    try:\n"
        "        seen.append(subprocess.PIPE)\n"
        "    except Exception as exc:\n"
        "        errors.append(repr(exc))\n"
        "threads = [threading.Thread(target=use) for _ in range(8)]\n"
        "[t.start() for t in threads]\n"
        "[t.join() for t in threads]\n"
        "print(json.dumps({'seen': seen, 'errors': errors}))\n"
    )
    assert found == {"seen": [-1] * 8, "errors": []}


def test_a_module_whose_compiled_part_is_missing_is_not_deferred() -> None:
    # a Python built without _bz2: `import bz2` must keep failing, so that shutil and zipfile see no bz2
    found = _python(
        "import json, sys\n"
        "sys.modules['_bz2'] = None\n"
        "from minsheng.entry import DEFERRED, defer\n"
        "deferred = defer(DEFERRED)\n"
        "try:\n"
        "    import bz2\n"
        "    imported = True\n"
        "except ImportError:\n"
        "    imported = False\n"
        "print(json.dumps({'deferred': deferred, 'imported': imported}))\n"
    )
    assert found == {"deferred": ["subprocess", "shellingham", "lzma"], "imported": False}


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
