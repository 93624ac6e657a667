"""`record --commit` / `import --commit` (issue 15, part 4): a write becomes one commit of that file alone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from minsheng.gitstore import GitError
from tests.gitrepo import LI, ZHANG, GitRepo, git_env
from tests.test_history import C1, HEAD, PLAN, Q1, history_json, run

NEW = ["--date", "2025-06-30", "1.1=5", "1.2=40", "--summary", "过半。"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    for key, value in git_env(None, LI).items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)  # git's identity for the commits minsheng makes: 李四
    built = GitRepo(tmp_path / "repo")
    built.commit(C1, ZHANG, {"plan-2025.yaml": PLAN, "progress/甲局.yaml": HEAD + Q1})
    return built


def record(repo: GitRepo, *args: str):
    return run("record", "--data", str(repo.data), "--unit", "甲局", *NEW, *args)


def commits(repo: GitRepo) -> list[str]:
    return repo.git("log", "--format=%H").split()


def test_record_commit_is_one_commit_of_that_file(repo: GitRepo) -> None:
    (repo.data / "notes.txt").write_text("staged, not ours\n", encoding="utf-8")
    repo.git("add", "data/notes.txt")
    result = record(repo, "--commit")
    assert result.exit_code == 0, result.output
    assert "已提交到 git：" in result.stdout
    assert len(commits(repo)) == 2
    assert repo.git("show", "--name-only", "--format=", "HEAD").splitlines() == ["data/progress/甲局.yaml"]
    message = repo.git("log", "-1", "--format=%B")
    assert message.splitlines()[0] == "甲局 2025-06-30 报告：1.1=5 1.2=40"
    assert "- 1.1: 2 → 5" in message and "- 进展情况: 过半。" in message
    assert repo.git("log", "-1", "--format=%an <%ae>") == "李四 <li@unit.example>"
    assert repo.git("status", "--porcelain") == "A  data/notes.txt"  # still staged, untouched
    assert repo.git("status", "--porcelain", "--", "data/progress") == ""
    last = history_json(repo.data)[-1]
    assert (last["report_date"], last["kind"], last["author"]) == ("2025-06-30", "added", "李四 <li@unit.example>")


def test_by_names_the_author(repo: GitRepo) -> None:
    assert record(repo, "--commit", "--by", "王五 <wang@unit.example>").exit_code == 0
    assert repo.git("log", "-1", "--format=%an <%ae>|%cn") == "王五 <wang@unit.example>|李四"
    assert run("record", "--data", str(repo.data), "--unit", "甲局", "--date", "2025-07-31", "1.1=6", "--commit",
               "--by", "赵六").exit_code == 0  # fmt: skip
    assert repo.git("log", "-1", "--format=%an <%ae>") == "赵六 <>"


def test_refuses_without_writing_when_the_file_has_uncommitted_changes(repo: GitRepo) -> None:
    path = repo.data / "progress" / "甲局.yaml"
    edited = path.read_text(encoding="utf-8") + "# 别人正在改\n"
    path.write_text(edited, encoding="utf-8")
    result = record(repo, "--commit")
    assert result.exit_code == 2
    assert "有未提交的修改" in result.stderr
    assert path.read_text(encoding="utf-8") == edited
    assert len(commits(repo)) == 1
    # staged but not committed counts too
    repo.git("add", "data/progress/甲局.yaml")
    assert record(repo, "--commit").exit_code == 2
    assert path.read_text(encoding="utf-8") == edited


def test_refuses_a_new_file_that_is_untracked(repo: GitRepo) -> None:
    other = repo.data / "progress" / "乙中心.yaml"
    other.write_text("unit: 乙中心\nreports: []\n", encoding="utf-8")
    result = run("record", "--data", str(repo.data), "--unit", "乙中心", "--date", "2025-06-30", "2.1=10", "--commit")
    assert result.exit_code == 2 and "未纳入 git 的新文件" in result.stderr
    assert other.read_text(encoding="utf-8") == "unit: 乙中心\nreports: []\n"


def test_a_new_unit_file_is_committed(repo: GitRepo) -> None:
    result = run("record", "--data", str(repo.data), "--unit", "乙中心", "--date", "2025-06-30", "2.1=10", "--commit")
    assert result.exit_code == 0, result.output
    assert repo.git("show", "--name-status", "--format=", "HEAD").split() == ["A", "data/progress/乙中心.yaml"]


def test_not_a_repository_refuses_and_writes_nothing(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import SMALL

    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    before = (data / "progress" / "甲局.yaml").read_bytes()
    result = run("record", "--data", str(data), "--unit", "甲局", "--date", "2025-07-31", "1.1=6", "--commit")
    assert result.exit_code == 2 and "不在 git 仓库中" in result.stderr
    assert (data / "progress" / "甲局.yaml").read_bytes() == before
    assert run("record", "--data", str(data), "--unit", "甲局", "--date", "2025-07-31", "1.1=6").exit_code == 0


def test_the_data_directory_default(repo: GitRepo) -> None:
    (repo.data / "minsheng.toml").write_text("[record]\ncommit = true\n", encoding="utf-8")
    repo.commit("2025-04-09T10:00:00+08:00", ZHANG, {})
    assert record(repo).exit_code == 0
    assert len(commits(repo)) == 3
    assert run("record", "--data", str(repo.data), "--unit", "甲局", "--date", "2025-07-31", "1.1=6",
               "--no-commit").exit_code == 0  # fmt: skip
    assert len(commits(repo)) == 3 and repo.git("status", "--porcelain", "--", "data/progress") != ""
    (repo.data / "minsheng.toml").write_text("[record]\ncommit = 'yes'\n", encoding="utf-8")
    assert run("record", "--data", str(repo.data), "--unit", "甲局", "--date", "2025-08-31", "1.1=7").exit_code == 2


def test_by_without_commit_is_a_usage_error(repo: GitRepo) -> None:
    assert record(repo, "--by", "王五").exit_code == 2
    assert len(commits(repo)) == 1


def test_no_identity_needs_by(repo: GitRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    # git would otherwise make up root@host from the machine's name
    repo.git("config", "user.useConfigOnly", "true")
    refused = record(repo, "--commit")
    assert refused.exit_code == 2 and "git 没有配置提交人" in refused.stderr
    assert record(repo, "--commit", "--by", "王五 <wang@unit.example>").exit_code == 0
    assert repo.git("log", "-1", "--format=%an|%cn") == "王五|王五"


def test_import_commit(repo: GitRepo, tmp_path: Path) -> None:
    from tests.test_xlsx import fill

    form = tmp_path / "甲局.xlsx"
    made = run("export", "xlsx", "--data", str(repo.data), "--as-of", "2025-06-30", "--template", "--unit", "甲局",
               "-o", str(form))  # fmt: skip
    assert made.exit_code == 0, made.output
    fill(form, dt.date(2025, 6, 30), {"1.1": 5, "1.2": 40})
    result = run("import", str(form), "--data", str(repo.data), "--commit", "--by", "王五 <wang@unit.example>")
    assert result.exit_code == 0, result.output
    assert repo.git("log", "-1", "--format=%s|%an") == "甲局 2025-06-30 报告：1.1=5 1.2=40|王五"
    assert f"由 minsheng import {form} 写入并提交。" in repo.git("log", "-1", "--format=%b")


def test_a_failed_commit_puts_the_file_back(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    from minsheng import commit as commit_module

    real = commit_module.GitCommitter._git

    def failing(self: commit_module.GitCommitter, *args: str) -> bytes:
        if args[0] == "commit":
            raise GitError("simulated")
        return real(self, *args)

    monkeypatch.setattr(commit_module.GitCommitter, "_git", failing)
    path = repo.data / "progress" / "甲局.yaml"
    before = path.read_bytes()
    result = record(repo, "--commit")
    assert result.exit_code == 1 and "git 提交失败，文件已还原" in result.stderr
    assert path.read_bytes() == before
    assert repo.git("status", "--porcelain") == ""
    created = run("record", "--data", str(repo.data), "--unit", "乙中心", "--date", "2025-06-30", "2.1=1", "--commit")
    assert created.exit_code == 1
    assert not (repo.data / "progress" / "乙中心.yaml").exists() and repo.git("status", "--porcelain") == ""


def test_history_json_after_commits_is_valid(repo: GitRepo) -> None:
    assert record(repo, "--commit").exit_code == 0
    assert json.loads(run("history", "--data", str(repo.data), "-f", "json").stdout)


def test_supervise_commit_is_one_commit_of_the_ledger(repo: GitRepo) -> None:
    """issue 15 part 4 for `supervise`: the same hook as record, one commit touching the ledger alone."""
    args = ["supervise", "add", "--data", str(repo.data), "--kind", "督办函", "--task", "1", "--demand", "加快修路"]
    result = run(*args, "--due", "2025-07-31", "--date", "2025-06-05", "--commit", "--by", "王五 <wang@unit.example>")
    assert result.exit_code == 0, result.output
    assert "已提交到 git：" in result.stdout
    assert repo.git("show", "--name-only", "--format=", "HEAD").splitlines() == ["data/supervision-2025.yaml"]
    message = repo.git("log", "-1", "--format=%B")
    assert message.splitlines()[0] == "督办台账 2025-06-05：action DB2025-001（督办函）"
    assert "- demand: 加快修路" in message
    assert repo.git("log", "-1", "--format=%an <%ae>") == "王五 <wang@unit.example>"
    # With an uncommitted change to the ledger, --commit refuses and writes nothing.
    ledger = repo.data / "supervision-2025.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "# 手工加的注释\n", encoding="utf-8")
    before = ledger.read_bytes()
    reply = run("supervise", "reply", "DB2025-001", "--data", str(repo.data), "--text", "已开工", "--date",
                "2025-06-10", "--commit")  # fmt: skip
    assert reply.exit_code != 0
    assert ledger.read_bytes() == before
    assert len(commits(repo)) == 2
