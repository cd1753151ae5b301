"""订单报表: the orders export, newest first, with the Excel wrappers Chinese Windows leaves
on ids when asked for."""

from __future__ import annotations

import polars as pl

from tmallcli.sample.columns import lookup, nick, timestamp, tracking_number, yuan
from tmallcli.sample.draws import Shop
from tmallcli.sample.world import (
    BUYER_MESSAGES,
    CARRIERS,
    ITEMS,
    ORDER_STATUS,
    PROVINCES,
    WAREHOUSES,
)


def orders_frame(shop: Shop, orders: pl.DataFrame, wrappers: bool) -> pl.DataFrame:
    order_id = pl.col("order_id").cast(pl.String)
    tracking = (
        pl.when(pl.col("tracking2") >= 0)
        .then(pl.concat_str(tracking_number("tracking1", "carrier"), pl.lit(","),
                            tracking_number("tracking2", "carrier")))
        .otherwise(tracking_number("tracking1", "carrier"))
    )  # fmt: skip
    if wrappers:
        # Excel protection, as the seller center and Excel on Chinese Windows leave it.
        mark = pl.col("leading_mark")
        order_id = (
            pl.when(mark == 1)
            .then(pl.concat_str(pl.lit("\t"), order_id))
            .when(mark == 2)
            .then(pl.concat_str(pl.lit("'"), order_id))
            .otherwise(pl.concat_str(pl.lit('="'), order_id, pl.lit('"')))
        )
        tracking = (
            pl.when(pl.col("trailing_tab"))
            .then(pl.concat_str(tracking, pl.lit("\t")))
            .otherwise(pl.concat_str(pl.lit('="'), tracking, pl.lit('"')))
        )
    address = pl.concat_str(
        lookup([row[0] for row in PROVINCES], "province"),
        lookup([row[1] for row in PROVINCES], "province"),
        lookup([row[2] for row in PROVINCES], "province"),
        pl.lit("***"),
        separator=" ",
    )
    return orders.sort("created", "order_id", descending=True).select(
        order_id.alias("订单编号"),
        nick("buyer", shop.nick_width).alias("买家会员名"),
        pl.lit(pl.Series(shop.item_ids)).gather("item1").cast(pl.String).alias("宝贝ID"),
        lookup([row[0] for row in ITEMS], "item1").alias("宝贝标题"),
        pl.col("kinds").alias("宝贝种类"),
        pl.col("qty").alias("宝贝总数量"),
        yuan("postage").alias("买家应付邮费"),
        yuan("paid_fen").alias("买家实际支付金额"),
        lookup(ORDER_STATUS, "status").alias("订单状态"),
        address.alias("收货地址"),
        timestamp("created").alias("订单创建时间"),
        timestamp("paid").alias("订单付款时间"),
        timestamp("promised").alias("承诺发货时间"),
        timestamp("click").alias("发货时间"),
        lookup([row[0] for row in CARRIERS], "carrier").alias("物流公司"),
        tracking.alias("物流单号 "),  # the real export's header has the trailing space
        lookup([row[0] for row in WAREHOUSES], "warehouse").alias("发货仓"),
        lookup(("当日达", "次日达", "送货上门"), "service").alias("物流服务"),
        timestamp("delivered").alias("签收时间"),
        yuan("auto_fen").alias("延迟发货自动赔付金额"),
        lookup(BUYER_MESSAGES, "message").alias("买家留言"),
    )
