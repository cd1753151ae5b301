"""The HTML report's own words, Chinese and English (the sections' come from their commands)."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "toc": ("目录", "Contents"),
    "scores": ("评分", "Scores"),
    "todo": ("今日待办", "To do today"),
    "worst": ("失分最多的 3 项", "The 3 factors costing the most"),
    "charts": ("图表", "Charts"),
    "details": ("明细", "Details"),
    "diagnosis": ("诊断", "Diagnosis"),
    "rows": ("{n} 行", "{n} rows"),
    "rows.cut": ("显示前 {shown} 行, 共 {total} 行", "first {shown} of {total} rows"),
    "rows.more": (
        "只显示前 {shown} 行, 共 {total} 行; 完整列表: {command} -f json",
        "Showing the first {shown} of {total} rows; the full list: {command} -f json",
    ),
    "threshold": ("门槛", "threshold"),
    "score": ("得分", "score"),
    "points_lost": ("失分", "points lost"),
    "no_evidence": ("无明细", "no detail"),
    "footer": (
        "由 tmall {version} 生成 · 离线文件, 不引用任何外部资源 · 图表: pygal (SVG)",
        "Made by tmall {version} · offline file, no external resources · charts: pygal (SVG)",
    ),
    "files": ("读取的文件", "Files read"),
    "ignored": ("忽略的文件", "Files ignored"),
    "skipped": ("未生成的部分", "Sections not produced"),
    "nothing_failed": ("没有未达标的考核项。", "No check failed."),
    "failed_checks": ("未达标的考核项", "Checks that failed"),
    # charts
    "chart.dsr": ("店铺动态评分走势与滚出预测", "DSR trend and roll-off forecast"),
    "chart.dsr.note": (
        "每天结束时的180天窗口评分 (同单一次、每人每月最多3次、评价半小时后显示); "
        "{as_of} 之后的虚线: 没有新评分时, 旧评分滚出窗口后的评分。",
        "The 180-day score at the end of each day (one rating per order, at most 3 per buyer "
        "a month, shown 30 minutes after rating); dashed after {as_of}: the score as old "
        "ratings leave the window with no new ones.",
    ),
    "chart.dsr.partial": (
        "导出最早的评分在 {first}: {complete} 之前的窗口可能缺少更早的评分。",
        "The export's first rating is on {first}: windows before {complete} may miss older ratings.",
    ),
    "chart.dsr.forecast": ("{name} (预测)", "{name} (forecast)"),
    "chart.threshold": ("活动门槛 {value}", "activity threshold {value}"),
    "chart.demotion": ("降权线 {value}", "demotion line {value}"),
    "chart.breakdown": ("基础服务考核分: 各指标失分", "Service score: points lost per metric"),
    "chart.breakdown.note": (
        "总分 {total} = 5 − 各指标失分之和; 失分 = (5 − 得分) × 权重。",
        "Total {total} = 5 − the points lost; points lost = (5 − score) × weight.",
    ),
    "chart.pickup": ("24小时揽收及时率 (按付款日期)", "24h pickup rate by payment date"),
    "chart.pickup.note": (
        "付款日期 {start} … {end}; 虚线为整体 {rate}。",
        "Paid {start} … {end}; dashed: the whole window, {rate}.",
    ),
    "chart.pickup.rate": ("揽收及时率", "pickup rate"),
    "chart.pickup.overall": ("整体", "whole window"),
    "chart.misses": ("旺旺咨询: 各时段漏回", "Wangwang consultations missed by hour"),
    "chart.misses.note": (
        "咨询日期 {start} … {end}, 按买家首条消息的时段; 红色为当天未回复的咨询。",
        "Consultations {start} … {end} by the hour of the buyer's first message; red: not "
        "answered the same day.",
    ),
    "chart.misses.answered": ("已回复", "answered"),
    "chart.misses.missed": ("漏回", "missed"),
    "chart.refunds": ("退款自主完结时长 (小时)", "Refund completion time (hours)"),
    "chart.refunds.note": (
        "{start} … {end} 完结且未经小二介入的退款; 退货退款已扣除买家寄回时间。"
        "最慢一笔取自最慢的 {limit} 笔, 不在其中的类型不显示。",
        "Refunds completed {start} … {end} without platform intervention; return refunds "
        "exclude the buyer's shipping time. The slowest comes from the {limit} slowest "
        "refunds; a type not among them shows none.",
    ),
    "chart.refunds.mean": ("平均", "mean"),
    "chart.refunds.max": ("最慢一笔", "slowest"),
    "chart.refunds.count": ("{type} ({n} 笔)", "{type} ({n})"),
    "no_data": ("无数据", "no data"),
}
