"""zh for what the config layer says: the problem after ``config: <key path>:``."""

from __future__ import annotations

CONFIG: dict[str, str] = {
    # pydantic's checks, by kind (config/errors.py)
    "must be a number": "必须是数字",
    "must be a whole number": "必须是整数",
    "must be true or false": "必须是 true 或 false",
    "must be text": "必须是文本",
    "must be a list": "必须是列表",
    "must be a mapping of keys": "必须是键值映射",
    "must be a finite number": "必须是有限的数字",
    "{problem} (got {value})": "{problem} (实际为 {value})",
    "a category without `inherit:` must set every key; add `inherit: 默认`": (
        "没有 `inherit:` 的类目必须设置每个键；请加上 `inherit: 默认`"
    ),
    "missing (required key)": "缺少 (必填键)",
    "unknown key": "未知的键",
    "unknown key (known keys: {known})": "未知的键 (可用的键: {known})",
    "must be one of {expected} (got {value})": "必须是 {expected} 之一 (实际为 {value})",
    # values (config/fields.py)
    "must not be empty": "不能为空",
    "must be a percentage between 0 and 100 (got {value})": "必须是 0 到 100 之间的百分比 (实际为 {value})",
    "must be a whole number of fen, 1 yuan = 100 fen (got {value})": (
        "必须是整数的分 (1 元 = 100 分) (实际为 {value})"
    ),
    "must not be negative (got {value})": "不能为负数 (实际为 {value})",
    "must be a time of day HH:MM, 00:00 to 24:00 (got {value})": (
        "必须是 HH:MM 格式的时刻，00:00 到 24:00 (实际为 {value})"
    ),
    "must list at least one entry": "至少要列出一项",
    "must be a list of [value, score] points (got {value})": (
        "必须是 [值, 分数] 点的列表 (实际为 {value})"
    ),
    "must have at least 2 points [value, score] (got {n_points})": (
        "至少需要 2 个 [值, 分数] 点 (实际为 {n_points} 个)"
    ),
    "values must be strictly increasing or strictly decreasing (got {value})": (
        "值必须严格递增或严格递减 (实际为 {value})"
    ),
    "must be between {low} and {high} (got {value})": "必须在 {low} 到 {high} 之间 (实际为 {value})",
    "must be greater than {bound} (got {value})": "必须大于 {bound} (实际为 {value})",
    "must be at least {bound} (got {value})": "必须至少为 {bound} (实际为 {value})",
    "point {index} must be [value, score], two numbers (got {point})": (
        "第 {index} 个点必须是 [值, 分数] 两个数字 (实际为 {point})"
    ),
    "point {index} must be finite numbers (got {point})": (
        "第 {index} 个点必须是有限的数字 (实际为 {point})"
    ),
    "scores must be between 0 and 5 (got {score} at point {index})": (
        "分数必须在 0 到 5 之间 (第 {index} 个点为 {score})"
    ),
    # the files (config/loading.py)
    "the shipped default config is missing": "缺少随程序安装的默认配置",
    "reinstall tmallcli; it looks for tmallcli/data/default.yaml": (
        "请重新安装 tmallcli；它查找 tmallcli/data/default.yaml"
    ),
    "file not found": "找不到文件",
    "check the --config path": "请检查 --config 的路径",
    "is a folder, not a YAML file": "是文件夹，不是 YAML 文件",
    "must be a mapping of sections such as dsr:, pickup: (got {type})": (
        "必须是由 dsr:、pickup: 等小节组成的映射 (实际为 {type})"
    ),
    "duplicate key {key!r}": "重复的键 {key!r}",
    "YAML syntax error: {problem}": "YAML 语法错误: {problem}",
    "YAML syntax error: {exc}": "YAML 语法错误: {exc}",
    "not UTF-8 or GB18030 text": "不是 UTF-8 或 GB18030 文本",
    "must be a mapping (got {block})": "必须是映射 (实际为 {block})",
    "must be a category name (got {parent})": "必须是类目名称 (实际为 {parent})",
    "inheritance cycle {loop}": "继承形成循环 {loop}",
    "unknown category {parent!r} (known: {value})": "未知类目 {parent!r} (已有: {value})",
    # the user's mapping (config/mapping.py)
    "must be a value: text or a number (got {value})": "必须是一个值: 文本或数字 (实际为 {value})",
    "must name at least one header": "至少要写一个表头",
    "must be a header or a list of headers (got {value})": (
        "必须是一个表头或表头列表 (实际为 {value})"
    ),
    "a header must not be empty": "表头不能为空",
    "unknown kind {kind!r} (known: {value})": "未知的导出类型 {kind!r} (已有: {value})",
    "unknown kind (known: {value})": "未知的导出类型 (已有: {value})",
    # freshness.exempt_kinds (config/trust.py)
    "unknown export kind {kind!r} (known: {value})": "未知的导出类型 {kind!r} (已有: {value})",
    "unknown field of {kind} (known: {value})": "{kind} 没有这个字段 (已有: {value})",
    "must be kind.field, e.g. cs_ratings.score": "必须写成 类型.字段，例如 cs_ratings.score",
    "header {header!r} is given twice": "表头 {header!r} 写了两次",
    "header {header!r} is given for {other} too": "表头 {header!r} 也写给了 {other}",
    # the rules (config/models.py, config/scoring.py)
    "a closed status cannot be ranked too (got {value})": "关闭状态不能同时参与排序 (实际为 {value})",
    "start_days_before must be at least end_days_before (got {start_days_before} and {end_days_before})": (
        "start_days_before 必须不小于 end_days_before (实际为 {start_days_before} 和 {end_days_before})"
    ),
    "unknown preset {value!r} (known: {known})": "未知的预设 {value!r} (已有: {known})",
    "unknown preset {name!r} (known: {known})": "未知的预设 {name!r} (已有: {known})",
    "must be at least minimum_fen ({minimum_fen}) (got {group_cap_fen})": (
        "必须不小于 minimum_fen ({minimum_fen}) (实际为 {group_cap_fen})"
    ),
    "start must be before end (got {start}–{end})": "开始必须早于结束 (实际为 {start}–{end})",
    "unknown key: must be {what} (got {key!r})": "未知的键: 必须是{what} (实际为 {key!r})",
    "a score from 1 to 5": " 1 到 5 的分数",
    "a code such as 0, 1, 2": " 0、1、2 这样的代码",
    "'unclassified' is reserved for reviews no rule matches": (
        "'unclassified' 保留给没有规则匹配的评价"
    ),
    "rule names must be unique (got {name!r} twice)": "规则名称不能重复 ({name!r} 出现了两次)",
    "missing the action for cause {cause!r}": "缺少原因 {cause!r} 的处理动作",
    "unknown cause (known: {value})": "未知的原因 (已有: {value})",
    "unknown category {key!r} (known: {value})": "未知类目 {key!r} (已有: {value})",
    "pick one of the known categories, or add it to tmall.yaml (e.g. with `inherit: 默认`)": (
        "请选择已有的类目，或在 tmall.yaml 中添加它 (例如用 `inherit: 默认`)"
    ),
    "unknown category {default_category!r} (known: {value})": (
        "未知类目 {default_category!r} (已有: {value})"
    ),
    "scores must rise as the value rises: higher is better (got {shown})": (
        "分数必须随值升高而升高: 越高越好 (实际为 {shown})"
    ),
    "scores must fall as the value rises: lower is better (got {shown})": (
        "分数必须随值升高而降低: 越低越好 (实际为 {shown})"
    ),
    "must sum to 1 (got {total:g})": "之和必须为 1 (实际为 {total:g})",
    "weights of the {dimension} metrics ({value}) must sum to 1 (got {total:g})": (
        "{dimension} 各指标 ({value}) 的权重之和必须为 1 (实际为 {total:g})"
    ),
    "values are {kind}s and must be at least {low} (got {value})": (
        "值是 {kind}，必须至少为 {low} (实际为 {value})"
    ),
    "values are {kind}s and must be between {low} and {high} (got {value})": (
        "值是 {kind}，必须在 {low} 到 {high} 之间 (实际为 {value})"
    ),
}

# the history's alert thresholds (config/history.py)
CONFIG |= {
    "must be 0 or more (got {value})": "必须为 0 或以上 (实际为 {value})",
    "unknown figure (known: {known}) (got {key!r})": "未知的指标 (已有: {known}) (实际为 {key!r})",
}
