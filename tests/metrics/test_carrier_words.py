"""The carriers' own tracking texts against the default pickup words (SPEC §2.1, issue 23): each
carrier's pickup phrase is a pickup, and no delivery text is — 收件 and 取件 hide in 收件人,
代收件 and 请凭取件码取件."""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import default_config
from tmallcli.metrics.shipping import PickupWords, is_pickup_event

WORDS = PickupWords.from_config(default_config().pickup)

PICKUPS = [
    ("中通", "【杭州市】中通快递 萧山网点 快递员 吴昊 已揽收"),
    ("中通", "【杭州市】萧山网点 的 吴昊 已收件，电话：13800000000"),
    ("韵达", "【浙江杭州萧山区公司】 已揽件"),
    ("韵达", "【浙江杭州萧山区公司】收件员 王磊 已收件"),
    ("申通", "【浙江杭州萧山公司】的收件员【李强】已收件"),
    ("申通", "【浙江杭州萧山公司】-【李强】已揽收"),
    ("圆通", "【浙江省杭州市萧山区公司】 已揽收"),
    ("圆通", "【浙江省杭州市萧山区公司】 揽收成功"),
    ("百世", "【杭州萧山】，【张伟】已揽件"),
    ("顺丰", "顺丰速运 已收取快件"),
    ("顺丰", "【深圳市】顺丰速运 已收取快件，收派员：陈晨"),
    ("邮政", "【杭州市萧山区揽投部】已收寄，揽投员：赵敏，电话：13900000000"),
    ("EMS", "【杭州市邮政速递物流萧山营业部】已收寄"),
    ("EMS", "【杭州萧山揽投部】揽投员已收件"),
    ("京东", "京东快递 您的快件已由【杭州萧山营业部】 已取件"),
    ("德邦", "【德邦快递 杭州萧山营业部】已取件，快递员：孙浩"),
    ("极兔", "【杭州萧山网点】快件已揽收"),
    ("菜鸟", "【菜鸟仓】包裹已出库，正在发往分拨中心"),
    ("菜鸟", "【杭州菜鸟中转】您的包裹已进入分拨中心"),
    ("菜鸟", "已完成分拨集包"),
    ("菜鸟", "包裹已从分拨中心发出"),
]

NOT_PICKUPS = [
    ("中通", "【杭州市】快件已被 菜鸟驿站【翠苑店】 代收，请及时取件。"),
    ("中通", "您的快件已签收，签收人：收件人本人，感谢使用中通快递"),
    ("韵达", "快件已被【丰巢智能快递柜】代收件，请凭取件码取件"),
    ("韵达", "【浙江杭州西湖区公司】派件员 刘洋 正在为您派件"),
    ("申通", "您的快件已由本人签收"),
    ("顺丰", "快件交给张三，正在派送途中（联系电话：13800000000）"),
    ("顺丰", "已签收，感谢使用顺丰，期待再次为您服务"),
    ("邮政", "【杭州市西湖区揽投部】安排投递，预计22:00前投递，揽投员：钱进"),
    ("EMS", "已妥投，投递并签收，签收人：他人收 收件人"),
    ("京东", "您的订单已由本人签收。感谢您在京东购物"),
    ("德邦", "您的快件已被 快递柜 取出，收件人已取件"),
    ("菜鸟", "您的包裹已到【菜鸟驿站】，请凭取件码 3-2-1108 取件"),
    ("菜鸟", "包裹待取件，地址：西湖区翠苑三区"),
    ("通用", "已通知快递员上门揽件"),
    ("通用", "等待揽件"),
    ("通用", "揽收失败，快递员将再次上门"),
    ("通用", "包裹已出库"),
    ("通用", "快件已退回，原揽收网点已揽收"),
]


def pickup(texts: list[str]) -> list[bool]:
    return pl.DataFrame({"event": texts}).select(is_pickup_event(WORDS)).to_series().to_list()


@pytest.mark.parametrize(("carrier", "text"), PICKUPS)
def test_each_carriers_pickup_wording_is_a_pickup(carrier: str, text: str) -> None:
    assert pickup([text]) == [True], f"{carrier}: {text}"


@pytest.mark.parametrize(("carrier", "text"), NOT_PICKUPS)
def test_no_delivery_or_waiting_text_is_a_pickup(carrier: str, text: str) -> None:
    assert pickup([text]) == [False], f"{carrier}: {text}"


def test_the_action_code_decides_where_there_is_one() -> None:
    frame = pl.DataFrame(
        {
            "event": [
                "您的包裹已由【中通快递 萧山网点】揽收",  # no pickup word, code GOT
                "【杭州转运中心】已收件",  # a pickup word, but the code says in transit
                "顺丰速运 已收取快件",  # no code: the text decides
                "【杭州市】已揽收",  # an empty code: the text decides
                "快件已发往 西安市转运中心",
            ],
            "action": ["got", "TRANSPORT", None, " ", "GOT"],
        }
    )
    result = frame.select(is_pickup_event(WORDS, with_action=True)).to_series().to_list()
    assert result == [True, False, True, True, True]
    assert WORDS.actions == ("GOT",)
