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
CLI |= {
    "--check needs --min-rate R: the rate to alert below (e.g. --min-rate 0.95)": (
        "--check 需要 --min-rate R: 低于它就报警的揽收率 (例如 --min-rate 0.95)"
    ),
    "--check needs --min-rate R: the response rate to alert below (e.g. --min-rate 0.95)": (
        "--check 需要 --min-rate R: 低于它就报警的回复率 (例如 --min-rate 0.95)"
    ),
    "--dry-run needs --ledger FILE (without a ledger nothing is written)": (
        "--dry-run 需要 --ledger FILE (没有台账本来就不会写入任何内容)"
    ),
    "give the ledger to list: --ledger FILE": "请给出要列出的台账: --ledger FILE",
    "--format {value} contradicts the output file {output} (its extension means {named}): drop --format or change the file name": (
        "--format {value} 与输出文件 {output} 矛盾 (它的扩展名表示 {named}): 请去掉 --format 或修改文件名"
    ),
    "give the folder of exports: --dir DIR": "请给出导出文件所在的文件夹: --dir DIR",
    "--encoding must be utf-8 or gb18030 (got {encoding!r})": (
        "--encoding 必须是 utf-8 或 gb18030 (实际为 {encoding!r})"
    ),
    "--orders must be at least 1 (got {orders})": "--orders 至少为 1 (实际为 {orders})",
    "{path}: cannot write the output ({strerror})": "{path}: 无法写入输出文件 ({strerror})",
}

# what `tmall report` and `tmall sample` tell on stderr
CLI |= {
    "wrote {html} (open it in a browser: file://{path})": "已写入 {html} (用浏览器打开: file://{path})",
    "tmall sample: wrote {out} (seed {seed}, as of {day}, {encoding})": (
        "tmall sample: 已写入 {out} (种子 {seed}，截至 {day}，{encoding})"
    ),
    "{rows:>12,} rows": "{rows:>12,} 行",
}
