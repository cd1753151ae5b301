"""zh for what reading the exports says: the file, line, column and value stay as they are."""

from __future__ import annotations

EXPORTS: dict[str, str] = {
    # the frame of an error (errors.py)
    "config: {key_path}: {problem}": "配置 {key_path}: {problem}",
    "column {column}": "列 {column}",
    "{text} (value {value!r})": "{text} (值为 {value!r})",
    # finding the files (exports/paths.py, inputs.py)
    "no such file": "找不到文件",
    "permission denied": "没有权限",
    "is a folder, not a file": "是文件夹，不是文件",
    "glob matched no file": "通配符没有匹配到文件",
    "cannot list folder: {os_problem}": "无法列出文件夹: {os_problem}",
    "folder holds no export ({value})": "文件夹中没有导出文件 ({value})",
    "no such folder": "找不到文件夹",
    "folder holds no seller-center export recognised by its headers": (
        "文件夹中没有能按表头识别的卖家中心导出文件"
    ),
    "ignored {path} ({reason})": "已忽略 {path} ({reason})",
    "this command needs the {kind} export: give {option} FILE or --dir DIR": (
        "此命令需要 {kind} 导出文件: 请用 {option} FILE 或 --dir DIR 给出"
    ),
    "{needed} (the {option} export has no 买家实际支付金额 / 订单付款时间 columns to stand in for it)": (
        "{needed} ({option} 导出文件没有可以代替它的 买家实际支付金额 / 订单付款时间 列)"
    ),
    # kinds and headers (exports/headers.py, reader.py)
    "read as {kind}": "按 {kind} 读取",
    "headers match no export kind": "表头不匹配任何导出类型",
    "headers match no export kind; {closest}": "表头不匹配任何导出类型；{closest}",
    "closest: {kind} ({label}), missing {missing}": "最接近: {kind} ({label})，缺少 {missing}",
    "{name} export ({label}) is missing required column {missing}": (
        "{name} 导出文件 ({label}) 缺少必需的列 {missing}"
    ),
    "columns found: {columns}": "找到的列: {columns}",
    "no sheet of the workbook is a {name} export ({label})": (
        "工作簿中没有 {name} 导出 ({label}) 的工作表"
    ),
    "{verdicts} (--sheet NAME reads one sheet as it is)": "{verdicts} (--sheet NAME 按原样读取一个工作表)",
    # encodings and text files (exports/decoding.py, opening.py, source.py)
    "not a text export (binary data)": "不是文本导出文件 (二进制数据)",
    "unknown encoding {encoding!r}": "未知的编码 {encoding!r}",
    "use a Python codec name such as utf-8, gb18030 or gbk": "请使用 Python 的编码名，例如 utf-8、gb18030 或 gbk",
    "empty file (no header row)": "空文件 (没有表头行)",
    "not valid UTF-8 (byte offset {offset}: {reason})": "不是有效的 UTF-8 (字节偏移 {offset}: {reason})",
    "file ends in the middle of a UTF-8 character (truncated download?)": (
        "文件在一个 UTF-8 字符中间结束 (下载不完整?)"
    ),
    "if the file is GBK/GB18030 (Excel on Chinese Windows), try --encoding gb18030": (
        "如果文件是 GBK/GB18030 (中文 Windows 上的 Excel)，请试试 --encoding gb18030"
    ),
    "the file looks like an Excel workbook; rename it to {kind}": (
        "文件看起来是 Excel 工作簿；请把它重命名为 {kind}"
    ),
    "cannot split the tab-separated rows: {exc}": "无法拆分制表符分隔的行: {exc}",
    "cannot write a temporary file in {workdir}: {os_problem}": (
        "无法在 {workdir} 中写入临时文件: {os_problem}"
    ),
    "HTML file holds no table rows (no header row)": "HTML 文件中没有表格行 (没有表头行)",
    # workbooks (exports/workbook.py)
    "the workbook holds no sheet": "工作簿中没有工作表",
    "the workbook is password-protected": "工作簿有密码保护",
    "cannot read the Excel workbook: {exc}": "无法读取 Excel 工作簿: {exc}",
    "empty sheet {name!r} (no header row)": "工作表 {name!r} 为空 (没有表头行)",
    "empty sheet (no header row)": "工作表为空 (没有表头行)",
    "no sheet named {sheet!r} (sheets: {listed})": "没有名为 {sheet!r} 的工作表 (工作表: {listed})",
    "cannot read the XML spreadsheet: {exc}": "无法读取 XML 电子表格: {exc}",
    # rows and cells (exports/csv_scan.py, structure.py, diagnosis.py, values.py)
    "cannot read the header row ({first_line})": "无法读取表头行 ({first_line})",
    "cannot parse the file ({first_line})": "无法解析文件 ({first_line})",
    "broken CSV ({err}); the file may be truncated in a quoted field": (
        "CSV 损坏 ({err})；文件可能在引号字段中被截断"
    ),
    "ragged row: {fields} fields where the header has {width}": (
        "行的字段数不齐: 有 {fields} 个字段，表头有 {width} 个"
    ),
    "the file may be truncated or damaged: export it again": "文件可能不完整或已损坏: 请重新导出",
    "{height} row(s) with bad values in {name}; --skip-bad-rows drops such rows and reports them": (
        "{name} 中有 {height} 行的值有误；--skip-bad-rows 会跳过这些行并报告"
    ),
    "{file}: dropped {rows} row(s): column {column}: {problem}": (
        "{file}: 跳过了 {rows} 行: 列 {column}: {problem}"
    ),
    "missing value in a key column": "关键列缺少值",
    "ID in scientific notation (mangled by Excel; the original number cannot be recovered)": (
        "编号是科学计数法 (被 Excel 改坏了，无法恢复原来的数字)"
    ),
    "not an amount of money": "不是金额",
    "money with more than 2 decimals (fen)": "金额的小数超过 2 位 (分)",
    "negative money": "金额为负数",
    "not a date/time": "不是日期/时间",
    "not a yes/no value (是/否)": "不是 是/否 值",
    "not a shipping state (已发货/未发货)": "不是发货状态 (已发货/未发货)",
    "not a score from 1 to 5": "不是 1 到 5 的分数",
    # duplicates (exports/folding.py)
    "{kind}: dropped {dropped} exact duplicate row(s)": "{kind}: 去掉了 {dropped} 行完全重复的行",
    "refunds: {replaced} row(s) of refunds also in a newer export replaced by the newer export's rows": (
        "refunds: {replaced} 行退款也出现在较新的导出文件中，已用较新文件的行代替"
    ),
    "orders: {replaced} order(s) appear in several files; the last file's row is used": (
        "orders: {replaced} 个订单出现在多个文件中；使用最后一个文件的行"
    ),
    # 千牛 chat records as text (exports/chat_text.py)
    "not a date": "不是日期",
    "malformed time in a message line (expected HH:MM:SS)": "消息行中的时间格式有误 (应为 HH:MM:SS)",
    "expected a message line `nick HH:MM:SS` after the date line": (
        "日期行之后应是消息行 `昵称 HH:MM:SS`"
    ),
    "message line before any date line": "消息行出现在所有日期行之前",
    "a 千牛 chat record starts each day with a line such as 2026-11-18": (
        "千牛聊天记录每天以 2026-11-18 这样的一行开头"
    ),
    # the DSR page's figures (exports/dsr_summary.py)
    "cannot read the DSR summary ({exc})": "无法读取 DSR 汇总 ({exc})",
    "the DSR summary is empty": "DSR 汇总为空",
    "not a DSR summary: needs a 维度 column and 5星 … 1星 (counts or 占比), or 评分 and 评分人数": (
        "不是 DSR 汇总: 需要 维度 列和 5星 … 1星 (人数或占比)，或 评分 和 评分人数"
    ),
    "not a DSR dimension ({hint})": "不是 DSR 维度 ({hint})",
    "{name}: not a DSR dimension ({hint})": "{name}: 不是 DSR 维度 ({hint})",
    "not a whole number of raters": "评分人数不是整数",
    "not a score": "不是分数",
    "not a percentage": "不是百分比",
    "not a whole number": "不是整数",
    "not a whole count": "不是整数个数",
    "not a whole count of ratings (write a percentage with a % sign or in a 5星占比 column)": (
        "评分个数不是整数 (百分比请带 % 号，或写在 5星占比 列中)"
    ),
    "give all five star columns (5星 … 1星) or none": "五个星级列 (5星 … 1星) 要么都给，要么都不给",
    "mixes counts and percentages on one line": "同一行中混用了人数和百分比",
    "percentages need the number of raters (评分人数)": "百分比需要评分人数",
    "percentages need the number of raters": "百分比需要评分人数",
    "needs the five star counts, or the raters and the five percentages, or the score and the raters": (
        "需要五个星级的人数，或评分人数和五个百分比，或评分和评分人数"
    ),
    "not a YAML file ({value})": "不是 YAML 文件 ({value})",
    "a DSR summary in YAML maps each dimension to its figures, e.g. description: [30, 10, 5, 3, 2]": (
        "YAML 格式的 DSR 汇总把每个维度对应到它的数字，例如 description: [30, 10, 5, 3, 2]"
    ),
    "{name}: expected a list of 5 counts or a mapping": "{name}: 应是 5 个人数的列表或一个映射",
    "{name}.{field}: {problem} (value {value!r})": "{name}.{field}: {problem} (值为 {value!r})",
    "{name}: unknown key {key} (use {known})": "{name}: 未知的键 {key} (可用: {known})",
    "{name}: needs stars (5 counts), or raters and percent (5 percentages), or score and raters": (
        "{name}: 需要 stars (5 个人数)，或 raters 和 percent (5 个百分比)，或 score 和 raters"
    ),
    "expected 5 counts (5★ … 1★)": "应有 5 个人数 (5★ … 1★)",
    "expected 5 percentages (5★ … 1★)": "应有 5 个百分比 (5★ … 1★)",
}
