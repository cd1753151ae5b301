"""Runtime messages in zh and en (SPEC §14): the catalogue is complete, and the CLI speaks zh.

The catalogue check walks the package's syntax trees: every template marked with ``tr`` or
``N_`` has its zh entry with the same placeholders, every entry is used, and no error, warning
or note is handed over as a bare string (it would never be translated).
"""

from __future__ import annotations

import ast
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tmallcli import i18n
from tmallcli.cli import app
from tmallcli.i18n.catalogue import PARTS, ZH

PACKAGE = Path(__file__).resolve().parent.parent / "tmallcli"
SAMPLE = PACKAGE.parent / "sample_data"

# The paths a message takes to the user: the argument positions (and keywords) holding text.
ERRORS = {"TmallError": (0,), "UsageError": (0,), "OutputError": (0,), "ConfigError": (1,)}
ERRORS |= {"InputError": (1,), "warn": (0,), "error_line": (0, 1), "fail": (0,), "bad": (1,)}
ERRORS |= {"StarsError": (0,), "LedgerError": (0,), "Notice": (1,), "ServiceWarning": (1,)}
ERRORS |= {"info": (0,)}
TEXT_KEYWORDS = ("hint", "problem", "message")


@dataclass(frozen=True)
class Site:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def _name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_text(node: ast.expr | None) -> bool:
    """A literal or f-string sentence: text that skipped the catalogue."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Name) and node.id.isupper():
        return True  # a sentence kept in a constant: tr(CONSTANT) where it is said
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def _calls() -> list[tuple[Site, ast.Call]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent.name == "i18n":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = str(path.relative_to(PACKAGE.parent))
        found += [
            (Site(rel, node.lineno), node) for node in ast.walk(tree) if isinstance(node, ast.Call)
        ]
    return found


CALLS = _calls()


def _templates() -> dict[str, list[Site]]:
    templates: dict[str, list[Site]] = {}
    for site, call in CALLS:
        if _name(call) in ("tr", "N_") and call.args:
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                templates.setdefault(first.value, []).append(site)
    return templates


def _fields(template: str) -> set[str]:
    return {f"{name}!{conv}" for _, name, _, conv in string.Formatter().parse(template) if name}


def test_every_marked_template_has_its_zh_entry() -> None:
    missing = [f"{sites[0]}: {key!r}" for key, sites in _templates().items() if key not in ZH]
    assert not missing, "add these to tmallcli/i18n/zh_*.py:\n" + "\n".join(missing)


def test_every_zh_entry_is_used_and_keeps_the_placeholders() -> None:
    used = _templates()
    unused = [key for key in ZH if key not in used]
    assert not unused, f"entries no code marks: {unused}"
    changed = [key for key, text in ZH.items() if _fields(key) != _fields(text)]
    assert not changed, f"placeholders differ between the English and the zh: {changed}"


def test_no_template_is_in_two_catalogue_modules() -> None:
    seen: dict[str, str] = {}
    twice = []
    for module, part in PARTS.items():
        for key in part:
            if key in seen:
                twice.append(f"{key!r}: {seen[key]} and {module}")
            seen[key] = module
    assert not twice


def test_tr_takes_a_template_not_a_finished_sentence() -> None:
    """``tr(f"...")`` would look up a sentence that is never in the catalogue."""
    bad = [
        str(site)
        for site, call in CALLS
        if _name(call) in ("tr", "N_") and call.args and isinstance(call.args[0], ast.JoinedStr)
    ]
    assert not bad


def test_errors_warnings_and_hints_go_through_the_catalogue() -> None:
    """A message written as a plain string or f-string (a new one, after a merge) fails here:
    mark it with ``tr`` and add its zh line."""
    bare = []
    for site, call in CALLS:
        name = _name(call)
        if name == "append" and ast.unparse(call.func).endswith("notes.append"):
            name = "warn"  # a run's note is printed as a warning
        positions = ERRORS.get(name or "", ())
        args = [call.args[i] for i in positions if i < len(call.args)]
        if name in ERRORS:
            args += [k.value for k in call.keywords if k.arg in TEXT_KEYWORDS]
        if any(_is_text(arg) for arg in args):
            bare.append(f"{site}: {name}(…)")
    # an input warning's sentence: {"kind": …, "message": f"…"}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = str(path.relative_to(PACKAGE.parent))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "message" and _is_text(value):
                        bare.append(f"{rel}:{node.lineno}: {{'message': …}}")
    assert not bare, "messages outside the catalogue:\n" + "\n".join(bare)


# --- the CLI in zh --------------------------------------------------------------------------


def invoke(args: list[str], env: dict[str, str | None] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env={"TMALL_LANG": None, **(env or {})})
    return result.exit_code, result.stderr


def test_messages_are_zh_by_default(tmp_path: Path) -> None:
    code, err = invoke(["score", "dsr", "--reviews", str(tmp_path / "无此文件.csv")])
    assert code == 2
    assert err.startswith("tmall: 错误: ")
    assert "无此文件.csv" in err


def test_lang_option_wins_over_tmall_lang(tmp_path: Path) -> None:
    args = ["score", "dsr", "--reviews", str(tmp_path / "missing.csv")]
    code, err = invoke([*args, "--lang", "en"], {"TMALL_LANG": "zh"})
    assert code == 2
    assert err.startswith("tmall: error: ")
    code, err = invoke(args, {"TMALL_LANG": "en"})
    assert err.startswith("tmall: error: ")
    code, err = invoke(args, {"TMALL_LANG": "zh"})
    assert err.startswith("tmall: 错误: ")


def test_config_lang_chooses_when_nothing_else_does(tmp_path: Path) -> None:
    config = tmp_path / "tmall.yaml"
    config.write_text("lang: en\n", encoding="utf-8")
    args = ["score", "dsr", "--config", str(config), "--dir", str(tmp_path / "none")]
    code, err = invoke(args)
    assert code == 2
    assert err.startswith("tmall: error: "), err
    # TMALL_LANG and --lang win over the config's lang.
    code, err = invoke(args, {"TMALL_LANG": "zh"})
    assert err.startswith("tmall: 错误: "), err


def test_a_usage_error_keeps_one_line_and_exit_2_in_zh() -> None:
    """Click's own sentence stays; the frame and the hint speak zh (run as the program)."""
    done = subprocess.run(
        [sys.executable, "-m", "tmallcli", "score", "dsr", "--no-such-option"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent), "TMALL_LANG": "zh"},
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith("tmall: 错误: ")
    assert "--no-such-option" in lines[0]
    assert lines[1] == "tmall: 提示: 请查看 'tmall score dsr --help'"


def test_a_bad_as_of_in_zh() -> None:
    code, err = invoke(["score", "dsr", "--as-of", "2026-13-01", "--dir", "."])
    assert code == 2
    assert err == "tmall: 错误: --as-of: 不是 YYYY-MM-DD 格式的日期 (实际为 '2026-13-01')\n"


def test_library_speaks_english_until_chosen() -> None:
    assert i18n.tr("tmall: error: {message}", message="x") == "tmall: error: x"
    i18n.use("zh")
    assert i18n.tr("tmall: error: {message}", message="x") == "tmall: 错误: x"


@pytest.mark.parametrize(
    ("value", "lang"), [("zh_CN.UTF-8", "zh"), ("EN", "en"), ("fr", "zh"), ("", "zh")]
)
def test_tmall_lang_values(value: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMALL_LANG", value)
    assert i18n.choose([]) == lang


ORDERS_HEADER = "订单编号,买家会员名,买家实际支付金额,订单状态,订单付款时间\n"


def test_a_bad_value_in_zh_keeps_file_line_column_and_value(tmp_path: Path) -> None:
    (tmp_path / "订单.csv").write_text(
        ORDERS_HEADER + "1001,a,12.5,交易成功,2026-11-01 10:00:00\n"
        "1002,b,十二元,交易成功,2026-11-02 10:00:00\n",
        encoding="utf-8",
    )
    code, err = invoke(["audit", "pickup", "--orders", "订单.csv", "--as-of", "2026-11-20"])
    assert code == 2
    assert err.splitlines() == [
        "tmall: 错误: 订单.csv:3: 列 买家实际支付金额 (paid_amount): 不是金额 (值为 '十二元')",
        "tmall: 提示: orders 中有 1 行的值有误；--skip-bad-rows 会跳过这些行并报告",
    ]


def test_a_config_error_in_zh_names_the_key_path(tmp_path: Path) -> None:
    (tmp_path / "tmall.yaml").write_text(
        "service_score:\n  categories:\n    女装:\n      weights:\n        product: 1.7\n",
        encoding="utf-8",
    )
    code, err = invoke(["score", "dsr", "--stars", "description=30,10,5,3,2"])
    assert code == 2
    assert err == (
        "tmall: 错误: 配置 service_score.categories.女装.weights.product: "
        "必须在 0 到 1 之间 (实际为 1.7)\n"
    )


def test_a_warning_in_zh(tmp_path: Path) -> None:
    row = "1001,a,12.5,交易成功,2026-11-01 10:00:00\n"
    (tmp_path / "orders.csv").write_text(ORDERS_HEADER + row + row, encoding="utf-8")
    code, err = invoke(["audit", "pickup", "--orders", "orders.csv", "--as-of", "2026-11-20"])
    assert code == 0
    assert "tmall: 警告: orders: 去掉了 1 行完全重复的行" in err.splitlines()
    assert all(line.startswith("tmall: 警告: ") for line in err.splitlines())
    # The same run with --lang en says it in English.
    code, err = invoke(
        ["audit", "pickup", "--orders", "orders.csv", "--as-of", "2026-11-20", "--lang", "en"]
    )
    assert "tmall: warning: orders: dropped 1 exact duplicate row(s)" in err.splitlines()


def test_a_what_if_out_of_range_in_zh() -> None:
    code, err = invoke(
        ["score", "service", "--stars", "description=30,10,5,3,2", "--set", "pickup_24h_rate=97"]
    )
    assert code == 2
    assert err == (
        "tmall: 错误: --set pickup_24h_rate: 97 超出范围；"
        "应为 0 到 1 的比率或百分比，例如 0.97 或 97%\n"
    )
