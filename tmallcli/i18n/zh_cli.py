"""zh for what the CLI edge says: the frame of every line, options, output files."""

from __future__ import annotations

CLI: dict[str, str] = {
    "tmall: error: {message}": "tmall: 错误: {message}",
    "tmall: hint: {hint}": "tmall: 提示: {hint}",
    "tmall: warning: {message}": "tmall: 警告: {message}",
    "tmall: interrupted": "tmall: 已中断",
    "see '{command} --help'": "请查看 '{command} --help'",
    "--as-of: not a date in the form YYYY-MM-DD (got {value!r})": (
        "--as-of: 不是 YYYY-MM-DD 格式的日期 (实际为 {value!r})"
    ),
    "{output}: cannot write the output (no writable folder {folder})": (
        "{output}: 无法写入输出文件 (文件夹 {folder} 不存在或不可写)"
    ),
}
