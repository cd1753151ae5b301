"""zh for what the runs and the rules say: options that do not fit, notes on the results."""

from __future__ import annotations

RUNS: dict[str, str] = {
    # the report date (timeframe.py)
    "--as-of: not a date in the form YYYY-MM-DD (got {text!r})": (
        "--as-of: 不是 YYYY-MM-DD 格式的日期 (实际为 {text!r})"
    ),
    "{option}: not a date in the form YYYY-MM-DD (got {text!r})": (
        "{option}: 不是 YYYY-MM-DD 格式的日期 (实际为 {text!r})"
    ),
    # orders without some columns (runs/orders.py)
    "orders: the export has no 订单状态 (status): an order counts as paid when it has a payment time and a paid amount above 0; closed orders (交易关闭) cannot be left out": (
        "orders: 导出文件没有 订单状态: 有付款时间且实付金额大于 0 的订单算作已付款；"
        "无法排除已关闭的订单 (交易关闭)"
    ),
    "orders: the export has no 订单状态 (status): an order counts as paid when it has a payment time; closed orders (交易关闭) cannot be left out": (
        "orders: 导出文件没有 订单状态: 有付款时间的订单算作已付款；无法排除已关闭的订单 (交易关闭)"
    ),
    "; {dropped} order(s) not paid were left out": "；已排除 {dropped} 个未付款订单",
    "orders: {missing} order(s) have no buyer (买家会员名)": "orders: {missing} 个订单没有买家 (买家会员名)",
    "{filled} taken by order number from the {exports} export": (
        "{filled} 个按订单编号从 {exports} 导出文件中补上"
    ),
    "{left} are each their own compensation group (a buyer's late orders paid within 24 h cannot be merged)": (
        "{left} 个各自单独成为一个赔付组 (同一买家 24 小时内付款的延迟订单无法合并)"
    ),
    "orders: the export has no paid amount (买家实付金额): the pickup rate is computed, but the watchlist shows each order's minimum compensation only (5 yuan), and compensation cannot be computed": (
        "orders: 导出文件没有实付金额 (买家实付金额): 揽收率照常计算，但关注清单只显示每单的最低赔付 "
        "(5 元)，赔付金额无法计算"
    ),
    # DSR (runs/dsr.py, metrics/dsr_stars.py)
    "the reviews export has no DSR columns: DSR from the page's star counts only": (
        "评价导出文件没有 DSR 列: DSR 只按店铺页面的星级人数计算"
    ),
    "{option}: expected DIMENSION=N5,N4,N3,N2,N1 with DIMENSION one of description, service, logistics (or 描述相符, 服务态度, 物流服务) (got {item!r})": (
        "{option}: 应为 维度=N5,N4,N3,N2,N1，维度是 description、service、logistics "
        "(或 描述相符、服务态度、物流服务) 之一 (实际为 {item!r})"
    ),
    "{option} {value}: expected 5 whole counts of 5, 4, 3, 2 and 1 stars, e.g. 30,10,5,3,2 (got {text!r})": (
        "{option} {value}: 应为 5、4、3、2、1 星的 5 个整数人数，例如 30,10,5,3,2 (实际为 {text!r})"
    ),
    "--stars: {key} given twice": "--stars: {key} 给了两次",
    "--add: {key} given twice": "--add: {key} 给了两次",
    "--add {exc}": "--add {exc}",
    "--add needs the page's star counts: --stars or --summary FILE": (
        "--add 需要店铺页面的星级人数: --stars 或 --summary FILE"
    ),
    "DSR summary: {dimension} is given by {origin} and {other}: keep one": (
        "DSR 汇总: {dimension} 同时由 {origin} 和 {other} 给出: 请只保留一个"
    ),
    "give the reviews export (--reviews FILE) or the shop page's star counts (--stars description=30,10,5,3,2, --summary FILE), or --dir DIR": (
        "请给出评价导出文件 (--reviews FILE) 或店铺页面的星级人数 "
        "(--stars description=30,10,5,3,2、--summary FILE)，或 --dir DIR"
    ),
    "expected 5 counts (5★ 4★ 3★ 2★ 1★), got {n_counts}": "应有 5 个人数 (5★ 4★ 3★ 2★ 1★)，实际为 {n_counts} 个",
    "a star count cannot be negative": "星级人数不能为负数",
    "the counts add up to {sum} ratings, not the {raters} raters given": (
        "各星级人数合计 {sum} 个评分，与给出的评分人数 {raters} 不符"
    ),
    "a DSR score is between 1 and 5 (got {score:g})": "DSR 评分在 1 到 5 之间 (实际为 {score:g})",
    "the score needs the number of raters (评分人数) above 0": "评分需要大于 0 的评分人数",
    "the number of raters cannot be negative": "评分人数不能为负数",
    "expected 5 percentages (5★ 4★ 3★ 2★ 1★), got {n_percents}": (
        "应有 5 个百分比 (5★ 4★ 3★ 2★ 1★)，实际为 {n_percents} 个"
    ),
    "a percentage is between 0 and 100": "百分比在 0 到 100 之间",
    "the percentages give {ratings} ratings, not the {raters} raters the page states (each share is rounded); {off} rating(s) added to the stars rounded the most": (
        "按百分比算出 {ratings} 个评分，而页面写的是 {raters} 人 (每个占比都经过四舍五入)；"
        "已给舍入最多的星级加上 {off} 个评分"
    ),
    "the percentages give {ratings} ratings, not the {raters} raters the page states (each share is rounded); {off} rating(s) taken from the stars rounded the most": (
        "按百分比算出 {ratings} 个评分，而页面写的是 {raters} 人 (每个占比都经过四舍五入)；"
        "已从舍入最多的星级减去 {off} 个评分"
    ),
    "the percentages cannot give the number of raters": "这些百分比无法得出评分人数",
    "counts derived from percentages shown with {decimals} decimal(s): each may be off by up to {value} rating(s)": (
        "人数由显示 {decimals} 位小数的百分比推算: 每个最多可能相差 {value} 个评分"
    ),
    "{key}: no star counts to add to (give the page's figures for it)": (
        "{key}: 没有可以累加的星级人数 (请给出页面上的数字)"
    ),
    # 24小时揽收 (runs/pickup.py, metrics/pickup.py)
    "pickup_24h_rate needs the pickup time: --logistics (tracking events) or a 揽收时间 column (发货时间 is the seller's click, not a pickup)": (
        "pickup_24h_rate 需要揽收时间: --logistics (物流详情) 或 揽收时间 列 "
        "(发货时间 是卖家点击发货的时间，不是揽收)"
    ),
    "--preset: unknown preset {preset!r} (known: {known})": "--preset: 未知的预设 {preset!r} (已有: {known})",
    "no pickup time: the orders export has no 揽收时间 column and no --logistics was given, so every order counts as not picked up; the rate cannot be computed from 发货时间 (shipped_at), which is the seller's click, not the courier's pickup": (
        "没有揽收时间: 订单导出文件没有 揽收时间 列，也没有给出 --logistics，所以每个订单都算作未揽收；"
        "揽收率不能用 发货时间 (shipped_at) 计算，那是卖家点击发货的时间，不是快递揽收"
    ),
    # compensation (runs/compensation.py, runs/report.py)
    "cannot tell which orders shipped: the orders export has neither 揽收时间 (picked_up_at) nor 发货时间 (shipped_at)": (
        "无法判断哪些订单已发货: 订单导出文件既没有 揽收时间 (picked_up_at) 也没有 发货时间 (shipped_at)"
    ),
    "{reason}; give --logistics FILE": "{reason}；请给出 --logistics FILE",
    "cannot tell which orders shipped: the orders export has neither 揽收时间 nor 发货时间 and there is no logistics export": (
        "无法判断哪些订单已发货: 订单导出文件既没有 揽收时间 也没有 发货时间，也没有物流导出文件"
    ),
    # 售后 (metrics/refunds/)
    "dispute_refund_rate needs --orders for the denominator": "dispute_refund_rate 需要 --orders 作为分母",
    "dispute_refund_rate: no orders paid on {start} … {end} in the orders export": (
        "dispute_refund_rate: 订单导出文件中 {start} … {end} 没有付款的订单"
    ),
    "return_refund_hours: {approximated} 退货退款 refund(s) have no 卖家同意退货时间; the application time stands in for it, so the buyer's time counts from the application and the seller's time is a lower bound (an approximation)": (
        "return_refund_hours: {approximated} 笔退货退款没有 卖家同意退货时间；用申请时间代替，"
        "所以买家用时从申请算起，卖家用时是下限 (近似值)"
    ),
    "refunds: {total} refund(s) with a 售后类型 refunds.type_values does not know: {listed}; typed from the row ({returns} 退货退款 with a return upload, {value} 仅退款); map them in refunds.type_values": (
        "refunds: {total} 笔退款的 售后类型 不在 refunds.type_values 中: {listed}；已按行内容判断类型 "
        "({returns} 笔有退货信息的 退货退款，{value} 笔 仅退款)；请在 refunds.type_values 中对应它们"
    ),
    "auto-refund rule {name!r} checks {condition} but the refunds export has no {header} values, so it matches no refund": (
        "自动退款规则 {name!r} 检查 {condition}，但退款导出文件没有 {header} 的值，所以它匹配不到任何退款"
    ),
    # 客服评价 (runs/cs.py, metrics/cs_ratings.py)
    "--check needs a target: --min-average A, or cs.min_average in the config": (
        "--check 需要目标值: --min-average A，或配置中的 cs.min_average"
    ),
    "give one period: {value}, not both": "请只给一个时段: {value}，不要同时给",
    "--last: must be at least 1 day (got {last})": "--last: 至少为 1 天 (实际为 {last})",
    "--from and --to go together": "--from 和 --to 要一起给",
    "e.g. --from 2026-11-01 --to 2026-11-19": "例如 --from 2026-11-01 --to 2026-11-19",
    "--from {start} is after --to {end}": "--from {start} 晚于 --to {end}",
    "the period ends {end}, after the report date {as_of}": "时段结束于 {end}，晚于报告日期 {as_of}",
    "set --as-of, or end the period on or before it": "请设置 --as-of，或让时段在它当天或之前结束",
    "period is {days} days; the longest is {max_days} (最长可显示3个月)": (
        "时段为 {days} 天；最长 {max_days} 天 (最长可显示3个月)"
    ),
    "use --last {max_days} or a shorter --from/--to range": "请用 --last {max_days} 或更短的 --from/--to 范围",
    "cs_ratings: {total} rating(s) with a grade the config does not know left out: {listed} (map them in cs.score_words or cs.score_codes)": (
        "cs_ratings: 已排除 {total} 个配置不认识的评价等级: {listed} "
        "(请在 cs.score_words 或 cs.score_codes 中对应它们)"
    ),
    "--account {name!r} matches several sub-accounts: {value}": "--account {name!r} 匹配到多个子账号: {value}",
    "give the full name, 店铺:名字": "请给出完整名称 店铺:名字",
    "--account: no ratings of {name!r} in the export (accounts: {listed})": (
        "--account: 导出文件中没有 {name!r} 的评价 (子账号: {listed})"
    ),
    # 基础服务考核分 (runs/service.py, metrics/service_score.py)
    "a rate from 0 to 1 or a percentage, e.g. 0.97 or 97%": "0 到 1 的比率或百分比，例如 0.97 或 97%",
    "a score from 0 to 5, e.g. 4.75": "0 到 5 的分数，例如 4.75",
    "hours or seconds, 0 or more, e.g. 36.5": "小时数或秒数，0 或以上，例如 36.5",
    "a number": "一个数字",
    "--set: expected METRIC=VALUE with METRIC one of {value} (got {item!r})": (
        "--set: 应为 指标=值，指标是 {value} 之一 (实际为 {item!r})"
    ),
    "--set {key}: not a number (got {text!r}); expected {value}": (
        "--set {key}: 不是数字 (实际为 {text!r})；应为 {value}"
    ),
    "--set {key}: {text} is out of range; expected {value}": "--set {key}: {text} 超出范围；应为 {value}",
    "give at least one export: --orders, --logistics, --reviews, --refunds, --chats, --complaints, the DSR page's --stars / --summary, or --dir DIR": (
        "请至少给出一个导出文件: --orders、--logistics、--reviews、--refunds、--chats、--complaints、"
        "DSR 页面的 --stars / --summary，或 --dir DIR"
    ),
    "--strict: metrics without their export: {metrics} (give {options})": (
        "--strict: 以下指标缺少导出文件: {metrics} (请给出 {options})"
    ),
    "left out and the other weights renormalised: {metrics}": "未计入，其余权重已重新归一: {metrics}",
    # 中差评 (runs/triage.py)
    "--days: must be at least 1 (got {days})": "--days: 至少为 1 (实际为 {days})",
    "--limit: must be 0 (all) or more (got {limit})": "--limit: 必须为 0 (全部) 或以上 (实际为 {limit})",
    # data check (runs/data.py)
    "--kind: unknown kind {kind!r} (one of {value})": "--kind: 未知的导出类型 {kind!r} (可选: {value})",
    # freshness (runs/freshness.py, SPEC §14)
    "stale {kind} export: its newest row is {newest}, {days} days before the as-of date {as_of} (freshness.max_lag_days: {max}); its figures may be out of date: download a fresh export, or give --as-of for the day it covers": (
        "{kind} 导出文件已过期: 最新一行是 {newest}，比统计日期 {as_of} 早 {days} 天 "
        "(freshness.max_lag_days: {max})；相关数字可能已过时: 请下载新的导出文件，"
        "或用 --as-of 指定它所覆盖的日期"
    ),
    # the sample shop (sample/)
    "--encoding must be utf-8 or gb18030 (got {name!r})": "--encoding 必须是 utf-8 或 gb18030 (实际为 {name!r})",
    "--orders must be between 1 and {most:,} (got {orders})": "--orders 必须在 1 到 {most:,} 之间 (实际为 {orders})",
    "--seed must be a non-negative integer (got {seed})": "--seed 必须是非负整数 (实际为 {seed})",
    "unknown kind for a BOM: {value}": "BOM 的导出类型未知: {value}",
    "--out {out_dir} exists and is not a folder": "--out {out_dir} 已存在且不是文件夹",
}

# the payout ledger (ledger.py)
RUNS |= {
    "{path}: is a folder, not a ledger file": "{path}: 是文件夹，不是台账文件",
    "{path}: cannot create the ledger (no folder {parent})": "{path}: 无法创建台账 (没有文件夹 {parent})",
    "{path}: cannot open the ledger ({exc})": "{path}: 无法打开台账 ({exc})",
    "{path}: ledger is busy (another tmall run holds it)": "{path}: 台账正被占用 (另一个 tmall 正在使用它)",
    "try again when the other run has finished": "请等另一个运行结束后再试",
    "{path}: not a tmall ledger (not an SQLite database)": "{path}: 不是 tmall 台账 (不是 SQLite 数据库)",
    "{path}: the ledger is read-only ({text})": "{path}: 台账是只读的 ({text})",
    "{path}: ledger error ({text})": "{path}: 台账出错 ({text})",
    "{path}: ledger schema version {version} is newer than this tmall supports ({supported})": (
        "{path}: 台账的结构版本 {version} 比这个 tmall 支持的 ({supported}) 新"
    ),
    "upgrade tmall to use this ledger": "请升级 tmall 后再使用这个台账",
    "{path}: not a tmall ledger (an SQLite database with other tables: {tables})": (
        "{path}: 不是 tmall 台账 (是含有其他表的 SQLite 数据库: {tables})"
    ),
    "{path}: not a tmall ledger (tables {tables} missing)": "{path}: 不是 tmall 台账 (缺少表 {tables})",
    "{path}: no such ledger file": "{path}: 找不到台账文件",
}

# the report's folder and the sample shop (runs/report.py, sample/)
RUNS |= {
    "folder (not searched)": "文件夹 (未搜索)",
    "not an export file ({suffixes})": "不是导出文件 ({suffixes})",
    "not read": "未读取",
    "{done:,}/{orders:,} orders": "{done:,}/{orders:,} 个订单",
}

# what a run could not do for want of an export (runs/report.py, runs/dsr.py, runs/orders.py)
RUNS |= {
    "no {kinds} export": "没有 {kinds} 导出文件",
    "{section}: skipped ({reason})": "{section}: 已跳过 ({reason})",
    "the reviews export has no DSR columns (DSR ratings are anonymous to the seller): give the star counts of the shop's DSR page: --stars description=N5,N4,N3,N2,N1 (and service, logistics) or --summary FILE": (
        "评价导出文件没有 DSR 列 (DSR 评分对卖家是匿名的): 请给出店铺 DSR 页面的星级人数: "
        "--stars description=N5,N4,N3,N2,N1 (以及 service、logistics) 或 --summary FILE"
    ),
    "compensation needs the amount the buyer paid: the orders export has no 买家实际支付金额 / 买家实付金额 (paid_amount) column": (
        "赔付需要买家实付金额: 订单导出文件没有 买家实际支付金额 / 买家实付金额 (paid_amount) 列"
    ),
    "group {group} is owed {fen} fen more, but every order of it is already in the ledger: pay it by hand": (
        "赔付组 {group} 还应多付 {fen} 分，但它的每个订单都已记入台账: 请手动支付"
    ),
}

# marking the ledger's lines (runs/compensation.py, payout_file.py)
RUNS |= {
    "--since needs --ledger FILE (it sets where the ledger starts)": (
        "--since 需要 --ledger FILE (它设定台账从哪一天开始)"
    ),
    "--file marks what the file says: give it without --run/--line/--buyer": (
        "--file 按文件内容登记: 请不要同时给出 --run/--line/--buyer"
    ),
    "say which lines: --run ID, --line ID, --buyer NICK, --order ID or --file": (
        "请指明哪些行: --run ID、--line ID、--buyer NICK、--order ID 或 --file"
    ),
    "first run on this ledger: {lines} line(s), {yuan} yuan are for orders paid before {day} (more than {days} days back); give --since DATE to leave older orders out (try it with --dry-run first)": (
        "这是该台账的第一次运行: 其中 {lines} 行、{yuan} 元是 {day} 之前付款的订单 "
        "(超过 {days} 天前)；用 --since DATE 可以不计更早的订单 (先用 --dry-run 试一下)"
    ),
    "cannot read the file as UTF-8 or GB18030 text": "无法按 UTF-8 或 GB18030 文本读取该文件",
    "not an amount in yuan": "不是以元为单位的金额",
    "not a list of line IDs": "不是台账行号列表",
    "empty file: expected the payout CSV or a red-packet record": "空文件: 应为待发红包 CSV 或红包发放记录",
    "the payout CSV has no 已发放 (paid) column": "待发红包 CSV 没有 已发放 列",
    "add it and mark each red packet sent with 是, then hand the file back": (
        "请加上这一列，在每个已发出的红包那行填 是，再交回这个文件"
    ),
    "not yes or no": "不是 是 或 否",
    "neither the payout CSV (行号 / Line IDs) nor a red-packet record (buyer and amount columns)": (
        "既不是待发红包 CSV (行号 / Line IDs)，也不是红包发放记录 (买家和金额列)"
    ),
}

# the history (history.py, sqlite_file.py, runs/history.py, runs/backfill.py)
RUNS |= {
    "{path}: no such history file": "{path}: 找不到历史记录文件",
    "{path}: is a folder, not a history file": "{path}: 是文件夹，不是历史记录文件",
    "{path}: cannot create the history (no folder {parent})": (
        "{path}: 无法创建历史记录 (没有文件夹 {parent})"
    ),
    "{path}: cannot open the history ({exc})": "{path}: 无法打开历史记录 ({exc})",
    "{path}: history is busy (another tmall run holds it)": (
        "{path}: 历史记录正被占用 (另一个 tmall 正在使用它)"
    ),
    "{path}: not a tmall history (not an SQLite database)": (
        "{path}: 不是 tmall 历史记录 (不是 SQLite 数据库)"
    ),
    "{path}: the history is read-only ({text})": "{path}: 历史记录是只读的 ({text})",
    "{path}: history error ({text})": "{path}: 历史记录出错 ({text})",
    "{path}: history schema version {version} is newer than this tmall supports ({supported})": (
        "{path}: 历史记录的结构版本 {version} 比这个 tmall 支持的 ({supported}) 新"
    ),
    "upgrade tmall to use this history": "请升级 tmall 后再使用这个历史记录",
    "{path}: not a tmall history (an SQLite database with other tables: {tables})": (
        "{path}: 不是 tmall 历史记录 (是含有其他表的 SQLite 数据库: {tables})"
    ),
    "{path}: not a tmall history (tables {tables} missing)": (
        "{path}: 不是 tmall 历史记录 (缺少表 {tables})"
    ),
    "--metric: unknown figure {metric!r} (known: {known})": (
        "--metric: 未知的指标 {metric!r} (已有: {known})"
    ),
    "{path} holds {count} shops: pick one with --shop ({shops})": (
        "{path} 中有 {count} 个店铺: 请用 --shop 选一个 ({shops})"
    ),
    "--shop: {shop!r} has no figures in {path} (shops: {shops})": (
        "--shop: {path} 中没有 {shop!r} 的数据 (店铺: {shops})"
    ),
    "--shop: {shop!r} has no figures in {path} (shops: none)": (
        "--shop: {path} 中没有 {shop!r} 的数据 (没有任何店铺)"
    ),
    "--from {start} --to {end} is {count} days: at most {most} at once": (
        "--from {start} --to {end} 共 {count} 天: 一次最多 {most} 天"
    ),
    "history: {metric} worsened by {worsening:.4g} points since {before} ({was:.4g} → {now:.4g}; history.max_drop.{metric} is {max_drop:g})": (
        "history: {metric} 自 {before} 以来变差了 {worsening:.4g} 分 "
        "({was:.4g} → {now:.4g}；history.max_drop.{metric} 为 {max_drop:g})"
    ),
    "history: {metric} worsened by {worsening:.4g} percentage points since {before} ({was:.4g} → {now:.4g}; history.max_drop.{metric} is {max_drop:g})": (
        "history: {metric} 自 {before} 以来变差了 {worsening:.4g} 个百分点 "
        "({was:.4g} → {now:.4g}；history.max_drop.{metric} 为 {max_drop:g})"
    ),
    "history: {metric} worsened by {worsening:.4g} hours since {before} ({was:.4g} → {now:.4g}; history.max_drop.{metric} is {max_drop:g})": (
        "history: {metric} 自 {before} 以来变差了 {worsening:.4g} 小时 "
        "({was:.4g} → {now:.4g}；history.max_drop.{metric} 为 {max_drop:g})"
    ),
    "history: {metric} worsened by {worsening:.4g} seconds since {before} ({was:.4g} → {now:.4g}; history.max_drop.{metric} is {max_drop:g})": (
        "history: {metric} 自 {before} 以来变差了 {worsening:.4g} 秒 "
        "({was:.4g} → {now:.4g}；history.max_drop.{metric} 为 {max_drop:g})"
    ),
}
