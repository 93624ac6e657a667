"""留痕 on awkward histories: shallow clones, unreadable versions, renames, merges, odd dates and names."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.gitrepo import LI, ZHANG, GitRepo, git, git_env
from tests.test_history import C1, C2, C3, HEAD, PLAN, Q1, Q2, Q2_FIXED, history_json, run, status_value


def _base(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.commit(C1, ZHANG, {"plan-2025.yaml": PLAN, "progress/甲局.yaml": HEAD + Q1})
    return repo


def test_shallow_clone_says_where_history_is_cut(tmp_path: Path) -> None:
    repo = _base(tmp_path)
    repo.commit(C2, LI, {"progress/甲局.yaml": HEAD + Q1 + Q2})
    cut = repo.commit(C3, LI, {"progress/甲局.yaml": HEAD + Q1 + Q2_FIXED})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    result = run("history", "--data", str(clone / "data"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert f"浅克隆：历史在提交 {cut[:10]}（2025-08-01）处截断" in result.stderr
    events = json.loads(result.stdout)
    # The cut commit shows the whole data directory as new, each event marked as such.
    assert {e["commit"] for e in events} == {cut}
    assert all(e["flags"][0]["flag"] == "截断" for e in events)
    table = run("history", "--data", str(clone / "data"))
    assert "浅克隆" in table.stdout and "截断（浅克隆）" in table.stdout
    early = run("status", "--data", str(clone / "data"), "--as-recorded", "2025-07-20")
    assert early.exit_code == 2 and "浅克隆" in early.stderr


def test_a_version_that_does_not_parse_is_shown_not_fatal(tmp_path: Path) -> None:
    repo = _base(tmp_path)
    broken = repo.commit(C2, LI, {"progress/甲局.yaml": HEAD + Q1 + "  - date: 2025-06-30\n    values: [oops\n"})
    fixed = repo.commit(C3, LI, {"progress/甲局.yaml": HEAD + Q1 + Q2})
    events = history_json(repo.data)
    bad = next(e for e in events if e["commit"] == broken)
    assert bad["kind"] == "changed" and bad["report_date"] is None
    assert bad["flags"][0]["flag"] == "无法读取" and "[yaml-syntax]" in bad["flags"][0]["problems"][0]
    # The next readable version is compared with the last readable one: only Q2 is new.
    after = [e for e in events if e["commit"] == fixed]
    assert [(e["kind"], e["report_date"]) for e in after] == [("added", "2025-06-30")]
    # A version that parses but breaks the schema is shown the same way.
    invalid = repo.commit("2025-08-02T10:00:00+08:00", LI, {"progress/甲局.yaml": HEAD + Q1 + Q2 + "    colour: red\n"})
    flagged = next(e for e in history_json(repo.data) if e["commit"] == invalid)
    assert "[unknown-key]" in flagged["flags"][0]["problems"][0]
    # --as-recorded at the broken commit: the data had an error then, and it says so (exit 1)
    at_broken = run("status", "--data", str(repo.data), "--as-recorded", broken)
    assert at_broken.exit_code == 1 and "yaml-syntax" in at_broken.stderr


def test_renamed_unit_file_keeps_its_history(tmp_path: Path) -> None:
    repo = _base(tmp_path)
    repo.git("mv", "data/progress/甲局.yaml", "data/progress/甲.yaml")
    repo.git("commit", "-q", "-m", "改用简称作文件名", when=C2, who=LI)
    repo.commit(C3, LI, {"progress/甲.yaml": HEAD + Q1 + Q2})
    events = history_json(repo.data)
    moved = events[2]
    assert moved["kind"] == "changed" and moved["changes"] == [
        {"field": "file", "old": str(repo.data / "progress/甲局.yaml"), "new": str(repo.data / "progress/甲.yaml")}
    ]
    # no report is told as removed and added again
    assert [(e["kind"], e["report_date"]) for e in events[1:]] == [
        ("added", "2025-03-31"),
        ("changed", None),
        ("added", "2025-06-30"),
    ]
    assert status_value(repo.data, "--as-recorded", "2025-07-20") == 2


def test_merges_list_each_branch_commit_once(tmp_path: Path) -> None:
    repo = _base(tmp_path)
    repo.git("checkout", "-q", "-b", "unit-branch")
    side = repo.commit(C2, LI, {"progress/甲局.yaml": HEAD + Q1 + Q2})
    repo.git("checkout", "-q", "main")
    plan_edit = repo.commit(
        "2025-07-16T09:00:00+08:00", ZHANG, {"plan-2025.yaml": PLAN.replace("修路10公里", "修路十公里")}
    )
    repo.git(
        "merge", "-q", "--no-ff", "-m", "合并甲局二季度", "unit-branch", when="2025-07-20T10:00:00+08:00", who=ZHANG
    )
    events = history_json(repo.data)
    assert [e["commit"] for e in events].count(side) == 1
    assert any(e["commit"] == plan_edit and e["changes"][0]["field"] == "tasks[1].description" for e in events)
    (q2,) = [e for e in events if e["report_date"] == "2025-06-30"]
    assert q2["author"].startswith("李四") and q2["committed_at"] == C2
    # On the main line the Q2 report arrived with the merge (07-20), not on the branch's date (07-15).
    assert status_value(repo.data, "--as-recorded", "2025-07-17") == 2
    assert status_value(repo.data, "--as-recorded", "2025-07-20") == 5


def test_future_dates_and_same_second(tmp_path: Path) -> None:
    repo = _base(tmp_path)
    same = C1  # same second as the first commit: order follows the parents, not the clock
    second = repo.commit(same, LI, {"progress/甲局.yaml": HEAD + Q1 + Q2})
    future = repo.commit("2031-01-01T00:00:00+08:00", LI, {"progress/甲局.yaml": HEAD + Q1 + Q2_FIXED})
    last = repo.commit("2025-08-05T10:00:00+08:00", ZHANG, {"progress/甲局.yaml": HEAD + Q2_FIXED})
    events = history_json(repo.data)
    order = [e["commit"] for e in events]
    assert order.index(second) < order.index(future) < order.index(last)
    fix = next(e for e in events if e["commit"] == future)
    # 2025-04-08 -> 2026-01-01 is 268 days, then five years of which 2028 is a leap year
    assert fix["committed_at"] == "2031-01-01T00:00:00+08:00" and fix["flags"][0]["days"] == 268 + 5 * 365 + 1
    # A date skips the commit claiming to be from 2031; HEAD is dated 2025-08-05.
    assert status_value(repo.data, "--as-recorded", "2025-08-04") == 5
    assert status_value(repo.data, "--as-recorded", "2025-08-05") == 5.5
    assert status_value(repo.data, "--as-recorded", "2031-06-01") == 5.5


def test_non_utf8_author_names(tmp_path: Path) -> None:
    repo = _base(tmp_path)
    (repo.data / "progress/甲局.yaml").write_text(HEAD + Q1 + Q2, encoding="utf-8")
    git(repo.root, "add", "-A")
    env = {k.encode(): v.encode() for k, v in git_env(C2).items()}
    env[b"GIT_AUTHOR_NAME"] = "张三".encode("gbk")  # a GBK name, no encoding header
    env[b"GIT_COMMITTER_NAME"] = b"M\xfcller"  # latin-1
    subprocess.run([b"git", b"commit", b"-q", b"-m", b"x"], cwd=repo.root, env=env, check=True)
    events = history_json(repo.data)
    author = events[-1]["author"]
    # git hands the bytes on re-encoded (as Latin-1); the name is garbled but the run goes on
    assert author != "张三 <zhang@office.example>" and author.endswith("<zhang@office.example>")
    author.encode("utf-8")
    assert run("history", "--data", str(repo.data)).exit_code == 0
    assert run("history", "--data", str(repo.data), "--format", "csv").exit_code == 0


def test_cache_keeps_working_tree_and_commit_apart(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MINSHENG_CACHE_DIR", str(tmp_path / "cache"))
    repo = _base(tmp_path)
    repo.commit(C2, LI, {"progress/甲局.yaml": HEAD + Q1 + Q2})
    # uncommitted edit in the working tree
    (repo.data / "progress/甲局.yaml").write_text(HEAD + Q1 + Q2_FIXED, encoding="utf-8")
    for _ in range(2):  # twice, so that the second round is read from the cache
        assert status_value(repo.data) == 5.5
        assert status_value(repo.data, "--as-recorded", "HEAD") == 5
        assert status_value(repo.data, "--as-recorded", "2025-04-30") == 2
    assert len(os.listdir(tmp_path / "cache")) == 2  # one slot for the working tree, one for git


def test_reading_report_by_report_gives_what_the_loader_gives(tmp_path: Path) -> None:
    from minsheng.history import LedgerParser, parse_ledger, split_reports
    from tests.conftest import DATA

    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "progress").glob("*.yaml"))]
    texts += [
        HEAD
        + Q1
        + "  # 以下为更正前的原报告\n  # - date: 2025-06-30\n"
        + Q2,  # comments, as record --replace leaves them
        "unit: 甲局\nreports:\n- date: 2025-03-31\n  values: {1.1: 2}\n- date: 2025-06-30\n  values:\n    1.1: 5\n",
        "unit: 甲局\nreports:\n  # 一季度\n" + Q1 + Q2,
        HEAD + Q1 + Q2 + "example: true\n",  # a key after the reports: read whole
        "unit: 甲局\nreports: [{date: 2025-03-31}]\n",  # flow style: read whole
        HEAD + Q1 + "  - date: 2025-03-31\n",  # a duplicate date (a rule, not the schema, refuses it)
        HEAD + Q1 + "  - date: not-a-date\n",  # one piece does not read: the whole file's problems
        "\ufeff" + HEAD + Q1,
    ]
    parser = LedgerParser()
    for text in texts:
        data = text.encode("utf-8")
        got, want = parser.parse("f.yaml", data), parse_ledger("f.yaml", data)
        assert type(got) is type(want)
        if hasattr(want, "problems"):
            assert got.problems == want.problems  # type: ignore[union-attr]
        else:
            assert got == want
    assert split_reports(HEAD + Q1 + Q2 + "example: true\n") is None
    assert split_reports(HEAD + Q1 + Q2) == (HEAD, [Q1, Q2])
