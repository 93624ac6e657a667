"""Benchmark for minsheng: latency on one district's data, throughput on thousands of files.

Run from the project root with the project's venv active::

    python bench/run.py              # full run, writes docs/performance.md (4-5 minutes on 2 cores)
    python bench/run.py --smoke      # tiny sizes, 1 run each (~15 s), writes bench/out/performance-smoke.md
    python bench/run.py --runs 11 --big-runs 5 --sizes 10000,1000 --output /tmp/perf.md

Every figure comes from whole processes, each started by a tiny launcher that times it and
reads its own peak RSS and CPU time with ``os.wait4`` (see LAUNCHER below), run round-robin
after one warm-up run each, and compared with a reference command measured in the same run.
Synthetic data is generated deterministically (seeded ``random.Random``) under ``bench/out/``
(git-ignored) and must pass ``minsheng validate`` (no warning but the shipped plan's own) before anything is timed; the
smoke run writes its table there too, so CI does not dirty the tree.

Only the standard library is used, plus check-jsonschema if it is installed in the same
environment (``pip install check-jsonschema``); without it that comparison is skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import itertools
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SHIPPED = ROOT / "data"
BARE = ROOT / "bench" / "bare_load.py"
CACHE = OUT / "cache"  # minsheng's cache of checked data (if it has one), kept out of ~/.cache
PY = sys.executable
RUN_PY = PY  # the interpreter of the timed runs: a venv with minsheng installed from a wheel (see install())
MINSHENG = [PY, "-m", "minsheng"]
AS_OF = "2024-07-31"
SHIPPED_RUNS = 21
"""Timed rounds for the shipped-data commands (≈ 0.1 s each). On a shared 2-core machine one round's
ratio to F ranges from about 0.9× to 1.5×; with 7 rounds the median of three runs of the same code on
one day was 1.23×, 1.23× and 1.31×, so the start-up verdict (≤ 1.3×) depended on the draw. 21 rounds
cost about 30 s more."""
SEED = 20240731
VALUES_PER_FILE = 3  # one indicator per unit, reported in three monthly reports
ARGS_BUDGET = 1_000_000  # bytes of file arguments per check-jsonschema process (ARG_MAX is usually 2 MiB)

TARGET_STATUS = 1.6
TARGET_HELP = 1.3
TARGET_VALIDATE = 1.2
TARGET_FLAT = 1.2
# issue 17
TARGET_START = 1.3  # status, report, --help × F
TARGET_LINEAR = 1.2  # per-value cost across a 10× step
TARGET_STATUS_VALIDATE = 1.5  # status ÷ validate at 1.5 M values
SCALE_AREAS = (250, 2500, 25000)  # roll-up areas × 60 values: 15 k, 150 k, 1.5 M values
SMOKE_SCALE_AREAS = (25, 250)  # 1.5 k, 15 k values: never the 1.5 M set in --smoke


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


# --- synthetic data ------------------------------------------------------------------------------

PLACE_CHARS = "安宁平和丰顺兴隆永清长乐新华建德福寿康泰宝山金河青云龙泉凤阳临江双桥白石红星光明东西南北"
DEPARTMENTS = [
    ("住建局", "住房和城乡建设局"),
    ("水务局", "水务局"),
    ("教育局", "教育局"),
    ("交运局", "交通运输局"),
    ("文旅局", "文化广电和旅游局"),
    ("民政局", "民政局"),
    ("司法局", "司法局"),
    ("人社局", "人力资源和社会保障局"),
    ("卫健局", "卫生健康局"),
    ("农业农村局", "农业农村局"),
    ("城管局", "城市管理综合行政执法局"),
    ("残联", "残疾人联合会"),
]
# (kind, indicator name, measure, target range)
INDICATORS = [
    ("amount", "改造提升农村公路", "公里", (20, 200)),
    ("amount", "更换城区居民小区智能远传水表", "块", (2000, 20000)),
    ("amount", "老旧小区改造", "个", (5, 60)),
    ("amount", "新建改建城市公共厕所", "座", (5, 40)),
    ("amount", "开展职业技能培训", "人次", (500, 5000)),
    ("amount", "困难重度残疾人家庭无障碍改造", "户", (50, 500)),
    ("amount", "新增公办幼儿园学位", "个", (100, 1500)),
    ("amount", "城市供水管网改造", "公里", (5, 50)),
    ("amount", "建设村级养老服务站", "个", (5, 40)),
    ("amount", "重点人群无偿法律援助", "件", (100, 1000)),
    ("amount", "特殊困难老年人家庭居家适老化改造", "户", (50, 300)),
    ("amount", "失业人员再就业", "人", (500, 3000)),
    ("level", "普惠托位", "个", (1000, 5000)),
    ("level", "养老护理员持证人员", "人", (100, 400)),
    ("milestone", "区级应急避难场所建成投用", None, None),
    ("milestone", "智慧停车管理平台上线运行", None, None),
]
PROJECT_WORDS = ["城市道路提升", "供水设施改造", "教育基础设施提升", "四好农村路提升", "公共文化服务提升",
                 "助残服务提升", "养老服务提升", "就业促进", "卫生健康服务提升", "法律援助扩面提质"]  # fmt: skip
SUMMARY_PHRASES = [
    "完成施工图设计和预算编制",
    "项目完成公开招标，施工单位已进场",
    "完成旧路面铣刨和基层修补",
    "累计完成计划工程量的{p}%",
    "完成入户摸底调查{n}户，建立工作台账",
    "组织召开项目推进会，明确各节点完成时限",
    "主体结构施工完成，正在进行内部装修和设备安装",
    "完成设备采购并安装调试，试运行情况良好",
    "委托第三方开展质量检测，各项指标符合设计要求",
    "累计拨付项目资金{n}万元",
    "会同街道、社区开展入户宣传，群众知晓率明显提高",
    "已完工部分通过阶段性验收并交付使用",
    "完成项目立项、环评和用地预审等前期手续",
    "按照序时进度推进，本月新增完成量较上月有所增加",
]
PROBLEM_PHRASES = [
    "部分施工段受降雨影响多次停工",
    "工程款拨付进度慢于施工进度",
    "部分住户白天不在家，入户工作推进较慢",
    "原材料价格上涨，施工单位成本压力较大",
    "个别点位涉及管线迁改，需相关单位协调配合",
    "专业技术人员不足，验收工作排期较紧",
]
NEXT_PHRASES = [
    "下月完成剩余工程量的{p}%",
    "加快推进附属工程施工，确保按期完工",
    "协调区财政加快资金拨付",
    "增派施工班组，利用晴好天气抢抓工期",
    "组织竣工验收并做好资料归档",
    "继续开展入户宣传和动员，提高群众配合度",
    "开展项目自查，及时整改发现的问题",
]
REPORT_DATES = ["2024-04-30", "2024-05-31", "2024-06-30"]
UNITS_PER_TASK = 10


@dataclass
class Dataset:
    name: str
    path: Path
    files: int  # plan + progress files
    progress_files: int
    values: int
    bytes: int


def unit_names(count: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, full name, alias) for ``count`` distinct units, e.g. 安宁县住建局."""
    places = [a + b for a in PLACE_CHARS for b in PLACE_CHARS if a != b]
    rng.shuffle(places)
    need = -(-count // len(DEPARTMENTS))
    if need > len(places):  # the 1.5 M-value roll-up needs more than the two-character names
        places += [a + b + c for a in PLACE_CHARS[:12] for b in PLACE_CHARS for c in PLACE_CHARS if len({a, b, c}) == 3]
    if need > len(places):
        raise SystemExit(f"cannot name {count} units (at most {len(places) * len(DEPARTMENTS)})")
    names = []
    for place in places[:need]:
        for short, full in DEPARTMENTS:
            names.append((f"{place}县{short}", f"某某市{place}县{full}", f"{place}{short}"))
    return names[:count]


def _text(rng: random.Random, pool: list[str], low: int, high: int) -> str:
    templates = rng.sample(pool, rng.randint(low, high))
    return "；".join(t.format(p=rng.randint(10, 95), n=rng.randint(20, 900)) for t in templates) + "。"


def generate(dest: Path, units: int, seed: int = SEED) -> Dataset:
    """A plan with ``units`` units (one indicator each) and one progress file per unit.

    Each progress file holds three monthly reports of its unit's one indicator, with the
    three texts filled in, so the data set has ``3 * units`` indicator values.
    """
    rng = random.Random(seed + units)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "progress").mkdir(parents=True)
    names = unit_names(units, rng)
    plan = [
        "# 基准测试用的合成数据（bench/run.py 生成），不是任何地区的真实计划。",
        f"title: 某某市2024年民生实事实施方案（合成数据，{units}个单位）",
        "region: 某某市",
        "year: 2024",
        "start: 2024-01-01",
        "deadlines:",
        "  basic: {date: 2024-10-31, label: 基本完成}",
        "  final: {date: 2024-12-31, label: 高标准、高质量完成}",
        "thresholds: {yellow: 0.10, red: 0.30}",
        "reporting: {cadence: monthly, due_days: 5}",
        "units:",
    ]
    for name, full, alias in names:
        plan += [f"  - name: {name}", f"    full_name: {full}", f"    aliases: [{alias}]"]
    plan.append("tasks:")
    total_bytes = 0
    values = 0
    for t0 in range(0, units, UNITS_PER_TASK):
        task_id = str(t0 // UNITS_PER_TASK + 1)
        members = names[t0 : t0 + UNITS_PER_TASK]
        project = rng.choice(PROJECT_WORDS)
        plan += [
            f'  - id: "{task_id}"',
            f"    name: {members[0][2][:2]}片区{project}工程（{task_id}）",
            f"    description: {_text(rng, SUMMARY_PHRASES, 2, 3)}",
            f"    units: [{', '.join(m[0] for m in members)}]",
            "    indicators:",
        ]
        for j, (unit, _full, _alias) in enumerate(members, start=1):
            ind_id = f"{task_id}.{j}"
            kind, ind_name, measure, span = rng.choice(INDICATORS)
            plan += [f'      - id: "{ind_id}"', f"        name: {ind_name}", f"        kind: {kind}"]
            series: list[str]
            fractions = sorted(rng.uniform(0.05, 0.95) for _ in REPORT_DATES)
            if kind == "milestone":
                series = ["false", "false", rng.choice(["true", "false"])]
            else:
                assert span is not None
                target = rng.randint(*span)
                baseline = int(target * rng.uniform(0.5, 0.8)) if kind == "level" else 0
                plan += [f"        target: {target}", f"        measure: {measure}"]
                if kind == "level":
                    plan.append(f"        baseline: {baseline}")
                series = [str(baseline + round((target - baseline) * f)) for f in fractions]
            plan.append(f"        unit: {unit}")
            lines = [
                "# 基准测试用的合成数据（bench/run.py 生成）。",
                f"unit: {unit}",
                "reports:",
            ]
            for date, value in zip(REPORT_DATES, series, strict=True):
                problems = "无" if rng.random() < 0.4 else _text(rng, PROBLEM_PHRASES, 1, 2)
                lines += [
                    f"  - date: {date}",
                    "    values:",
                    f'      "{ind_id}": {value}',
                    f"    summary: {_text(rng, SUMMARY_PHRASES, 2, 4)}",
                    f"    problems: {problems}",
                    f"    next_steps: {_text(rng, NEXT_PHRASES, 1, 2)}",
                ]
                values += 1
            data = ("\n".join(lines) + "\n").encode("utf-8")
            (dest / "progress" / f"{unit}.yaml").write_bytes(data)
            total_bytes += len(data)
    plan_bytes = ("\n".join(plan) + "\n").encode("utf-8")
    (dest / "plan-2024.yaml").write_bytes(plan_bytes)
    total_bytes += len(plan_bytes)
    return Dataset(dest.name, dest, units + 1, units, values, total_bytes)


ROLLUP_INDICATORS = 5
ROLLUP_MONTHS = [f"2024-{m:02d}-28" for m in range(1, 13)]


def generate_rollup(dest: Path, areas: int, seed: int = SEED) -> Dataset:
    """A city or province roll-up (issue 12): one plan whose 5 indicators are each split among
    ``areas`` areas; each area's unit reports its shares of all five in 12 monthly reports."""
    rng = random.Random(seed + 7 * areas)
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "progress").mkdir(parents=True)
    names = [n for n, _, _ in unit_names(areas, rng)]
    area_names = [f"{n}片区" for n in names]
    plan = [
        "# 基准测试用的合成数据（bench/run.py 生成），不是任何地区的真实计划。",
        f"title: 某某省2024年民生实事（合成数据，目标分解到{areas}个区域）",
        "region: 某某省",
        "year: 2024",
        "deadlines:",
        "  basic: {date: 2024-10-31, label: 基本完成}",
        "  final: {date: 2024-12-31, label: 高标准、高质量完成}",
        "areas:",
        *(f"  - {{name: {a}, unit: {u}}}" for a, u in zip(area_names, names, strict=True)),
        "units:",
        "  - name: 省人社厅",
        *(f"  - name: {u}" for u in names),
        "tasks:",
    ]
    shares = [[rng.randint(50, 500) for _ in area_names] for _ in range(ROLLUP_INDICATORS)]
    for t in range(ROLLUP_INDICATORS):
        _kind, ind_name, measure, _span = rng.choice([i for i in INDICATORS if i[0] == "amount"])
        plan += [
            f'  - id: "{t + 1}"',
            f"    name: {rng.choice(PROJECT_WORDS)}工程（{t + 1}）",
            f"    description: {_text(rng, SUMMARY_PHRASES, 2, 3)}",
            "    units: [省人社厅]",
            "    indicators:",
            f'      - id: "{t + 1}.1"',
            f"        name: {ind_name}",
            f"        target: {sum(shares[t])}",
            f"        measure: {measure}",
            "        unit: 省人社厅",
            "        areas:",
            *(f"          - {{area: {a}, target: {s}}}" for a, s in zip(area_names, shares[t], strict=True)),
        ]
    plan_bytes = ("\n".join(plan) + "\n").encode("utf-8")
    (dest / "plan-2024.yaml").write_bytes(plan_bytes)
    total, values = len(plan_bytes), 0
    for k, unit in enumerate(names):
        lines = ["# 基准测试用的合成数据（bench/run.py 生成）。", f"unit: {unit}", "reports:"]
        for m, date in enumerate(ROLLUP_MONTHS, start=1):
            cells = ", ".join(f'"{t + 1}.1": {shares[t][k] * m // 12}' for t in range(ROLLUP_INDICATORS))
            lines += [
                f"  - date: {date}",
                f"    values: {{{cells}}}",
                f"    summary: {_text(rng, SUMMARY_PHRASES, 1, 2)}",
            ]
            values += ROLLUP_INDICATORS
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (dest / "progress" / f"{unit}.yaml").write_bytes(data)
        total += len(data)
    return Dataset(dest.name, dest, areas + 1, areas, values, total)


def rollup_section(results: list[Result], sets: list[Dataset]) -> str:
    """The roll-up figures: validate and status against the bare parse of the same files, per size."""
    out = [
        "## Roll-up: targets split among areas (issue 12)",
        "",
        f"One plan with {ROLLUP_INDICATORS} indicators, each split among N areas; each area's unit reports its"
        f" shares in {len(ROLLUP_MONTHS)} monthly reports (N + 1 files). `status` runs with `MINSHENG_NO_CACHE=1`"
        " (it computes every area's sum at every report date for the trend). Target: both within 1.3× of the bare"
        " parse, and linear in N.",
        "",
        "| areas | files | bare parse | `validate` | ratio | `status` | ratio | `status` per area |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    by_label = {r.command.label: r for r in results}
    for ds in sets:
        n = ds.progress_files
        bare, val, st = (by_label[f"{what}, {n} areas"] for what in ("bare", "validate", "status"))
        out.append(
            f"| {n} | {ds.files} | {fmt_time(bare.median)} | {fmt_time(val.median)} |"
            f" {fmt_ratio(paired_ratios(val, bare))} | {fmt_time(st.median)} | {fmt_ratio(paired_ratios(st, bare))} |"
            f" {st.median / n * 1000:.2f} ms |"
        )
    out += ["", ""]
    return "\n".join(out)


def shipped_dataset() -> Dataset:
    import yaml

    files = sorted(SHIPPED.glob("plan*.yaml")) + sorted((SHIPPED / "progress").glob("*.yaml"))
    values = 0
    for path in sorted((SHIPPED / "progress").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CBaseLoader) or {}
        values += sum(len(r.get("values") or {}) for r in doc.get("reports") or [])
    return Dataset("shipped", SHIPPED, len(files), len(files) - 1, values, sum(p.stat().st_size for p in files))


KNOWN_WARNINGS = frozenset({"baseline-unknown"})
"""The shipped plan's own warnings (9.2-9.4 are levels with no 年初基数), which its copies inherit."""


def check_clean(ds: Dataset) -> None:
    """Abort unless ``minsheng validate`` passes with no warning but the shipped plan's own:
    a benchmark of rejected data means nothing."""
    got = subprocess.run(
        [*MINSHENG, "validate", "--format", "json", "--data", str(ds.path)], capture_output=True, text=True
    )
    try:
        found = {p["code"] for p in json.loads(got.stdout)["problems"]}
    except (ValueError, KeyError):
        found = {"unreadable-output"}
    if got.returncode != 0 or not found <= KNOWN_WARNINGS:
        tail = "\n".join((got.stdout + got.stderr).splitlines()[-20:])
        sys.stderr.write(f"\n*** synthetic data set {ds.path} does NOT validate clean (exit {got.returncode}):\n")
        sys.stderr.write(tail + "\n*** aborting: fix the generator in bench/run.py\n")
        raise SystemExit(1)


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Command:
    label: str
    steps: list[list[str]]  # processes run one after another; times add up, peak RSS is the largest
    cwd: Path = ROOT
    ok_codes: tuple[int, ...] = (0,)
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    command: Command
    times: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    step_times: list[list[float]] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + sys of the process(es)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def rss_mb(self) -> float:
        return statistics.median(self.rss_kb) / 1024


# Peak RSS needs a small launcher. `ru_maxrss` from `os.wait4` on a child of this process is not
# the child's own peak: on exec, Linux folds the RSS of the memory image being replaced into the
# new program's maxrss, and subprocess spawns with vfork, so every child would report at least
# this (large) benchmark process's RSS (measured: `python -c pass` shows 400 MB under a 400 MB
# parent). The launcher is a bare `python -I -S` (about 8 MB, below any measured command); it
# spawns the command, times spawn-to-exit itself (so its own start-up is not counted), and writes
# the elapsed time, the child's ru_maxrss, its exit code and its CPU time (user + sys) to a file.
LAUNCHER = """
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(out, "w") as f:
    cpu = usage.ru_utime + usage.ru_stime
    f.write(f"{elapsed!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {cpu!r}")
"""


def run_once(cmd: Command) -> tuple[list[float], int, float]:
    steps = []
    peak = 0
    cpu = 0.0
    env = {**os.environ, "COLUMNS": "100", "MINSHENG_CACHE_DIR": str(CACHE), **cmd.env}
    # Timed processes write and reuse .pyc files as a user's do: a shell with PYTHONDONTWRITEBYTECODE=1
    # would make every run recompile minsheng (about 20 ms, issue 17).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="minsheng-bench-") as tmp:
        result = Path(tmp) / "result"
        for argv in cmd.steps:
            with tempfile.TemporaryFile() as err:
                launcher = [PY, "-I", "-S", "-c", LAUNCHER, str(result), *argv]
                got = subprocess.run(launcher, stdout=subprocess.DEVNULL, stderr=err, cwd=cmd.cwd, env=env)
                fields = result.read_text().split() if got.returncode == 0 and result.exists() else []
                code = int(fields[2]) if fields else got.returncode
                if not fields or code not in cmd.ok_codes:
                    err.seek(0)
                    message = err.read().decode("utf-8", "replace")[-3000:]
                    shown = shlex.join(argv[:8]) + (" …" if len(argv) > 8 else "")
                    raise SystemExit(f"*** {cmd.label}: `{shown}` exited {code}\n{message}")
                result.unlink()
            steps.append(float(fields[0]))
            peak = max(peak, int(fields[1]))  # kB on Linux
            cpu += float(fields[3])
    return steps, peak, cpu


def measure(commands: list[Command], runs: int, group: str, *, warm: bool = True) -> list[Result]:
    """One warm-up run of each command (unless not ``warm``), then ``runs`` rounds, each command once per round.

    The order rotates from round to round, so drift on a noisy machine hits every command alike.
    """
    results = [Result(c) for c in commands]
    for k, res in enumerate(results if warm else []):
        log(f"{group}: warm-up {k + 1}/{len(results)} {res.command.label}")
        run_once(res.command)
    for r in range(runs):
        order = results[r % len(results) :] + results[: r % len(results)]
        t0 = time.perf_counter()
        for res in order:
            steps, kb, cpu = run_once(res.command)
            res.times.append(sum(steps))
            res.cpu.append(cpu)
            res.step_times.append(steps)
            res.rss_kb.append(kb)
        log(f"{group}: round {r + 1}/{runs} ({time.perf_counter() - t0:.1f} s)")
    return results


def paired_ratios(res: Result, ref: Result, *, cpu: bool = False) -> list[float]:
    if cpu:
        return [a / b for a, b in zip(res.cpu, ref.cpu, strict=True)]
    return [a / b for a, b in zip(res.times, ref.times, strict=True)]


# --- formatting ----------------------------------------------------------------------------------


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def fmt_spread(times: list[float]) -> str:
    low, high = min(times), max(times)
    if high >= 10:
        return f"{low:.1f}–{high:.1f} s"
    return f"{low * 1000:.0f}–{high * 1000:.0f} ms"


def fmt_ratio(ratios: list[float]) -> str:
    if len(ratios) == 1:
        return f"{ratios[0]:.2f}×"
    return f"{statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**not met**")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def libyaml_info() -> str:
    try:
        import yaml

        if not yaml.__with_libyaml__:
            return "no (pure-Python parser only)"
        from yaml import _yaml

        return f"yes, libyaml {_yaml.get_version_string()}"
    except Exception as exc:
        return f"unknown ({exc})"


def git_state() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        return "unknown"
    if head.returncode != 0:
        return "unknown"
    return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")


def check_jsonschema_bin() -> str | None:
    here = Path(PY).parent / "check-jsonschema"
    return str(here) if here.exists() else shutil.which("check-jsonschema")


# --- the benchmark -------------------------------------------------------------------------------


VALUE_COMMANDS = ("bare", "validate", "status", "report --area", "export csv")


def value_commands(ds: Dataset) -> list[Command]:
    """What issue 17 times at each size: the bare parse, validate, and status, report and an export
    with the cache off (every run loads and computes)."""
    n = ds.values
    first_area = f"{unit_names(ds.progress_files, random.Random(SEED + 7 * ds.progress_files))[0][0]}片区"
    where = ["--as-of", AS_OF, "--data", str(ds.path)]
    off = {"MINSHENG_NO_CACHE": "1"}
    return [
        Command(f"bare, {n} values", [[RUN_PY, str(BARE), str(ds.path)]]),
        Command(f"validate, {n} values", [[*MINSHENG, "validate", "--data", str(ds.path)]]),
        Command(f"status, {n} values", [[*MINSHENG, "status", *where]], env=off),
        Command(f"report --area, {n} values", [[*MINSHENG, "report", "--area", first_area, *where]], env=off),
        Command(f"export csv, {n} values", [[*MINSHENG, "export", "csv", *where]], env=off),
    ]


def issue17_section(
    res1: list[Result], res5: list[Result], sets: list[Dataset], installed: str, smoke: bool
) -> tuple[str, list[str]]:
    """Issue 17's targets, each met or not with its number, and the table of the value sets."""
    by = {r.command.label: r for r in [*res1, *res5]}
    floor = res1[0]
    out = ["## Targets (issue 17)", ""]
    out.append(
        f"Timed runs use minsheng installed as users get it: {installed}. `PYTHONDONTWRITEBYTECODE` is removed"
        " from the environment of every timed process (a shell that sets it makes each run recompile minsheng)."
        " A ratio is the median of per-round ratios, the commands interleaved in each round."
    )
    out += ["", "| Target | Limit | Measured | Verdict |", "| --- | --- | --- | --- |"]
    verdicts = []

    def target(what: str, limit: float, value: float | None) -> None:
        ok = None if value is None else value <= limit
        shown = "–" if value is None else f"{value:.2f}×"
        out.append(f"| {what} | ≤ {limit}× | {shown} | {verdict(ok)} |")
        verdicts.append(f"target: {what}: {shown} (limit {limit}×) — {verdict(ok)}")

    def first(prefix: str) -> Result | None:
        return next((r for r in res1 if r.command.label.startswith(prefix) and not r.command.env), None)

    for what, res in (
        ("`minsheng status` on the shipped data, × F", first("`minsheng status")),
        ("`minsheng report --unit 区住建局` on the shipped data, × F", first("`minsheng report")),
        ("`minsheng --help`, × F", first("`minsheng --help`")),
    ):
        target(what, TARGET_START, statistics.median(paired_ratios(res, floor)) if res else None)
    for name in VALUE_COMMANDS[1:]:
        for small, large in itertools.pairwise(sets):
            a, b = by[f"{name}, {small.values} values"], by[f"{name}, {large.values} values"]
            growth = (b.median / large.values) / (a.median / small.values)
            target(f"`{name}` per-value time, {large.values} ÷ {small.values} values", TARGET_LINEAR, growth)
    top = sets[-1].values
    if top >= 1_500_000:
        st, va = by[f"status, {top} values"], by[f"validate, {top} values"]
        ratio = statistics.median(paired_ratios(st, va))
        target(f"`status` ÷ `validate` at {top} values", TARGET_STATUS_VALIDATE, ratio)
    else:
        out.append(f"| `status` ÷ `validate` at 1.5 M values | ≤ {TARGET_STATUS_VALIDATE}× | not run (smoke) | n/a |")
        verdicts.append("target: status ÷ validate at 1.5 M values: not run (smoke never builds the 1.5 M set)")
    hledger = shutil.which("hledger")
    note = (
        "hledger is on PATH but the comparison (issue 17) is not automated yet"
        if hledger
        else "`hledger` is not installed here: the hledger `balance --budget` comparison is skipped"
    )
    out += ["", f"Peers: {note}.", ""]
    verdicts.append(f"peers: {note}")
    out += [
        "### Values: a roll-up at 10× steps",
        "",
        f"`bench/run.py`'s roll-up generator ({ROLLUP_INDICATORS} indicators split among N areas,"
        f" {len(ROLLUP_MONTHS)} monthly reports per area: {ROLLUP_INDICATORS * len(ROLLUP_MONTHS)} values per file),"
        " written under a temporary directory and checked with `validate` first. `status`, `report --area` and"
        " `export csv` run with `MINSHENG_NO_CACHE=1`. Per value: wall median ÷ values.",
        "",
        "| values | files | " + " | ".join(f"`{n}`" for n in VALUE_COMMANDS) + " |",
        "| ---: | ---: |" + " ---: |" * len(VALUE_COMMANDS),
    ]
    for ds in sets:
        cells = []
        for name in VALUE_COMMANDS:
            r = by[f"{name}, {ds.values} values"]
            cells.append(f"{fmt_time(r.median)} ({r.median / ds.values * 1e6:.1f} µs, {r.rss_mb:.0f} MB)")
        out.append(f"| {ds.values} | {ds.files} | " + " | ".join(cells) + " |")
    out += ["", ""]
    return "\n".join(out), verdicts


def shipped_commands(script: Path) -> list[Command]:
    """The start-up group for issue 17: F, then the three commands, each also as the console script."""
    data = str(SHIPPED)
    floor_code = "import yaml, rich.console, rich.table"
    status = ["status", "--as-of", AS_OF, "--data", data]
    report = ["report", "--unit", "区住建局", "--as-of", AS_OF, "--data", data]
    return [
        Command(f'F = `python -c "{floor_code}"`', [[RUN_PY, "-c", floor_code]]),
        Command("`minsheng --help`", [[*MINSHENG, "--help"]]),
        Command(f"`minsheng status --as-of {AS_OF}`", [[*MINSHENG, *status]]),
        Command(f"`minsheng report --unit 区住建局 --as-of {AS_OF}`", [[*MINSHENG, *report]]),
        Command("console script `minsheng --help`", [[str(script), "--help"]]),
        Command("console script `minsheng status`", [[str(script), *status]]),
        Command("console script `minsheng report`", [[str(script), *report]]),
        Command(f"`minsheng status --as-of {AS_OF}`, editable install (dev venv)", [[PY, "-m", "minsheng", *status]]),
    ]


def issue17_only(args: argparse.Namespace) -> int:
    """Issue 17's section alone, spliced into the output file in place of an older one."""
    output = args.output or (OUT / "performance-smoke.md" if args.smoke else ROOT / "docs" / "performance.md")
    runs = args.runs or (1 if args.smoke else SHIPPED_RUNS)
    big_runs = args.big_runs or (1 if args.smoke else 3)
    command_line = "python bench/run.py" + "".join(" " + shlex.quote(a) for a in sys.argv[1:])
    when = dt.datetime.now().astimezone()
    started = time.perf_counter()
    load_before = os.getloadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(CACHE, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix="minsheng-bench-"))
    installed = install(scratch, args.smoke)
    log(f"timed runs: {installed}; PYTHONDONTWRITEBYTECODE cleared")
    res1 = measure(shipped_commands(Path(RUN_PY).parent / "minsheng"), runs, "start-up")
    sets = []
    for n in SMOKE_SCALE_AREAS if args.smoke else SCALE_AREAS:
        log(f"generating a roll-up among {n} areas ({n * ROLLUP_INDICATORS * len(ROLLUP_MONTHS)} values)")
        ds = generate_rollup(scratch / f"values-{n}", n)
        check_clean(ds)
        sets.append(ds)
    # One round without warm-up is allowed for the value sets (--big-runs 1): the code is compiled and
    # the files are in the page cache after `validate` checked them; at 1.5 M values a round is minutes.
    res5 = measure([cmd for ds in sets for cmd in value_commands(ds)], big_runs, "values", warm=big_runs > 1)
    section, verdicts = issue17_section(res1, res5, sets, installed, args.smoke)
    floor = res1[0]
    lines = [
        f"Measured by `{command_line}` on {when:%Y-%m-%d %H:%M %Z} at commit {git_state()}"
        f" (took {time.perf_counter() - started:.0f} s; {runs} rounds on the shipped data after one warm-up each,"
        f" {big_runs} on the value sets{' after one warm-up each' if big_runs > 1 else ', no warm-up'};"
        f" load average {', '.join(f'{x:.2f}' for x in load_before)} at the start,"
        f" {', '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; {cpu_model()}).",
        "",
        "| Command (shipped data) | Median | Spread | × F | CPU | × F (CPU) | Peak RSS |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for res in res1:
        rat = "1 (reference)" if res is floor else fmt_ratio(paired_ratios(res, floor))
        rat_cpu = "1" if res is floor else fmt_ratio(paired_ratios(res, floor, cpu=True))
        lines.append(
            f"| {res.command.label} | {fmt_time(res.median)} | {fmt_spread(res.times)} | {rat} |"
            f" {fmt_time(res.cpu_median)} | {rat_cpu} | {res.rss_mb:.1f} MB |"
        )
    head, _, rest = section.partition("\n\n")
    section = head + "\n\n" + "\n".join(lines) + "\n\n" + rest
    try:
        text = output.read_text(encoding="utf-8")
    except OSError:
        text = "# Performance\n\n"
    text = splice_section(text, "## Targets (issue 17)", section, before="## Targets (issue 6)")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    shutil.rmtree(scratch, ignore_errors=True)
    for line in verdicts:
        log(line)
    log(f"wrote {output} in {time.perf_counter() - started:.0f} s")
    return 0


def splice_section(text: str, heading: str, section: str, *, before: str) -> str:
    """``section`` (which starts with ``heading``) in place of an older one, else before ``before``."""
    if f"\n{heading}\n" in text:
        head, rest = text.split(f"\n{heading}\n", 1)
        tail = rest[rest.find("\n## ") :] if "\n## " in rest else "\n"
        return head + "\n" + section.rstrip("\n") + "\n" + tail
    if f"\n{before}\n" in text:
        head, rest = text.split(f"\n{before}\n", 1)
        return head + "\n" + section.rstrip("\n") + "\n\n" + before + "\n" + rest
    return text.rstrip("\n") + "\n\n" + section


def install(dest: Path, smoke: bool) -> str:
    """A venv with minsheng installed as users get it (not editable: no import-hook finder on every
    start), its dependencies taken from this environment. Sets RUN_PY and MINSHENG; says how."""
    import sysconfig
    import zipfile

    global RUN_PY, MINSHENG
    venv = dest / "venv"
    subprocess.run([PY, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
        .decode()
        .strip()
    )
    # the dependencies: this venv's site-packages as a plain path (its .pth files, the editable finder
    # among them, are not run)
    (site / "bench_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    if smoke:
        shutil.copytree(ROOT / "minsheng", site / "minsheng", ignore=shutil.ignore_patterns("__pycache__"))
        info = site / f"minsheng-{version('minsheng')}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: minsheng\nVersion: {version('minsheng')}\n")
        how = "the package directory copied into a fresh venv's site-packages (smoke: no wheel build)"
    else:
        wheels = dest / "wheel"
        subprocess.run([PY, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
        (wheel,) = wheels.glob("minsheng-*.whl")
        with zipfile.ZipFile(wheel) as z:
            z.extractall(site)  # a pure-Python wheel's install: its files into site-packages
        how = f"`pip wheel` built {wheel.name}, installed (unpacked) into a fresh venv's site-packages"
    script = venv / "bin" / "minsheng"
    module, _, func = entry_point().partition(":")  # the console script pip would write, from pyproject.toml
    script.write_text(f"#!{python}\nimport sys\nfrom {module} import {func}\nsys.exit({func}())\n", encoding="utf-8")
    script.chmod(0o755)
    RUN_PY = str(python)
    MINSHENG = [RUN_PY, "-m", "minsheng"]
    return how + ", dependencies from this environment through a `.pth` line"


def entry_point() -> str:
    """``module:function`` of the `minsheng` console script in pyproject.toml."""
    import tomllib

    with open(ROOT / "pyproject.toml", "rb") as handle:
        return str(tomllib.load(handle)["project"]["scripts"]["minsheng"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, 1 run each; for CI")
    parser.add_argument(
        "--runs", type=int, help=f"timed rounds for the shipped-data commands (default {SHIPPED_RUNS}; smoke 1)"
    )
    parser.add_argument("--big-runs", type=int, help="timed rounds for the large and scaling sets (default 3; smoke 1)")
    parser.add_argument(
        "--sizes",
        help="BIG,MID: progress files of the large set and of the 1x scaling step (default 10000,1000; smoke 100,20)",
    )
    parser.add_argument("--factors", default="1,2,4,8", help="scaling steps as multiples of MID (default 1,2,4,8)")
    parser.add_argument(
        "--output",
        type=Path,
        help="Markdown file to write (default docs/performance.md; smoke: bench/out/performance-smoke.md)",
    )
    parser.add_argument(
        "--history",
        action="store_true",
        help="only the history section (issue 15): measure it and put it into the existing output file",
    )
    parser.add_argument(
        "--history-commits", type=int, help=f"commits of the history repository (default {HISTORY_COMMITS}; smoke 300)"
    )
    parser.add_argument(
        "--keep-history",
        action="store_true",
        help="do not re-measure the history section: keep the one already in the output file (said so in it)",
    )
    parser.add_argument(
        "--issue17",
        action="store_true",
        help="only issue 17's section (start-up on the shipped data, the 15 k/150 k/1.5 M value sets):"
        " measure it and put it into the existing output file",
    )
    args = parser.parse_args()
    history_commits = args.history_commits or (300 if args.smoke else HISTORY_COMMITS)
    if args.history:
        return history_only(args, history_commits)
    if args.issue17:
        return issue17_only(args)
    runs = args.runs or (1 if args.smoke else SHIPPED_RUNS)
    big_runs = args.big_runs or (1 if args.smoke else 3)
    big, mid = (int(x) for x in (args.sizes or ("100,20" if args.smoke else "10000,1000")).split(","))
    factors = [int(x) for x in args.factors.split(",")]
    output = args.output or (OUT / "performance-smoke.md" if args.smoke else ROOT / "docs" / "performance.md")
    command_line = "python bench/run.py" + "".join(" " + shlex.quote(a) for a in sys.argv[1:])
    started = time.perf_counter()
    when = dt.datetime.now().astimezone()
    load_before = os.getloadavg()

    # Data ------------------------------------------------------------------------------------
    OUT.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="minsheng-bench-"))
    log("installing minsheng (non-editable) into a temporary venv")
    installed = install(scratch, args.smoke)
    log(f"timed runs: {installed}; PYTHONDONTWRITEBYTECODE cleared")
    shutil.rmtree(CACHE, ignore_errors=True)  # start cold: the warm-up run fills it
    log(f"generating synthetic data under {OUT.relative_to(ROOT)}/")
    shipped = shipped_dataset()
    big_ds = generate(OUT / f"data-{big}", big)
    base_ds = generate(OUT / "data-1", 1)
    scale_ds = [generate(OUT / f"data-{mid * f}", mid * f) if mid * f != big else big_ds for f in factors]
    rollup_sizes = [10, 20] if args.smoke else [500, 1000, 2000]
    rollups = [generate_rollup(OUT / f"rollup-{n}", n) for n in rollup_sizes]
    for ds in [shipped, big_ds, base_ds, *scale_ds, *rollups]:
        log(f"validate --strict {ds.path.relative_to(ROOT)} ({ds.progress_files} progress files)")
        check_clean(ds)

    cj = check_jsonschema_bin()
    schema_dir = OUT / "schema"
    schema_dir.mkdir(exist_ok=True)
    for kind in ("plan", "progress"):
        got = subprocess.run([*MINSHENG, "schema", kind], capture_output=True, check=True)
        (schema_dir / f"{kind}.schema.json").write_bytes(got.stdout)

    # Group 1: one district, shipped data ------------------------------------------------------
    data = str(SHIPPED)
    script = Path(RUN_PY).parent / "minsheng"
    floor_code = "import yaml, rich.console, rich.table"
    floor = Command(f'F = `python -c "{floor_code}"`', [[RUN_PY, "-c", floor_code]])
    group1 = [
        floor,
        Command("`python -c pass`", [[RUN_PY, "-c", "pass"]]),
        Command("`minsheng --help`", [[*MINSHENG, "--help"]]),
        Command(f"`minsheng status --as-of {AS_OF}`", [[*MINSHENG, "status", "--as-of", AS_OF, "--data", data]]),
        Command(
            f"`minsheng report --unit 区住建局 --as-of {AS_OF}`",
            [[*MINSHENG, "report", "--unit", "区住建局", "--as-of", AS_OF, "--data", data]],
        ),
        Command("`minsheng validate`", [[*MINSHENG, "validate", "--data", data]]),
        Command(
            f"`minsheng status --as-of {AS_OF}` (`MINSHENG_NO_CACHE=1`)",
            [[*MINSHENG, "status", "--as-of", AS_OF, "--data", data]],
            env={"MINSHENG_NO_CACHE": "1"},
        ),
        Command(
            f"`minsheng report --unit 区住建局 --as-of {AS_OF}` (`MINSHENG_NO_CACHE=1`)",
            [[*MINSHENG, "report", "--unit", "区住建局", "--as-of", AS_OF, "--data", data]],
            env={"MINSHENG_NO_CACHE": "1"},
        ),
    ]
    if script.exists():
        group1 += [
            Command("`minsheng --help` (console script)", [[str(script), "--help"]]),
            Command(
                f"`minsheng status --as-of {AS_OF}` (console script)",
                [[str(script), "status", "--as-of", AS_OF, "--data", data]],
            ),
        ]
    group1.append(
        Command(
            f"`minsheng status --as-of {AS_OF}` (editable install, the dev venv)",
            [[PY, "-m", "minsheng", "status", "--as-of", AS_OF, "--data", data]],
        )
    )
    res1 = measure(group1, runs, "shipped")

    # Group 2: the large set --------------------------------------------------------------------
    progress_args = [f"progress/{p.name}" for p in sorted((big_ds.path / "progress").glob("*.yaml"))]
    batches: list[list[str]] = [[]]
    size = 0
    for a in progress_args:
        if size + len(a.encode()) + 1 > ARGS_BUDGET and batches[-1]:
            batches.append([])
            size = 0
        batches[-1].append(a)
        size += len(a.encode()) + 1
    group2 = [
        Command(f"`minsheng validate` ({big} files)", [[*MINSHENG, "validate", "--data", str(big_ds.path)]]),
        Command("bare CSafeLoader load, documents kept", [[RUN_PY, str(BARE), str(big_ds.path)]]),
        Command("bare CSafeLoader load, each document dropped", [[RUN_PY, str(BARE), str(big_ds.path), "--discard"]]),
        Command("bare CSafeLoader load, documents kept, GC paused", [[RUN_PY, str(BARE), str(big_ds.path), "--no-gc"]]),
    ]
    if cj:
        plan_schema, progress_schema = str(schema_dir / "plan.schema.json"), str(schema_dir / "progress.schema.json")
        cj_plan = [cj, "--schemafile", plan_schema, "plan-2024.yaml"]
        cj_progress = [[cj, "--schemafile", progress_schema, *b] for b in batches]
        group2.append(Command("check-jsonschema, plan + progress", [cj_plan, *cj_progress], cwd=big_ds.path))
    res2 = measure(group2, big_runs, f"{big} files")

    # Group 3: scaling --------------------------------------------------------------------------
    group3 = [Command("validate, 1 file", [[*MINSHENG, "validate", "--data", str(base_ds.path)]])]
    for ds in scale_ds:
        group3.append(
            Command(f"validate, {ds.progress_files} files", [[*MINSHENG, "validate", "--data", str(ds.path)]])
        )
        group3.append(Command(f"bare, {ds.progress_files} files", [[RUN_PY, str(BARE), str(ds.path)]]))
    res3 = measure(group3, big_runs, "scaling")

    # Group 4: a roll-up among areas (issue 12) ---------------------------------------------------
    group4 = []
    for ds in rollups:
        n = ds.progress_files
        group4 += [
            Command(f"bare, {n} areas", [[RUN_PY, str(BARE), str(ds.path)]]),
            Command(f"validate, {n} areas", [[*MINSHENG, "validate", "--data", str(ds.path)]]),
            Command(
                f"status, {n} areas",
                [[*MINSHENG, "status", "--as-of", AS_OF, "--data", str(ds.path)]],
                env={"MINSHENG_NO_CACHE": "1"},
            ),
        ]
    res4 = measure(group4, big_runs, "roll-up")

    # Group 5: 15 k, 150 k and 1.5 M values (issue 17), generated under a temporary directory --------
    scale_sets = []
    for n in SMOKE_SCALE_AREAS if args.smoke else SCALE_AREAS:
        log(f"generating a roll-up among {n} areas ({n * ROLLUP_INDICATORS * len(ROLLUP_MONTHS)} values)")
        ds = generate_rollup(scratch / f"values-{n}", n)
        check_clean(ds)
        scale_sets.append(ds)
    group5 = [cmd for ds in scale_sets for cmd in value_commands(ds)]
    res5 = measure(group5, big_runs, "values")

    elapsed = time.perf_counter() - started
    text = render(
        res1=res1,
        res2=res2,
        res3=res3,
        shipped=shipped,
        big_ds=big_ds,
        base_ds=base_ds,
        scale_ds=scale_ds,
        factors=factors,
        runs=runs,
        big_runs=big_runs,
        batches=len(batches),
        cj=cj,
        command_line=command_line,
        when=when,
        elapsed=elapsed,
        smoke=args.smoke,
        loads=(load_before, os.getloadavg()),
    )
    text = text.replace("## Machine and versions", rollup_section(res4, rollups) + "## Machine and versions", 1)
    targets17, verdicts = issue17_section(res1, res5, scale_sets, installed, args.smoke)
    text = text.replace("## Targets (issue 6)", targets17 + "## Targets (issue 6)", 1)
    for line in verdicts:
        log(line)
    kept = kept_history(output) if args.keep_history else None
    if kept is None:
        history_text, _ = history_section(big_runs, history_commits)
    else:
        note = "> Kept from the previous run of this file (`--keep-history`): not re-measured with the figures above.\n"
        history_text = HISTORY_HEAD.lstrip("\n") + "\n" + note + kept
    text = splice_history(text, history_text)
    output.parent.mkdir(parents=True, exist_ok=True)
    text = keep_notes(output, text)
    output.write_text(text, encoding="utf-8")
    shutil.rmtree(scratch, ignore_errors=True)
    log(f"wrote {output} in {time.perf_counter() - started:.0f} s")
    return 0


def history_only(args: argparse.Namespace, commits: int) -> int:
    """``--history``: measure the history section alone and splice it into the output file, keeping the rest."""
    output = args.output or (OUT / "performance-smoke.md" if args.smoke else ROOT / "docs" / "performance.md")
    runs = args.big_runs or (1 if args.smoke else 5)
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section, failed = history_section(runs, commits)
    note = (
        f"Measured by `python bench/run.py --history{' --smoke' if args.smoke else ''}` on {when} "
        f"(took {time.perf_counter() - started:.0f} s; load average at the end {os.getloadavg()[0]:.2f}), "
        f"at {git_state()}; the sections above are from the run named at the top.\n\n"
    )
    head, _, body = section.partition("\n\n")
    section = head + "\n\n" + note + body
    try:
        old = output.read_text(encoding="utf-8")
    except OSError:
        old = "# Performance\n"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(splice_history(old, section), encoding="utf-8")
    log(f"wrote the history section of {output}" + (f"; targets not met: {', '.join(failed)}" if failed else ""))
    return 0


def render(
    *,
    res1: list[Result],
    res2: list[Result],
    res3: list[Result],
    shipped: Dataset,
    big_ds: Dataset,
    base_ds: Dataset,
    scale_ds: list[Dataset],
    factors: list[int],
    runs: int,
    big_runs: int,
    batches: int,
    cj: str | None,
    command_line: str,
    when: dt.datetime,
    elapsed: float,
    smoke: bool,
    loads: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> str:
    out: list[str] = []
    add = out.append
    floor = res1[0]
    by_label = {r.command.label: r for r in res1}

    def pick(prefix: str, results: list[Result]) -> Result | None:
        return next((r for r in results if r.command.label.startswith(prefix)), None)

    help_r = pick("`minsheng --help`", res1)
    status_r = pick("`minsheng status", res1)
    report_r = pick("`minsheng report", res1)
    status_nc = next((r for r in res1 if r.command.label.startswith("`minsheng status") and r.command.env), None)
    report_nc = next((r for r in res1 if r.command.label.startswith("`minsheng report") and r.command.env), None)
    help_cs = by_label.get("`minsheng --help` (console script)")
    status_cs = by_label.get(f"`minsheng status --as-of {AS_OF}` (console script)")

    add("# Performance")
    add("")
    if smoke:
        add("> **Smoke run** (tiny sizes, one run each): checks that the benchmark works. The figures mean nothing.")
        add("")
    add(f"Generated by `{command_line}` on {when:%Y-%m-%d %H:%M %Z} (took {elapsed:.0f} s).")
    add(
        "Every row is a whole process, started by a minimal launcher (`python -I -S`, see `LAUNCHER` in"
        " `bench/run.py`) that times it from `posix_spawn` to `os.wait4` and reports that process's own"
        " `ru_maxrss` as peak RSS. (Taking `ru_maxrss` straight from a child of the benchmark is wrong on"
        " Linux: exec folds the parent's RSS into it, so every command would show at least the benchmark's size.)"
    )
    add(
        f"Each command ran once to warm up, then {runs} timed run{'s' * (runs != 1)} (shipped data) or {big_runs}"
        f" timed run{'s' * (big_runs != 1)} (large and scaling sets), round-robin with the order rotated each"
        " round. *Spread* is min–max. A ratio is the median of the per-round ratios to the reference measured"
        " in the same round (their min–max in brackets)."
    )
    add(
        "*CPU* is the process's user + sys time (from the same `os.wait4`). The targets are judged on wall-clock"
        " time, as the issue asks; the CPU-time ratios are shown beside them because on a shared machine wall time"
        " also counts waiting for a core (see the load average under “Machine”)."
    )
    add("")

    # Targets
    def ratio(res: Result | None, ref: Result | None, cpu: bool = False) -> float | None:
        return statistics.median(paired_ratios(res, ref, cpu=cpu)) if res and ref else None

    validate_big, bare_big = res2[0], res2[1]
    cj_total = pick("check-jsonschema, plan + progress", res2)

    base_r = res3[0]
    scale_v = res3[1::2]
    scale_b = res3[2::2]
    net_us = []
    net_cpu_us = []
    net_kb = []
    for ds, res in zip(scale_ds, scale_v, strict=True):
        n = ds.values - base_ds.values
        net_us.append((res.median - base_r.median) / n * 1e6)
        net_cpu_us.append((res.cpu_median - base_r.cpu_median) / n * 1e6)
        net_kb.append((statistics.median(res.rss_kb) - statistics.median(base_r.rss_kb)) / n)
    flat_time = net_us[-1] / net_us[0] if net_us[0] > 0 else None
    flat_cpu = net_cpu_us[-1] / net_cpu_us[0] if net_cpu_us[0] > 0 else None
    flat_mem = net_kb[-1] / net_kb[0] if net_kb[0] > 0 else None

    def met(value: float | None, limit: float) -> bool | None:
        return None if value is None else value <= limit

    def shown(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}×"

    add("## Targets (issue 6)")
    add("")
    add("| Target | Limit | Measured: median ratio, wall time | Same, CPU time | Verdict (wall) |")
    add("| --- | --- | --- | --- | --- |")

    def row(what: str, limit: float, wall: float | None, cpu: float | None, strict_below: bool = False) -> None:
        ok = None if wall is None else (wall < limit if strict_below else wall <= limit)
        sign = "<" if strict_below else "≤"
        add(f"| {what} | {sign} {limit}× | {shown(wall)} | {shown(cpu)} | {verdict(ok)} |")

    for what, res, ref, limit in (
        ("`minsheng status` on the shipped data, × F", status_r, floor, TARGET_STATUS),
        ("`minsheng report --unit 区住建局` on the shipped data, × F", report_r, floor, TARGET_STATUS),
        ("`minsheng status`, cache off (`MINSHENG_NO_CACHE=1`), × F", status_nc, floor, TARGET_STATUS),
        ("`minsheng report`, cache off (`MINSHENG_NO_CACHE=1`), × F", report_nc, floor, TARGET_STATUS),
        ("`minsheng --help`, × F", help_r, floor, TARGET_HELP),
        (
            f"`minsheng validate` on {big_ds.progress_files} files, × bare CSafeLoader load",
            validate_big,
            bare_big,
            TARGET_VALIDATE,
        ),
    ):
        row(what, limit, ratio(res, ref), ratio(res, ref, cpu=True))
    cj_what = f"`minsheng validate` on {big_ds.progress_files} files, × check-jsonschema on the same files"
    if cj_total:
        row(cj_what, 1, ratio(validate_big, cj_total), ratio(validate_big, cj_total, cpu=True), strict_below=True)
    else:
        add(f"| {cj_what} | < 1× | check-jsonschema not installed | | n/a |")
    row("Time per entry, largest step ÷ smallest (net of fixed cost)", TARGET_FLAT, flat_time, flat_cpu)
    add(
        f"| Memory (peak RSS) per entry, largest step ÷ smallest (net of fixed cost) | ≤ {TARGET_FLAT}× (≈ linear) |"
        f" {shown(flat_mem)} | | {verdict(met(flat_mem, TARGET_FLAT))} |"
    )
    add("")
    add(
        "“Net of fixed cost”: the median time (and peak RSS) of `minsheng validate` on a one-file data set, measured"
        " in the same run, is subtracted before dividing by the number of entries (indicator values); without that"
        " the per-entry figure of the smallest step is inflated by start-up and the target is met trivially."
        " Both figures are in the scaling table."
    )
    add("")

    # Group 1
    add("## One district: the shipped data")
    add("")
    add(
        f"`data/`: {shipped.files} files ({shipped.progress_files} progress files, {shipped.values} indicator values,"
        f" {shipped.bytes / 1024:.0f} kB). minsheng is run as `python -m minsheng … --data data`"
        " with the venv's interpreter, stdout to `/dev/null`, `COLUMNS=100`. minsheng's cache of checked data"
        " (if this version has one) is kept in `bench/out/cache` (`MINSHENG_CACHE_DIR`) and is warm after the"
        " warm-up run, so the plain rows show what a user running a command again sees; the"
        " `MINSHENG_NO_CACHE=1` rows show the same commands with the cache off. `validate` never uses it."
    )
    add("")
    add("| Command | Median | Spread | × F | CPU | × F (CPU) | Peak RSS |")
    add("| --- | --- | --- | --- | --- | --- | --- |")
    for res in res1:
        rat = "1 (reference)" if res is floor else fmt_ratio(paired_ratios(res, floor))
        rat_cpu = "1" if res is floor else fmt_ratio(paired_ratios(res, floor, cpu=True))
        add(
            f"| {res.command.label} | {fmt_time(res.median)} | {fmt_spread(res.times)} | {rat} |"
            f" {fmt_time(res.cpu_median)} | {rat_cpu} | {res.rss_mb:.1f} MB |"
        )
    if help_cs and help_r and status_cs and status_r:
        add("")
        add(
            "Console-script entry (`.venv/bin/minsheng`) versus `python -m minsheng`:"
            f" {1000 * (help_cs.median - help_r.median):+.0f} ms for `--help`,"
            f" {1000 * (status_cs.median - status_r.median):+.0f} ms for `status` (difference of medians)."
        )
    add("")

    # Group 2
    add(f"## Throughput: {big_ds.progress_files} progress files")
    add("")
    add(
        f"Synthetic: a plan with {big_ds.progress_files} units and {big_ds.progress_files} indicators (one per unit,"
        f" {big_ds.progress_files // UNITS_PER_TASK} tasks), and one progress file per unit with three monthly"
        f" reports of its indicator, each with the three texts in Chinese: {big_ds.values} indicator values,"
        f" {big_ds.files} files, {big_ds.bytes / 1024 / 1024:.1f} MB in all. Generated by `bench/run.py`"
        " (seeded, deterministic) and checked with `minsheng validate --strict` (exit 0) before timing."
    )
    add("")
    add(
        "The reference is [`bench/bare_load.py`](../bench/bare_load.py): read every `plan*.yaml` and"
        " `progress/*.yaml`, decode UTF-8, `yaml.load(text, Loader=yaml.CSafeLoader)`, nothing else. It keeps the"
        " documents until exit (as a loader that hands data on must); the rows below it drop each one at once, or"
        " keep them with Python's cycle collector paused (`gc.disable()`) for the whole load."
    )
    if cj:
        cj_line = (
            f"check-jsonschema {version('check-jsonschema')} validates against `minsheng schema plan` and"
            " `minsheng schema progress` (written to `bench/out/schema/`): one process for the plan file, then"
            f" {'one process' if batches == 1 else f'{batches} processes'} for the {big_ds.progress_files} progress"
            " files given as arguments (relative paths, run in the data directory"
            + ("" if batches == 1 else f", batched to stay under {ARGS_BUDGET // 1000} kB of arguments")
            + "); the times of the processes are added, the RSS is the largest."
        )
        add(cj_line)
    add("")
    add("| Command | Median | Spread | × bare load | CPU | × bare load (CPU) | Per entry | Peak RSS |")
    add("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for res in res2:
        rat = "1 (reference)" if res is bare_big else fmt_ratio(paired_ratios(res, bare_big))
        rat_cpu = "1" if res is bare_big else fmt_ratio(paired_ratios(res, bare_big, cpu=True))
        per = res.median / big_ds.values * 1e6
        add(
            f"| {res.command.label} | {fmt_time(res.median)} | {fmt_spread(res.times)} | {rat} |"
            f" {fmt_time(res.cpu_median)} | {rat_cpu} | {per:.0f} µs | {res.rss_mb:.0f} MB |"
        )
    if cj_total:
        plan_t = statistics.median(s[0] for s in cj_total.step_times)
        progress_t = statistics.median(sum(s[1:]) for s in cj_total.step_times)
        add("")
        add(
            "`minsheng validate` ÷ check-jsonschema (plan + progress):"
            f" {fmt_ratio(paired_ratios(validate_big, cj_total))}."
            f" Of check-jsonschema's time, the plan file took {fmt_time(plan_t)} and the progress files"
            f" {fmt_time(progress_t)} (medians). By CPU time:"
            f" {fmt_ratio(paired_ratios(validate_big, cj_total, cpu=True))}."
        )
    add("")

    # Group 3
    add("## Scaling")
    add("")
    add(
        f"The same generator at {', '.join(f'{f}×' for f in factors)} of {scale_ds[0].progress_files} progress files"
        f" ({VALUES_PER_FILE} values each), plus a one-file set for the fixed cost"
        f" ({fmt_time(base_r.median)}, {base_r.rss_mb:.1f} MB). *Gross* divides the whole time by the entries;"
        " *net* subtracts the one-file set first. The last column is the bare CSafeLoader load of the same set"
        " (gross). Per-entry times are wall / CPU."
    )
    add("")
    columns = ["Size", "Files", "Entries", "validate median", "Spread", "Gross per entry", "Net per entry"]
    columns += ["Peak RSS", "Net RSS per entry", "Bare load per entry"]
    add("| " + " | ".join(columns) + " |")
    add("|" + " --- |" * len(columns))
    rows = zip(factors, scale_ds, scale_v, scale_b, net_us, net_cpu_us, net_kb, strict=True)
    for f, ds, res, bare, nu, nc, nk in rows:
        add(
            f"| {f}× | {ds.files} | {ds.values} | {fmt_time(res.median)} | {fmt_spread(res.times)} |"
            f" {res.median / ds.values * 1e6:.0f} / {res.cpu_median / ds.values * 1e6:.0f} µs |"
            f" {nu:.0f} / {nc:.0f} µs | {res.rss_mb:.0f} MB | {nk:.1f} kB |"
            f" {bare.median / ds.values * 1e6:.0f} / {bare.cpu_median / ds.values * 1e6:.0f} µs |"
        )
    add("")

    # Machine
    add("## Machine and versions")
    add("")
    try:
        cores = f"{os.cpu_count()} logical CPUs ({len(os.sched_getaffinity(0))} usable)"
    except AttributeError:
        cores = f"{os.cpu_count()} logical CPUs"
    add(f"- CPU: {cpu_model()}, {cores}; memory {mem_total()}")
    add(f"- OS: {platform.platform()}")
    before, after = loads
    add(
        f"- Load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in before)} at the start,"
        f" {', '.join(f'{x:.2f}' for x in after)} at the end"
    )
    add(f"- Python {platform.python_version()} ({platform.python_implementation()}), `{PY}`")
    add(f"- PyYAML {version('PyYAML')}; libyaml: {libyaml_info()}")
    add(
        f"- pydantic {version('pydantic')} (pydantic-core {version('pydantic_core')}), typer {version('typer')},"
        f" rich {version('rich')}"
    )
    add(
        f"- check-jsonschema {version('check-jsonschema')} (ruamel.yaml {version('ruamel.yaml')},"
        f" jsonschema {version('jsonschema')})"
    )
    add(f"- minsheng {version('minsheng')}, git {git_state()}")
    add(f"- Command: `{command_line}`")
    add("")
    add("## Notes")
    add("")
    add("_To be written by the lead engineer: analysis of the figures above, and for each target not met, why and")
    add("what it would take._")
    add("")
    return "\n".join(out)


NOTES = "\n## Notes\n"


def keep_notes(output: Path, text: str) -> str:
    """A fresh run keeps the analysis already written under "## Notes" in the same file."""
    try:
        old = output.read_text(encoding="utf-8")
    except OSError:
        return text
    if NOTES not in old or "_To be written" in old.split(NOTES, 1)[1]:
        return text
    return text.split(NOTES, 1)[0] + NOTES + old.split(NOTES, 1)[1]


# --- history (issue 15): a year of 11 units in 10 000 commits --------------------------------------

HISTORY_HEAD = "\n## History and --as-recorded (issue 15)\n"
HISTORY_COMMITS = 10_000
HISTORY_TARGET_LOG = 3.0  # `history` within 3x of `git log -p --follow` over the same files
HISTORY_TARGET_RECORDED = 1.0  # seconds, `--as-recorded` of any past date
RECORDED_DATES = ["2024-02-08", "2024-05-06", "2024-08-05", "2024-11-06", "2025-01-08"]
GIT_READ = ROOT / "bench" / "git_read.py"


@dataclass
class HistoryRepo:
    path: Path
    data: Path
    commits: int
    files: list[str]  # the data files, relative to the repository
    reports: int
    corrections: int
    text_edits: int
    late: int
    tags: int
    bytes: int


def _indicators_by_unit() -> dict[str, list[dict]]:
    got = subprocess.run(
        [*MINSHENG, "status", "--data", str(SHIPPED), "--as-of", AS_OF, "--format", "json"],
        capture_output=True,
        check=True,
        env={**os.environ, "MINSHENG_NO_CACHE": "1"},
    )
    by_unit: dict[str, list[dict]] = {}
    for task in __import__("json").loads(got.stdout)["tasks"]:
        for ind in task["indicators"]:
            by_unit.setdefault(ind["unit"], []).append(ind)
    return by_unit


def _value(ind: dict, fraction: float) -> int | float | bool:
    if ind["kind"] == "milestone":
        return fraction >= 0.9
    base = ind["baseline"] or 0
    value = base + (ind["target"] - base) * fraction
    from minsheng.numbers import WHOLE_MEASURES

    # Counts in whole units (个, 家, 处 …) take whole numbers, as validate requires (issue 11).
    whole = (ind.get("measure") or "").strip() in WHOLE_MEASURES and not ind.get("scale")
    return round(value) if whole or ind["target"] >= 20 else round(value, 2)


def _ledger_text(unit: str, reports: dict[str, dict]) -> str:
    out = [f"unit: {unit}", "reports:"]
    for day in sorted(reports):
        r = reports[day]
        out += [f"  - date: {day}", "    values:"]
        for key, value in r["values"].items():
            shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
            out.append(f"      {key}: {shown}")
        out += [f"    summary: {r['summary']}", f"    problems: {r['problems']}", f"    next_steps: {r['next_steps']}"]
    return "\n".join(out) + "\n"


def make_history_repo(dest: Path, commits: int, seed: int = SEED) -> HistoryRepo:
    """A git repository of the shipped plan and its 11 units over 2024, in ``commits`` commits (git fast-import).

    Each unit commits its monthly report a few days after the month ends (one in six after the
    due date: 补报); every other commit edits one earlier report of one unit: mostly a text, one
    in four a value (a correction, kept between its neighbours so the figures still rise). Each
    unit has its own author; the office commits the plan. A lightweight tag marks the 通报 of
    each month (the 8th). Commit times rise through the year, several per hour at the busiest.
    """
    rng = random.Random(seed)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    by_unit = _indicators_by_unit()
    units = sorted(by_unit)
    plan = (SHIPPED / "plan-2024.yaml").read_bytes()
    start = dt.datetime(2024, 1, 3, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    months = [dt.date(2024, m, 28) + dt.timedelta(days=4) for m in range(1, 13)]
    month_ends = [d.replace(day=1) - dt.timedelta(days=1) for d in months]
    # when each monthly report is committed: 1-5 days after the month ends, or 6-20 (late)
    due_commits = []
    late = 0
    for unit in units:
        for end in month_ends:
            lag = rng.randint(1, 5) if rng.random() > 1 / 6 else rng.randint(6, 20)
            late += lag > 5
            when = dt.datetime.combine(end + dt.timedelta(days=lag), dt.time(rng.randint(8, 18), rng.randint(0, 59)))
            due_commits.append((when.replace(tzinfo=start.tzinfo), unit, end.isoformat()))
    due_commits.sort()
    edits = commits - 1 - len(due_commits)
    if edits < 0:
        raise SystemExit(f"--history-commits must be at least {len(due_commits) + 1}")
    first = due_commits[0][0] + dt.timedelta(minutes=1)  # edits begin once there is a report to edit
    span = (dt.datetime(2025, 1, 12, 18, 0, tzinfo=start.tzinfo) - first).total_seconds()
    edit_times = sorted(first + dt.timedelta(seconds=rng.random() * span) for _ in range(edits))
    timeline = [(w, "report", u, d) for w, u, d in due_commits] + [(w, "edit", "", "") for w in edit_times]
    timeline.sort(key=lambda item: item[0])
    state: dict[str, dict[str, dict]] = {u: {} for u in units}
    fractions: dict[tuple[str, str], float] = {}
    stream = bytearray()
    mark = 0
    corrections = text_edits = 0
    tag_marks: dict[str, int] = {}

    def ident(who: str, when: dt.datetime) -> bytes:
        return f"{who} <u{zlib.crc32(who.encode()) % 10**6}@unit.example> {int(when.timestamp())} +0800".encode()

    def emit(when: dt.datetime, who: str, message: str, files: dict[str, bytes]) -> None:
        nonlocal mark
        mark += 1
        msg = message.encode()
        stream.extend(b"commit refs/heads/main\nmark :%d\n" % mark)
        stream.extend(b"author " + ident(who, when) + b"\ncommitter " + ident(who, when) + b"\n")
        stream.extend(b"data %d\n" % len(msg) + msg + b"\n")
        if mark > 1:
            stream.extend(b"from :%d\n" % (mark - 1))
        for path, data in files.items():
            stream.extend(f"M 100644 inline {path}\n".encode() + b"data %d\n" % len(data) + data + b"\n")
        month = when.strftime("%Y-%m")
        if when.day < 8:
            tag_marks[f"tongbao-{month}"] = mark  # the last commit before the 8th

    emit(start, "区政府办督查室", "计划", {"data/plan-2024.yaml": plan})
    for when, kind, unit, day in timeline:
        if kind == "report":
            month = int(day[5:7])
            values = {}
            for ind in by_unit[unit]:
                fraction = min(1.1, month / 10 * rng.uniform(0.9, 1.05))
                previous = max((f for (i, d), f in fractions.items() if i == ind["id"]), default=0.0)
                fraction = max(fraction, previous)
                fractions[(ind["id"], day)] = fraction
                values[ind["id"]] = _value(ind, fraction)
            state[unit][day] = {
                "values": values,
                "summary": _text(rng, SUMMARY_PHRASES, 1, 3),
                "problems": _text(rng, PROBLEM_PHRASES, 1, 2),
                "next_steps": _text(rng, NEXT_PHRASES, 1, 2),
            }
            message = f"{unit} {day} 报告"
        else:
            unit = rng.choice([u for u in units if state[u]])
            day = rng.choice(sorted(state[unit]))
            report = state[unit][day]
            numeric = [i for i in by_unit[unit] if i["kind"] != "milestone"]
            if numeric and rng.random() < 0.25:
                ind = rng.choice(numeric)
                days = sorted(d for (i, d) in fractions if i == ind["id"])
                k = days.index(day)
                low = fractions[(ind["id"], days[k - 1])] if k else 0.0
                high = fractions[(ind["id"], days[k + 1])] if k + 1 < len(days) else low + 0.1
                fraction = rng.uniform(low, max(low, high))
                fractions[(ind["id"], day)] = fraction
                report["values"][ind["id"]] = _value(ind, fraction)
                corrections += 1
                message = f"{unit} {day} 更正 {ind['id']}"
            else:
                field_name = rng.choice(["summary", "problems", "next_steps"])
                pool = {"summary": SUMMARY_PHRASES, "problems": PROBLEM_PHRASES, "next_steps": NEXT_PHRASES}
                report[field_name] = _text(rng, pool[field_name], 1, 3)
                text_edits += 1
                message = f"{unit} {day} 修改文字"
        path = f"data/progress/{unit}.yaml"
        emit(when, f"{unit}填报员", message, {path: _ledger_text(unit, state[unit]).encode()})
    for name, target in tag_marks.items():
        stream.extend(f"reset refs/tags/{name}\nfrom :{target}\n\n".encode())
    subprocess.run(["git", "fast-import", "--quiet"], cwd=dest, input=bytes(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=dest, check=True)
    files = ["data/plan-2024.yaml", *(f"data/progress/{u}.yaml" for u in units)]
    size = sum((dest / f).stat().st_size for f in files)
    return HistoryRepo(
        dest, dest / "data", mark, files, len(due_commits), corrections, text_edits, late, len(tag_marks), size
    )


def history_section(runs: int, commits: int) -> tuple[str, list[str]]:
    """Measure `history` and `--as-recorded` on a synthetic repository; the Markdown section and the failed targets."""
    log(f"history: generating a repository of {commits} commits")
    repo = make_history_repo(OUT / f"history-{commits}", commits)
    data = str(repo.data)
    follow = [["git", "log", "-p", "--follow", "--", f] for f in repo.files]
    commands = [
        Command(f"reference: `git log -p --follow` per file ({len(repo.files)} processes)", follow, cwd=repo.path),
        Command("`minsheng history --format json`", [[*MINSHENG, "history", "--data", data, "--format", "json"]]),
        Command("`minsheng history` (table)", [[*MINSHENG, "history", "--data", data]]),
        Command(
            "`minsheng history --unit 区水务集团 --format json`",
            [[*MINSHENG, "history", "--data", data, "--unit", "区水务集团", "--format", "json"]],
        ),
    ]
    for day in RECORDED_DATES:
        argv = [*MINSHENG, "status", "--data", data, "--as-of", AS_OF, "--as-recorded", day]
        commands.append(Command(f"`status --as-recorded {day}` (cache off)", [argv], env={"MINSHENG_NO_CACHE": "1"}))
    argv = [*MINSHENG, "status", "--data", data, "--as-of", AS_OF, "--as-recorded", RECORDED_DATES[2]]
    commands.append(Command(f"`status --as-recorded {RECORDED_DATES[2]}` (cache warm)", [argv]))
    commands.append(Command("`status` on the working tree (cache off)", [[*MINSHENG, "status", "--data", data,
                            "--as-of", AS_OF]], env={"MINSHENG_NO_CACHE": "1"}))  # fmt: skip
    backends = [b for b in ("cli", "dulwich", "pygit2") if b == "cli" or _importable(b)]
    for backend in backends:
        commands.append(Command(f"git reading alone: {backend}", [[PY, str(GIT_READ), backend, str(repo.path)]]))
    results = measure(commands, runs, "history")
    ref = results[0]
    hist = results[1]
    ratio = paired_ratios(hist, ref)
    ratio_cpu = paired_ratios(hist, ref, cpu=True)
    recorded = [r for r in results if "--as-recorded" in r.command.label and "cache off" in r.command.label]
    worst = max(max(r.times) for r in recorded)
    worst_cpu = max(max(r.cpu) for r in recorded)
    failed = []
    ok_log = statistics.median(ratio) <= HISTORY_TARGET_LOG
    ok_rec = worst < HISTORY_TARGET_RECORDED
    if not ok_log:
        failed.append("history vs git log -p --follow")
    if not ok_rec:
        failed.append("--as-recorded under a second")
    out = [HISTORY_HEAD.strip("\n"), ""]
    out.append(
        f"A synthetic repository (`make_history_repo` in `bench/run.py`, seeded): the shipped plan and its "
        f"{len(repo.files) - 1} units over 2024 in {repo.commits} commits made with `git fast-import`: "
        f"{repo.reports} monthly reports ({repo.late} of them committed after the due date), {repo.corrections} "
        f"value corrections and {repo.text_edits} text edits of earlier reports, each commit by the unit's own "
        f"author; {repo.tags} lightweight tags (one 通报 a month). The data files are {repo.bytes // 1024} kB at HEAD. "
        f"Same launcher and rounds as above: 1 warm-up, then {runs} timed rounds."
    )
    out.append("")
    out.append("The reference runs `git log -p --follow -- FILE` once per data file (`--follow` takes one file), "
               "stdout to /dev/null; its time is the sum of the processes.")  # fmt: skip
    out += [
        "",
        "| Target | Limit | Measured, wall time | Same, CPU time | Verdict (wall) |",
        "| --- | --- | --- | --- | --- |",
        f"| `minsheng history --format json` × `git log -p --follow` over the same files | ≤ {HISTORY_TARGET_LOG:g}× "
        f"| {fmt_ratio(ratio)} | {fmt_ratio(ratio_cpu)} | {verdict(ok_log)} |",
        f"| `status --as-recorded` of any past date (cache off; slowest run of the {len(RECORDED_DATES)} dates) "
        f"| < {HISTORY_TARGET_RECORDED:g} s | {fmt_time(worst)} | {fmt_time(worst_cpu)} | {verdict(ok_rec)} |",
        "",
        "CPU time includes the git processes each command starts (`os.wait4` counts reaped children).",
        "",
        "| Command | Median | Spread | × reference | CPU | × reference (CPU) | Peak RSS |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        shown = "1 (reference)" if r is ref else fmt_ratio(paired_ratios(r, ref))
        shown_cpu = "1" if r is ref else fmt_ratio(paired_ratios(r, ref, cpu=True))
        out.append(
            f"| {r.command.label} | {fmt_time(r.median)} | {fmt_spread(r.times)} | {shown} | "
            f"{fmt_time(r.cpu_median)} | {shown_cpu} | {r.rss_mb:.1f} MB |"
        )
    missing = [b for b in ("dulwich", "pygit2") if b not in backends]
    out += [
        "",
        "*Git reading alone* (`bench/git_read.py`) is the part of `history` that a library could replace: walk "
        "every commit oldest first, diff it against its parent under `data/`, read each new file version. "
        "`cli` is what minsheng does (one `git log --raw`, one `git cat-file --batch`); "
        + (
            "dulwich and pygit2 do the same through their own APIs."
            if not missing
            else f"{' and '.join(missing)} not installed here, so not measured (`pip install {' '.join(missing)}`)."
        ),
        f"Versions: git {subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.split()[-1]}"
        + "".join(f", {b} {version(b)}" for b in backends if b != "cli")
        + ".",
        "",
    ]
    return "\n".join(out) + "\n", failed


def _importable(module: str) -> bool:
    return subprocess.run([PY, "-c", f"import {module}"], capture_output=True).returncode == 0


def kept_history(output: Path) -> str | None:
    """The body of the history section already in ``output`` (without its heading), if any."""
    try:
        old = output.read_text(encoding="utf-8")
    except OSError:
        return None
    if HISTORY_HEAD not in old:
        return None
    rest = old.split(HISTORY_HEAD, 1)[1]
    body = rest[: rest.find("\n## ")] if "\n## " in rest else rest
    return "\n".join(line for line in body.splitlines() if not line.startswith("> Kept from")).strip("\n") + "\n"


def splice_history(text: str, section: str) -> str:
    """Put the history section in place of an older one, else before "## Machine and versions" (or the notes)."""
    if HISTORY_HEAD in text:
        head, rest = text.split(HISTORY_HEAD, 1)
        tail = rest[rest.find("\n## ") :] if "\n## " in rest else "\n"
        return head + "\n" + section.rstrip("\n") + "\n" + tail
    for anchor in ("\n## Machine and versions\n", NOTES):
        if anchor in text:
            head, rest = text.split(anchor, 1)
            return head + "\n" + section.rstrip("\n") + "\n" + anchor + rest
    return text.rstrip("\n") + "\n\n" + section


if __name__ == "__main__":
    sys.exit(main())
