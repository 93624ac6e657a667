"""The reference for `minsheng validate` on many files: load them with libyaml, nothing else.

Usage: python bench/bare_load.py DATA_DIR [--discard] [--no-gc]

Reads the same files `minsheng validate --data DATA_DIR` reads (``plan*.yaml`` and
``progress/*.yaml``), decodes them as UTF-8 and parses each with
``yaml.load(text, Loader=yaml.CSafeLoader)``. No schema, no checks, no output but a count.

By default the parsed documents are kept in a list until exit, as any loader that hands
the data on must; ``--discard`` drops each one as soon as it is parsed. ``--no-gc`` pauses
Python's cycle collector for the whole load (``gc.disable()``), which a loader may do too.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import yaml


def main() -> int:
    args = sys.argv[1:]
    discard = "--discard" in args
    if "--no-gc" in args:
        gc.disable()
    folders = [a for a in args if not a.startswith("--")]
    if len(folders) != 1:
        sys.stderr.write(__doc__ or "")
        return 2
    data = Path(folders[0])
    files = sorted(data.glob("plan*.yaml")) + sorted((data / "progress").glob("*.yaml"))
    kept = []
    for path in files:
        doc = yaml.load(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
        if not discard:
            kept.append(doc)
    sys.stdout.write(f"{len(files)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
