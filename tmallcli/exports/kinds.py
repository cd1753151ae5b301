"""The kinds of seller-center export, their canonical columns and Chinese header aliases
(SPEC §2), and which columns a load reads (:func:`columns_read`).

The one list of the kinds: the CLI's options, ``data check``, the sample generator and the
bench take the names and options from here. Imported at start-up: no Polars here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class ValueType(str, Enum):
    ID = "id"  # order / refund numbers: strings, Excel wrappers stripped, 1.23E+18 rejected
    IDS = "ids"  # several tracking numbers joined by , ; ， or space
    TEXT = "text"  # matched against rules: full-width commas normalised
    FREETEXT = "freetext"  # buyer comments, titles: kept as written
    MONEY = "money"  # integer fen
    DATETIME = "datetime"
    BOOL = "bool"
    SCORE = "score"  # 1–5
    GRADE = "grade"  # 1–5, a 0–4 code, or a word (非常满意): mapped by the rules' config
    INTERVENED = "intervened"  # bool, or a 客服介入状态 text
    SHIPPED = "shipped"  # bool, or 未发货 / 已发货
    RULING = "ruling"  # 卖家责任 / 买家责任 / 无责


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    aliases: tuple[str, ...]
    type: ValueType
    required: bool = False
    # A key that every row must carry (an order number, a timestamp that places the row).
    not_null: bool = False


@dataclass(frozen=True)
class KindSpec:
    name: str
    label: str
    columns: tuple[ColumnSpec, ...]
    # Required columns that may be replaced by another: {column: alternative}.
    alternatives: tuple[tuple[str, str], ...] = ()
    # The date column that gives the export's date range (data check).
    date_column: str | None = None
    # Columns the rules want but can do without (SPEC §2.1 "Required columns, restated"): a
    # file without them is still this kind; ``data check`` lists them as missing.
    expected: tuple[str, ...] = ()

    def column(self, name: str) -> ColumnSpec:
        for spec in self.columns:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def required(self) -> tuple[ColumnSpec, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def option(self) -> str:
        """The command-line option that names this kind's files: ``--cs-ratings``."""
        return option_name(self.name)


def option_name(kind: str) -> str:
    """``--cs-ratings`` for cs_ratings: the option a kind's files are given with."""
    return "--" + kind.replace("_", "-")


V = ValueType
C = ColumnSpec

ORDERS = KindSpec(
    "orders",
    "订单报表",
    (
        C("order_id", ("订单编号", "主订单编号", "订单号"), V.ID, True, not_null=True),
        # SPEC §2.1: the per-item export (2024–26) and partial reports have no buyer, and
        # partial reports no status: only order_id and paid_at are indispensable (the
        # fallbacks for buyer and status live with the rules that read them).
        C("buyer", ("买家会员名", "买家昵称", "买家会员昵称"), V.TEXT),
        C(
            "paid_amount",
            ("买家实际支付金额", "买家实付金额", "实付金额", "实付款", "子单实际支付金额"),
            V.MONEY,
        ),
        C("shipping_fee", ("买家应付邮费",), V.MONEY),
        C("auto_compensation", ("延迟发货自动赔付金额", "主动赔付金额"), V.MONEY),
        C("status", ("订单状态",), V.TEXT),
        C("paid_at", ("订单付款时间", "付款时间"), V.DATETIME, True),
        C("created_at", ("订单创建时间", "下单时间"), V.DATETIME),
        C("shipped_at", ("发货时间", "卖家发货时间"), V.DATETIME),
        C("picked_up_at", ("揽收时间", "揽件时间"), V.DATETIME),
        # 应发货时间: the per-item export's ship-by time (SPEC §2.1).
        C("promised_ship_by", ("承诺发货时间", "最晚发货时间", "应发货时间"), V.DATETIME),
        C("tracking_no", ("物流单号", "运单号"), V.IDS),
        C("carrier", ("物流公司", "快递公司"), V.TEXT),
        C("warehouse", ("发货仓", "仓库"), V.TEXT),
        C("item_id", ("宝贝ID", "商品ID"), V.ID),
        C("item_title", ("宝贝标题", "商品标题"), V.FREETEXT),
        C("sub_order_id", ("子订单编号",), V.ID),
        C("service_promise", ("物流服务", "时效承诺"), V.TEXT),
        C("delivered_at", ("签收时间", "确认签收时间"), V.DATETIME),
        C("promise_broken", ("承诺未履约", "时效违约"), V.BOOL),
        # The classic 订单报表's 店铺名称: the report's title names the shop (SPEC §14).
        C("shop_name", ("店铺名称",), V.FREETEXT),
    ),
    date_column="paid_at",
    expected=("buyer", "status", "paid_amount"),
)

# The item-detail export ``ExportOrderDetailList*.csv`` (SPEC §2.1): one row per item. Its
# headers are the bare 标题 / 价格 (the per-item order export says 商品标题 / 商品价格), which
# is what tells the two apart. With an orders export it names each order's items; alone,
# with its payment columns (2022), it is read as the orders (:mod:`tmallcli.exports.inputs`).
ORDER_ITEMS = KindSpec(
    "order_items",
    "宝贝报表",
    (
        C("order_id", ("订单编号", "主订单编号"), V.ID, True, not_null=True),
        C("sub_order_id", ("子订单编号",), V.ID),
        C("item_title", ("标题",), V.FREETEXT, True),
        C("price", ("价格",), V.MONEY, True),
        C("quantity", ("购买数量",), V.FREETEXT),
        C("item_id", ("商品ID", "宝贝ID"), V.ID),
        C("outer_id", ("商家编码",), V.FREETEXT),
        C("external_id", ("外部系统编号",), V.FREETEXT),
        C("properties", ("商品属性",), V.FREETEXT),
        C("package", ("套餐信息",), V.FREETEXT),
        C("note", ("备注",), V.FREETEXT),
        C("status", ("订单状态",), V.TEXT),
        C("paid_amount", ("买家实际支付金额", "买家实付金额"), V.MONEY),
        C("paid_at", ("订单付款时间", "付款时间"), V.DATETIME),
        C("created_at", ("订单创建时间",), V.DATETIME),
        C("refund_status", ("退款状态",), V.TEXT),
        C("refund_amount", ("退款金额",), V.MONEY),
    ),
    date_column="paid_at",
)

LOGISTICS = KindSpec(
    "logistics",
    "物流详情",
    (
        C("tracking_no", ("物流单号", "运单号"), V.ID, True),
        # 交易号: ERPs that flatten the open-platform trace (SPEC §2.1).
        C("order_id", ("订单编号", "交易号"), V.ID),
        C(
            "event_at",
            ("时间", "物流时间", "操作时间", "状态发生的时间"),
            V.DATETIME,
            True,
            not_null=True,
        ),
        # Free text (SPEC §2), read only for the pickup words, which match either comma:
        # not rewritten (33 M events of a 10 M-order shop: 0.8 s).
        C("event", ("物流状态", "物流详情", "状态", "状态描述"), V.FREETEXT, True),
        # The open-platform action code (GOT = picked up, TRANSPORT, SIGNED …): when an event
        # has one, it tells the pickup instead of the text (config pickup.pickup_actions).
        C("action", ("节点说明", "动作", "action"), V.TEXT),
        C("carrier", ("物流公司名称", "物流公司", "快递公司"), V.TEXT),
    ),
    alternatives=(("tracking_no", "order_id"),),
    date_column="event_at",
)

REVIEWS = KindSpec(
    "reviews",
    "评价",
    (
        # The real review exports name the buyer and the item, not always the order (§2.1).
        C("order_id", ("订单编号", "订单号"), V.ID, not_null=True),
        C("buyer", ("买家会员名", "买家昵称", "评价人", "评价者昵称"), V.TEXT, True, not_null=True),
        C("rated_at", ("评价时间",), V.DATETIME, True, not_null=True),
        # The real review exports carry no per-order DSR (DSR is anonymous, SPEC §2.1): the
        # three scores are optional; `score dsr` then needs the shop page's star counts.
        C("dsr_description", ("宝贝与描述相符", "描述相符"), V.SCORE),
        C("dsr_service", ("卖家的服务态度", "服务态度"), V.SCORE),
        C("dsr_logistics", ("物流服务的质量", "物流服务", "物流服务评分"), V.SCORE),
        C("rating", ("评价结果", "评价", "评价类型"), V.TEXT),
        C("comment", ("评价内容",), V.FREETEXT),
        C("reply", ("解释内容", "评价解释", "商家回复"), V.FREETEXT),
        C("item_id", ("宝贝ID", "商品ID"), V.ID),
        C("item_title", ("宝贝标题", "商品标题"), V.FREETEXT),
    ),
    date_column="rated_at",
)

REFUNDS = KindSpec(
    "refunds",
    "退款",
    (
        C("refund_id", ("退款编号", "退款单号"), V.ID, True, not_null=True),
        C("order_id", ("订单编号",), V.ID, True),
        # The classic export names the buyer: a per-item orders export without one takes it
        # from here by order number (SPEC §2.1 "Required columns, restated").
        C("buyer", ("买家会员名称", "买家会员名", "买家昵称"), V.TEXT),
        C(
            "applied_at",
            ("退款的申请时间", "退款申请时间", "申请时间"),
            V.DATETIME,
            True,
            not_null=True,
        ),
        C("amount", ("买家退款金额", "退款总额", "退给买家金额", "退款金额"), V.MONEY, True),
        # 售后类型 as written (仅退款, 换货, 售后退款 …): mapped by config refunds.type_values.
        C("refund_type", ("售后类型", "退款类型"), V.TEXT, True),
        C("needs_return", ("是否需要退货",), V.BOOL),
        C("reason", ("买家退款原因", "退款原因"), V.TEXT, True),
        C("status", ("退款状态",), V.TEXT, True),
        C("stage", ("售中或售后",), V.TEXT),
        C("goods_status", ("货物状态",), V.TEXT),
        C("shipped", ("是否已发货", "发货状态"), V.SHIPPED),
        C("shipping_info", ("发货物流信息",), V.FREETEXT),
        C("merchant_agreed_at", ("卖家同意退货时间", "同意退货时间"), V.DATETIME),
        C("buyer_returned_at", ("买家退货时间", "买家上传单号时间"), V.DATETIME),
        C("return_tracking_no", ("退货物流单号", "退货运单号"), V.IDS),
        C("completed_at", ("退款完结时间", "完结时间", "退款完成时间"), V.DATETIME),
        C("platform_intervened", ("客服介入状态", "是否小二介入", "小二介入"), V.INTERVENED),
        C("ruling", ("责任方", "判责结果"), V.RULING),
        C("signed_at", ("签收时间",), V.DATETIME),
        C("shop_name", ("店铺名称",), V.FREETEXT),  # the 2024 export's; the report's title
    ),
    alternatives=(("refund_type", "needs_return"),),
    date_column="applied_at",
)

CHATS = KindSpec(
    "chats",
    "旺旺聊天记录",
    (
        C("buyer", ("买家", "顾客", "买家昵称"), V.TEXT, True, not_null=True),
        C("sent_at", ("时间", "发送时间", "消息时间"), V.DATETIME, True, not_null=True),
        C("sender", ("发送方", "发送人"), V.TEXT, True),
        C("direction", ("方向", "消息方向"), V.TEXT),
        C("is_auto", ("是否自动回复", "自动回复"), V.BOOL),
        C("is_assistant", ("是否机器人", "店小蜜"), V.BOOL),
    ),
    date_column="sent_at",
)

CS_RATINGS = KindSpec(
    "cs_ratings",
    "客服评价",
    (
        C("rated_at", ("评价时间", "最后一次评价的时间"), V.DATETIME, True, not_null=True),
        C("account", ("客服子账号", "客服", "子账号"), V.TEXT, True, not_null=True),
        # The open-platform form (SPEC §2.1): its account has a `cntaobao` prefix, its 评分
        # and 评价来源 are codes. A row from such a file is told by this column being there.
        C("platform_account", ("发送评价邀请的商家客服昵称",), V.TEXT, not_null=True),
        # 1–5, a word (非常满意 … 非常不满意) or an open-platform code 0–4: config cs.score_words
        # and cs.score_codes map them (metrics/cs_ratings.py).
        C("score", ("评分", "评价分", "评价结果"), V.GRADE, True),
        C("tags", ("标签", "评价标签"), V.FREETEXT),
        C("source", ("评价来源", "邀评方式"), V.TEXT),
        C("buyer", ("买家", "买家昵称", "顾客名称", "接收评价的消费者昵称"), V.TEXT),
        C("shop_name", ("店铺", "店铺名称"), V.FREETEXT),  # the report's title (SPEC §14)
    ),
    alternatives=(("account", "platform_account"),),
    date_column="rated_at",
)

COMPLAINTS = KindSpec(
    "complaints",
    "投诉",
    (
        C("complaint_id", ("投诉编号", "投诉单号"), V.ID, True, not_null=True),
        C("order_id", ("订单编号",), V.ID, True),
        C("created_at", ("投诉时间", "发起时间"), V.DATETIME, True, not_null=True),
        C("judged_at", ("判定时间", "处理完成时间"), V.DATETIME),
        C("established", ("是否成立", "投诉成立"), V.BOOL, True),
        C("platform_intervened", ("是否小二介入", "小二介入"), V.BOOL),
        C("type", ("投诉类型",), V.TEXT),
    ),
    date_column="created_at",
)

KINDS: dict[str, KindSpec] = {
    k.name: k
    for k in (ORDERS, LOGISTICS, REVIEWS, REFUNDS, CHATS, CS_RATINGS, COMPLAINTS, ORDER_ITEMS)
}
# The kinds in the order the CLI, data check and reports list them, and each one's option.
KIND_NAMES: tuple[str, ...] = tuple(KINDS)
OPTION_NAMES: dict[str, str] = {name: kind.option for name, kind in KINDS.items()}


# Columns that tell two otherwise equal rows apart (two items of one order are not duplicates).
IDENTITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("sub_order_id", "item_id"),
    "order_items": ("sub_order_id", "item_id", "outer_id", "item_title", "properties"),
    "reviews": ("item_id",),
    "refunds": ("refund_id",),
    "complaints": ("complaint_id",),
    # Two buyers can give one agent the same score and tag in the same second (a 1M-order
    # shop's ratings have a few such pairs): with a 买家 column they stay two ratings.
    "cs_ratings": ("buyer",),
}


def columns_read(kind: KindSpec, columns: Iterable[str] | None, present: set[str]) -> list[str]:
    """The columns read as values: those asked for (every one when ``None``), the kind's
    key columns (a row without one is no record), identity columns and stand-ins.

    A required column the command does not use is not read (SPEC §12: only the columns a
    command needs): its header must be there, its cells are split but not checked, so a
    bad 买家实付金额 does not stop ``audit refunds``, which counts orders by number and
    payment time. ``tmall data check`` reads every column."""
    if columns is None:
        names = {c.name for c in kind.columns}
    else:
        names = set(columns) | {c.name for c in kind.columns if c.not_null}
        names |= {c for c in IDENTITY_COLUMNS.get(kind.name, ()) if c in present}
        # Inputs that stand in for another column (SPEC §2: derived when absent).
        names |= {alt for col, alt in kind.alternatives if col in names}
        if kind.name == "refunds" and "shipped" in names:
            names.add("shipping_info")
    return [c.name for c in kind.columns if c.name in names]


# --------------------------------------------------------------------- DSR page summary (§3)
# Not an export of rows: the shop's DSR page (店铺动态评分) written down as a small table, one
# line per dimension (exports/dsr_summary.py reads it). ``--dir`` tells it by its headers: a
# dimension column with either the five star columns (counts, or percentages: a header with
# 占比 / % or cells with a % sign) or the score and the raters.
DSR_DIMENSION_NAMES: dict[str, tuple[str, ...]] = {
    "description": ("description", "宝贝与描述相符", "描述相符"),
    "service": ("service", "卖家的服务态度", "服务态度"),
    "logistics": ("logistics", "物流服务的质量", "物流服务", "物流服务评分"),
}
_STAR_WORDS = {5: "五", 4: "四", 3: "三", 2: "二", 1: "一"}
DSR_SUMMARY_COLUMNS: dict[str, tuple[str, ...]] = {
    "dimension": ("维度", "评分项", "评分维度", "项目", "dimension"),
    "score": ("评分", "动态评分", "得分", "分数", "score"),
    "raters": ("评分人数", "评价人数", "人数", "raters"),
    **{
        f"star{s}": (f"{s}星", f"{_STAR_WORDS[s]}星", f"{s}分", f"star{s}", f"{s}_star")
        for s in (5, 4, 3, 2, 1)
    },
    **{
        f"star{s}_percent": (
            f"{s}星占比",
            f"{_STAR_WORDS[s]}星占比",
            f"{s}星(%)",
            f"{s}星%",
            f"{s}分占比",
            f"star{s}_percent",
        )
        for s in (5, 4, 3, 2, 1)
    },
}
