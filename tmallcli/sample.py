"""`tmall sample`: a deterministic, vectorised generator of one consistent Tmall shop.

The shop (木槿生活旗舰店, home textiles) is simulated order by order *as arrays*: numpy draws
every order's payment time, buyer, items, carrier, warehouse, pickup, delivery, refunds and
complaints at once, and Polars expressions turn the arrays into the seller-center exports
with their Chinese headers (SPEC §2). No Python loop runs per row (SPEC §12): the only loops
are over fixed-size lists of phrases and over chunks of :data:`CHUNK_ORDERS` orders, which
keep memory flat at any size (10 M orders and 30 M tracking events).

Every kind is drawn from the same simulated orders, so the same order ids, buyers, tracking
numbers and refunds appear across the exports, and the realistic defects that the scores
must catch are planted on purpose: late and never-picked packages (one carrier and one
warehouse noticeably worse, late-night payments worse), 菜鸟 packages that left the warehouse
in time but reached the sorting centre late, sellers clicking 发货 long before the courier
came, split shipments with one late package, a buyer who rates more than 3 times a month,
a rating inside the last 30 minutes, unanswered bad reviews, refunds waiting past 72 h,
platform-intervened refunds ruled 卖家责任, a consultation asked at 23:59 and answered at
00:01, and the platform's own late-shipment compensation with a few disagreements.

Determinism: chunk ``c`` draws from ``numpy.random.default_rng([seed, c])`` and the chunk
size is a constant, so the same arguments give byte-identical files on any machine.
"""

from __future__ import annotations

import codecs
import io
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from tmallcli.errors import UsageError

KINDS = ("orders", "logistics", "reviews", "refunds", "chats", "cs_ratings", "complaints")
CHUNK_ORDERS = 200_000  # part of the output's definition: changing it changes the files
MAX_ORDERS = 100_000_000  # ids are scrambled in uint64 arithmetic, exact up to here
HISTORY_DAYS = 200  # orders are paid over the 200 days before as_of
CHAT_DAYS = 60  # 旺旺 messages and 客服评价 cover the last 60 days

DEFAULT_AS_OF = date(2026, 11, 20)
# The checked-in shop in sample_data/ (see bundled_sample()).
BUNDLED_ORDERS = 3000
BUNDLED_SEED = 7

DAY = 86_400
HOUR = 3_600
MINUTE = 60
NA = -1  # "no such time / amount" in the int64 arrays (every real time is > 0)

ISO = "%Y-%m-%d %H:%M:%S"
SLASH = "%Y/%-m/%-d %-H:%M"  # the refunds export, as Excel re-saves it

SHOP = "木槿生活旗舰店"

ORDER_STATUS = (
    "买家已付款，等待卖家发货",
    "卖家已发货，等待买家确认",
    "交易成功",
    "交易关闭",
    "等待买家付款",
)
WAIT_SHIP, SHIPPED, SUCCESS, CLOSED, UNPAID = range(5)

# name, share, pickup-risk factor, transit hours, tracking prefix, pickup wording
CARRIERS = (
    ("中通快递", 0.30, 1.0, 52, "783", "已揽收"),
    ("圆通速递", 0.24, 1.0, 55, "YT7", "已揽件"),
    ("韵达快递", 0.16, 1.3, 58, "43", "揽收成功"),
    ("申通快递", 0.12, 1.2, 58, "773", "已收件"),
    ("顺丰速运", 0.10, 0.4, 28, "SF14", "已揽收"),
    ("极兔速递", 0.08, 4.0, 66, "JT00", "已揽件"),  # the courier that does not come
)
SF = 4
# name, share, pickup-risk factor, city, site, 菜鸟 warehouse
WAREHOUSES = (
    ("杭州萧山仓", 0.42, 0.8, "杭州市", "萧山", False),
    ("菜鸟嘉兴仓", 0.26, 1.0, "嘉兴市", "嘉兴", True),
    ("广州白云仓", 0.18, 1.0, "广州市", "白云", False),
    ("义乌仓", 0.14, 3.2, "义乌市", "义乌", False),  # the warehouse that ships late
)
# payment hour of day: how many orders, and how much more often their pickup is late
PAY_HOUR_SHARE = (3.0, 1.6, 0.9, 0.5, 0.4, 0.4, 0.7, 1.4, 2.4, 3.8, 4.8, 5.0,
                  4.2, 4.4, 4.8, 4.8, 4.5, 4.1, 4.0, 4.8, 6.2, 7.0, 6.4, 4.6)  # fmt: skip
PAY_HOUR_RISK = (2.8, 2.8, 1.8, 1.5, 1.5, 1.3, 1.2, 1.0, 1.0, 1.0, 1.0, 1.0,
                 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.3, 2.2, 2.8)  # fmt: skip
BASE_LATE = 0.03

# province, city, district, share, remote (postage 10 yuan)
PROVINCES = (
    ("浙江省", "杭州市", "西湖区", 14, False),
    ("江苏省", "南京市", "鼓楼区", 10, False),
    ("上海", "上海市", "浦东新区", 10, False),
    ("广东省", "广州市", "天河区", 12, False),
    ("广东省", "深圳市", "南山区", 8, False),
    ("北京", "北京市", "朝阳区", 8, False),
    ("四川省", "成都市", "武侯区", 7, False),
    ("湖北省", "武汉市", "洪山区", 6, False),
    ("山东省", "济南市", "历下区", 6, False),
    ("河南省", "郑州市", "金水区", 5, False),
    ("福建省", "厦门市", "思明区", 4, False),
    ("陕西省", "西安市", "雁塔区", 4, False),
    ("辽宁省", "沈阳市", "和平区", 3, False),
    ("甘肃省", "兰州市", "城关区", 1, False),
    ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", 1.5, True),
    ("西藏自治区", "拉萨市", "城关区", 0.5, True),
)

# title, price in fen, share
ITEMS = (
    ("木槿生活 纯棉四件套 全棉床单被套 1.8m床", 29900, 9),
    ("加厚珊瑚绒四件套 冬季保暖法兰绒床上用品", 18900, 8),  # the item with quality problems
    ("大豆纤维冬被 加厚保暖 双人被芯", 25900, 6),
    ("泰国天然乳胶枕头 护颈枕 一对装", 15900, 7),
    ("记忆棉枕 慢回弹 颈椎枕", 9900, 6),
    ("95白鹅绒羽绒被 冬被加厚", 89900, 2),
    ("新疆长绒棉毛巾 3条装", 3990, 9),
    ("成人浴巾 吸水速干 大号", 5900, 6),
    ("卫生间防滑地垫 吸水脚垫", 2990, 7),
    ("法兰绒毛毯 午睡毯 沙发盖毯", 6900, 6),
    ("遮光窗帘 卧室成品 免打孔", 12900, 4),
    ("布艺收纳箱 衣物整理箱 3个装", 4990, 5),
    ("真丝眼罩 睡眠遮光", 3500, 4),
    ("单人电热毯 双控 安全除螨", 11900, 4),
    ("加厚榻榻米床垫 折叠床褥", 19900, 3),
    ("儿童卡通纯棉四件套", 23900, 3),
    ("水洗棉夏凉被 空调被", 8900, 3),
    ("冰丝凉席三件套 可折叠", 14900, 2),
    ("5cm天然乳胶床垫", 129900, 1),
    ("北欧沙发抱枕 靠垫含芯", 4500, 5),
)
BAD_ITEM = 1
EXPENSIVE_ITEM = 18

COURIERS = ("张伟", "王芳", "李强", "刘洋", "陈杰", "杨帆", "赵磊", "黄敏", "周涛", "吴昊", "徐静",
            "孙斌")  # fmt: skip
SIGNERS = ("本人", "家门口", "菜鸟驿站", "快递柜", "前台", "家人")
NICK_WORDS = ("小鱼儿", "快乐的大熊猫", "木子", "阿狸", "糖糖", "安静的猫", "一只小柠檬", "蓝色星空",
              "晴天娃娃", "西瓜太郎", "奶茶不加糖", "橘子汽水", "阿甘", "小确幸", "雨后彩虹", "大白",
              "懒羊羊", "风之子", "梦里花落", "半夏")  # fmt: skip
# Buyer indices below len(CURATED_NICKS) get these nicks; 0 and 1 are reserved for plants.
CURATED_NICKS = ("爱吃鱼的猫1998", "杭州家纺批发阿华", "小鱼儿2019", "jennifer_lin", "木子李88",
                 "tb_8x3k2", "sunny_day_07", "王小二_hz")  # fmt: skip
POWER_RATER, CAP_BUYER = 0, 1
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
BUYER_MESSAGES = ("不要放快递柜，谢谢", "请尽快发货", "麻烦用顺丰", "送人的，不要放发票",
                  "周末在家，工作日放驿站")  # fmt: skip

# refund reasons (SPEC §8 auto-refund rules use these words), with their shares
BEFORE_SHIPPING_REASONS = (("多拍", 28), ("拍错", 18), ("不想要了", 24), ("缺货", 12),
                           ("协商一致", 10), ("订单信息错误", 8))  # fmt: skip
RETURN_REASONS = (("7天无理由", 30), ("不想要了", 20), ("质量问题", 20), ("与描述不符", 12),
                  ("协商一致", 10), ("收到商品破损", 8))  # fmt: skip
REFUND_ONLY_REASONS = (("退运费", 30), ("质量问题", 20), ("少件/漏发", 15), ("协商一致", 15),
                       ("收到商品破损", 10), ("其他", 10))  # fmt: skip
NOT_DELIVERED_REASONS = (("快递一直未送达", 50), ("不想要了", 30), ("协商一致", 20))
REFUND_REASONS = tuple(
    dict.fromkeys(
        reason
        for table in (BEFORE_SHIPPING_REASONS, RETURN_REASONS, REFUND_ONLY_REASONS,
                      NOT_DELIVERED_REASONS)
        for reason, _ in table
    )
)  # fmt: skip
R_NO_REASON, R_QUALITY, R_MISMATCH, R_BROKEN, R_POSTAGE, R_MISSING, R_LOST = (
    REFUND_REASONS.index(reason)
    for reason in ("7天无理由", "质量问题", "与描述不符", "收到商品破损", "退运费", "少件/漏发",
                   "快递一直未送达")
)  # fmt: skip
REFUND_STATUS = ("退款成功", "退款关闭", "待卖家处理", "待买家退货", "待卖家确认收货")
RF_OK, RF_CLOSED, RF_SELLER, RF_BUYER_RETURN, RF_SELLER_RECEIVE = range(5)
RULINGS = ("卖家责任", "买家责任", "无责")
COMPLAINT_TYPES = ("延迟发货", "虚假发货", "商品质量问题", "描述不符", "服务态度", "违背承诺",
                   "售后服务")  # fmt: skip

GOOD_COMMENTS = ("质量很好，和描述的一样，物流也很快！", "第二次回购了，一如既往的好", "包装很严实，摸起来很舒服",
                 "颜色很正，没有异味，好评", "性价比很高，推荐购买", "客服很耐心，发货也快", "非常满意，五星好评",
                 "用了一段时间才来评价，挺好的", "此用户没有填写评价。", "东西不错，给家里人也买了一套")  # fmt: skip
DEFAULT_GOOD = "评价方未及时做出评价,系统默认好评!"
# Medium / bad comments by cause (SPEC §10): product, service, logistics, buyer, unclassified.
CAUSE_COMMENTS = (
    ("质量差，洗了一次就起球了", "收到的时候外包装破损，里面也脏了", "与描述不符，颜色差别很大",
     "做工粗糙，线头很多，质量差", "有很大的异味，与描述不符"),
    ("延迟发货，说好48小时发货结果等了四天", "漏发了一个枕套，联系客服半天才处理", "错发了颜色，还要自己去退换",
     "客服态度很差，问什么都不回复", "延迟发货也不通知一声"),
    ("快递员态度很差，打电话也不接", "物流太慢了，一个星期才到", "丢件了，重新补发才收到",
     "快递乱放在门口，差点被人拿走", "快递员态度恶劣，不送上门"),
    ("和期望不一样，不太喜欢", "拍错了尺寸，自己的问题", "选错了颜色，不过东西还行", "和期望不一样，比想象中薄",
     "拍错了，懒得退了"),
    ("一般般吧", "就那样，不推荐", "不太满意", "凑合用吧", "还行吧"),
)  # fmt: skip
GOOD_REPLIES = ("感谢亲的支持与认可，期待您再次光临~", "谢谢亲的好评，木槿生活祝您生活愉快！")
CAUSE_REPLIES = (
    "亲，非常抱歉给您带来不好的体验，质量问题我们包退包换，已安排客服联系您",
    "亲，实在抱歉，大促期间仓库爆单导致发货延迟，已为您申请补偿",
    "亲，快递的问题我们已经反馈给快递公司，给您添麻烦了",
    "亲，本店支持7天无理由退换，如有需要请联系客服哦",
    "亲，有任何不满意的地方请联系客服，我们一定给您满意的答复",
)

ACCOUNTS = ("小王", "阿May", "小李", "晴天", "阿杰")  # 小李 is slow; 阿杰 covers the night alone
ACCOUNT_MEDIAN_SECONDS = (25, 35, 90, 30, 120)
NIGHT, DAYTIME, EVENING = 0, 1, 2
ON_SHIFT = np.array([[4, 4, 4], [0, 1, 2], [1, 3, 2]])  # accounts on duty by shift
ASSISTANT = f"{SHOP}:店小蜜"
BOT_ACCOUNT = "服务助手"
PRESALE_QUESTIONS = ("在吗", "这款有现货吗？", "请问1.8米的床用哪个尺寸", "今天下单什么时候发货",
                     "能便宜点吗", "有没有赠品", "是纯棉的吗？")  # fmt: skip
AFTERSALE_QUESTIONS = ("我的快递怎么还没发货？", "什么时候发货啊", "收到的东西有点问题", "怎么申请退货",
                       "可以开发票吗", "物流一直没更新")  # fmt: skip
FOLLOW_UPS = ("好的", "那我再看看", "谢谢", "能再快点吗", "好的，那我拍了")
AUTO_REPLY = f"您好，欢迎光临{SHOP}，有什么可以帮您的吗~"
ASSISTANT_REPLIES = ("亲，我是店小蜜，本店付款后48小时内发货哦", "亲，我是店小蜜，尺码可以参考详情页的尺码表~",
                     "亲，我是店小蜜，退货请在订单页申请售后，运费险会自动理赔")  # fmt: skip
HUMAN_REPLIES = ("亲，在的呢", "亲，有现货的，付款后24小时内发出哦", "亲，已经帮您催促仓库了，今天会发出的",
                 "亲，非常抱歉，我们马上为您处理", "亲，可以的，已经给您备注了")  # fmt: skip
CS_SOURCES = ("平台自动邀评", "客服邀评", "消费者自主评价")
GOOD_TAGS = ("回复及时", "态度好", "专业", "解决问题", "耐心细致")
BAD_TAGS = ("回复慢", "态度差", "答非所问", "未解决问题", "不专业")
TAG_SEPARATORS = (",", "、", "|", "，", ";")
# score distribution (1..5) per account; the last row is 服务助手
CS_SCORE_P = np.array([
    [0.03, 0.02, 0.05, 0.15, 0.75],
    [0.03, 0.02, 0.05, 0.15, 0.75],
    [0.10, 0.06, 0.12, 0.20, 0.52],
    [0.02, 0.02, 0.04, 0.14, 0.78],
    [0.05, 0.03, 0.08, 0.20, 0.64],
    [0.08, 0.05, 0.12, 0.25, 0.50],
])  # fmt: skip


# ---------------------------------------------------------------------------------------
# public API


def generate_shop(
    out_dir: Path,
    *,
    orders: int,
    seed: int,
    as_of: date = DEFAULT_AS_OF,
    encoding: str = "utf-8",
    progress: Callable[[str], None] | None = None,
    wrappers: bool = False,
    orders_encoding: str | None = None,
    bom_kinds: Iterable[str] = (),
) -> dict[str, list[Path]]:
    """Write one consistent shop's exports (one file per kind) and ``manifest.json``.

    ``encoding`` applies to every file, ``orders_encoding`` overrides it for the orders
    export (the classic GBK 订单报表). ``wrappers`` makes the orders export look as Excel
    on Chinese Windows leaves it: ``="…"`` around order ids and tracking numbers, a leading
    tab or ``'`` on a few ids, CRLF line ends. ``bom_kinds`` start with a UTF-8 BOM.
    Returns the written files per kind.
    """
    if not isinstance(orders, int) or orders < 1 or orders > MAX_ORDERS:
        raise UsageError(f"--orders must be between 1 and {MAX_ORDERS:,} (got {orders})")
    if not isinstance(seed, int) or seed < 0:
        raise UsageError(f"--seed must be a non-negative integer (got {seed})")
    file_encoding = {kind: _check_encoding(encoding) for kind in KINDS}
    if orders_encoding is not None:
        file_encoding["orders"] = _check_encoding(orders_encoding)
    boms = set(bom_kinds)
    if boms - set(KINDS):
        raise UsageError(f"unknown kind for a BOM: {', '.join(sorted(boms - set(KINDS)))}")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} exists and is not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)

    shop = _Shop.build(orders, seed, as_of)
    names = {kind: f"{kind}.csv" for kind in KINDS}
    names["orders"] = f"ExportOrderList{as_of:%Y%m%d}.csv"
    sinks = {
        kind: _CsvSink(
            out_dir / names[kind],
            file_encoding[kind],
            bom=kind in boms and file_encoding[kind] == "utf-8",
            crlf=wrappers and kind == "orders",
        )
        for kind in KINDS
    }
    counters = _Counters()
    try:
        for chunk_no, start in enumerate(range(0, orders, CHUNK_ORDERS)):
            n = min(CHUNK_ORDERS, orders - start)
            rng = np.random.default_rng([seed, chunk_no])
            sim = _simulate(rng, shop, start, n, counters)
            frames = _frames(rng, shop, sim, wrappers)
            for kind in KINDS:
                sinks[kind].write(frames[kind])
            if progress is not None:
                progress(f"{start + n:,}/{orders:,} orders")
    finally:
        for sink in sinks.values():
            sink.close()

    manifest = {
        "as_of": as_of.isoformat(),
        "seed": seed,
        "orders": orders,
        "files": {kind: [names[kind]] for kind in KINDS},
        "rows": {kind: sinks[kind].rows for kind in KINDS},
        "encodings": file_encoding,
        "excel_wrappers": wrappers,
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return {kind: [out_dir / names[kind]] for kind in KINDS}


def bundled_sample(out_dir: Path) -> dict[str, list[Path]]:
    """Regenerate the checked-in ``sample_data/``: GB18030 orders with Excel wrappers, the
    rest UTF-8, the CS ratings with a BOM."""
    return generate_shop(
        out_dir,
        orders=BUNDLED_ORDERS,
        seed=BUNDLED_SEED,
        as_of=DEFAULT_AS_OF,
        encoding="utf-8",
        orders_encoding="gb18030",
        wrappers=True,
        bom_kinds=("cs_ratings",),
    )


def _check_encoding(name: str) -> str:
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        canonical = ""
    if canonical not in ("utf-8", "gb18030", "gbk"):
        raise UsageError(f"--encoding must be utf-8 or gb18030 (got {name!r})")
    return canonical


# ---------------------------------------------------------------------------------------
# writing


class _CsvSink:
    """One export file, written chunk by chunk. Non-UTF-8 output is transcoded from Polars'
    UTF-8 in slices through incremental codecs, never as one string."""

    SLICE = 1 << 20

    def __init__(self, path: Path, encoding: str, *, bom: bool, crlf: bool) -> None:
        self.path = path
        self.rows = 0
        self._header = True
        self._terminator = "\r\n" if crlf else "\n"
        self._fh = path.open("wb")
        if bom:
            self._fh.write(codecs.BOM_UTF8)
        self._encoder = None if encoding == "utf-8" else codecs.getincrementalencoder(encoding)()
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, frame: pl.DataFrame) -> None:
        options: dict[str, Any] = {
            "include_header": self._header,
            "line_terminator": self._terminator,
        }
        if self._encoder is None:
            frame.write_csv(self._fh, **options)
        else:
            buffer = io.BytesIO()
            frame.write_csv(buffer, **options)
            data = buffer.getbuffer()
            for offset in range(0, len(data), self.SLICE):
                text = self._decoder.decode(data[offset : offset + self.SLICE])
                self._fh.write(self._encoder.encode(text))
            data.release()
        self._header = False
        self.rows += frame.height

    def close(self) -> None:
        if self._encoder is not None:
            tail = self._decoder.decode(b"", final=True)
            self._fh.write(self._encoder.encode(tail, final=True))
        self._fh.close()


# ---------------------------------------------------------------------------------------
# the shop and its random helpers


@dataclass
class _Counters:
    """Running numbers across chunks, so ids stay unique in the whole shop."""

    package: int = 0
    refund: int = 0
    complaint: int = 0


@dataclass(frozen=True)
class _Shop:
    orders: int
    seed: int
    as_of: date
    end: int  # the as-of instant, as_of 23:59:59, in naive-local epoch seconds
    today: int  # as_of as an epoch day number
    buyers: int
    day_cdf: np.ndarray  # over days_ago 0..HISTORY_DAYS-1
    double11: np.ndarray  # days_ago -> is 11.11 (presale balance paid at midnight)
    peak: np.ndarray  # days_ago -> warehouses swamped (11.11 and the two days after)
    nick_width: int  # base36 digits of a tb_ nick: 5, or 6 for huge shops
    item_ids: np.ndarray
    item_price: np.ndarray
    item_p: np.ndarray
    province_p: np.ndarray
    carrier_p: np.ndarray
    warehouse_p: np.ndarray

    @classmethod
    def build(cls, orders: int, seed: int, as_of: date) -> _Shop:
        today = (as_of - date(1970, 1, 1)).days
        days = [date.fromordinal(as_of.toordinal() - d) for d in range(HISTORY_DAYS)]
        promo = {(11, 11): 6.0, (11, 10): 1.6, (11, 12): 1.8, (11, 1): 2.0, (6, 18): 3.0,
                 (6, 1): 1.5, (12, 12): 2.0}  # fmt: skip
        weights = np.array(
            [
                (1.0 + 0.8 * (1 - d / HISTORY_DAYS))  # a growing shop
                * (1.1 if day.weekday() >= 5 else 1.0)
                * promo.get((day.month, day.day), 1.0)
                for d, day in enumerate(days)
            ]
        )
        cdf = np.cumsum(weights) / weights.sum()
        double11 = np.array([(day.month, day.day) == (11, 11) for day in days])
        peak = np.array([day.month == 11 and 11 <= day.day <= 13 for day in days])
        buyers = max(20, int(orders * 0.55))
        population = buyers * 2 + len(CURATED_NICKS)  # buyers and browsing visitors
        nick_width = 5 if population < 36**5 else 6
        item_ids = 600_000_000_000 + _ids(np.arange(len(ITEMS)), 11, seed)
        return cls(
            orders=orders,
            seed=seed,
            as_of=as_of,
            end=(today + 1) * DAY - 1,
            today=today,
            buyers=buyers,
            day_cdf=cdf,
            double11=double11,
            peak=peak,
            nick_width=nick_width,
            item_ids=item_ids,
            item_price=np.array([price for _, price, _ in ITEMS], dtype=np.int64),
            item_p=_p([share for *_, share in ITEMS]),
            province_p=_p([row[3] for row in PROVINCES]),
            carrier_p=_p([row[1] for row in CARRIERS]),
            warehouse_p=_p([row[1] for row in WAREHOUSES]),
        )


def _p(weights: Sequence[float]) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return array / array.sum()


def _ids(index: np.ndarray, digits: int, salt: int) -> np.ndarray:
    """Distinct, random-looking numbers below 10**digits for distinct indices below 10**9:
    the low 9 digits are a bijection of the index (multiplier coprime with 10), the digits
    above them a splitmix64 hash."""
    index = np.asarray(index, dtype=np.int64)
    low = (index * 618_033_989 + salt * 123_456_791) % 10**9
    z = index.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15 * (salt + 1) % 2**64)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    high = (z % np.uint64(10 ** (digits - 9))).astype(np.int64)
    return high * 10**9 + low


def _between(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    return rng.integers(int(low), int(high), n, dtype=np.int64)


def _lognormal(rng: np.random.Generator, n: int, median: float, sigma: float) -> np.ndarray:
    return (median * rng.lognormal(0.0, sigma, n)).astype(np.int64)


def _rows_choice(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One categorical draw per row, each row with its own probabilities."""
    cumulative = probabilities.cumsum(axis=1)
    cumulative /= cumulative[:, -1:]
    u = rng.random(len(probabilities))
    return (u[:, None] > cumulative).sum(axis=1)


def _choose(rng: np.random.Generator, mask: np.ndarray, k: int) -> np.ndarray:
    candidates = np.flatnonzero(mask)
    if len(candidates) == 0 or k <= 0:
        return candidates[:0]
    return np.sort(rng.choice(candidates, size=min(k, len(candidates)), replace=False))


def _reasons(rng: np.random.Generator, n: int, table: Sequence[tuple[str, float]]) -> np.ndarray:
    """Draw refund reasons from ``table`` as indices into REFUND_REASONS."""
    codes = np.array([REFUND_REASONS.index(reason) for reason, _ in table])
    return codes[rng.choice(len(table), n, p=_p([share for _, share in table]))]


def _cut(times: np.ndarray, end: int) -> np.ndarray:
    """Times after the as-of instant have not happened yet."""
    return np.where(times <= end, times, NA)


def _hour(times: np.ndarray) -> np.ndarray:
    return (times % DAY) // HOUR


# ---------------------------------------------------------------------------------------
# the simulation: one chunk of orders and everything that follows from them


@dataclass
class _Sim:
    n: int
    arrays: dict[str, np.ndarray]
    packages: dict[str, np.ndarray]
    refunds: dict[str, np.ndarray]
    reviews: dict[str, np.ndarray]
    complaints: dict[str, np.ndarray]


def _simulate(
    rng: np.random.Generator, shop: _Shop, start: int, n: int, counters: _Counters
) -> _Sim:
    end = shop.end
    index = np.arange(start, start + n, dtype=np.int64)

    # Order i = 0 is the newest; the quantile walks back through the days (denser recently).
    quantile = (index + rng.random(n)) / shop.orders
    days_ago = np.minimum(np.searchsorted(shop.day_cdf, quantile, side="right"), HISTORY_DAYS - 1)
    hour = rng.choice(24, n, p=_p(PAY_HOUR_SHARE))
    midnight_rush = shop.double11[days_ago] & (rng.random(n) < 0.35)
    hour = np.where(midnight_rush, rng.integers(0, 2, n), hour)
    created = (shop.today - days_ago) * DAY + hour * HOUR + _between(rng, n, 0, HOUR)
    buyer = 2 + np.floor(  # 0 and 1 are reserved for plants
        shop.buyers * rng.random(n) ** 1.6
    ).astype(np.int64)

    # A buyer often places a second order minutes after the first (grouped compensation).
    session = np.flatnonzero(rng.random(n) < 0.012)
    session = session[session > 0]
    buyer[session] = buyer[session - 1]
    created[session] = created[session - 1] + _between(rng, len(session), MINUTE, 30 * MINUTE)

    item1 = rng.choice(len(ITEMS), n, p=shop.item_p)
    two_items = rng.random(n) < 0.08
    item2 = np.where(two_items, (item1 + 1 + rng.integers(0, len(ITEMS) - 1, n)) % len(ITEMS), -1)
    qty1 = 1 + (rng.random(n) < 0.12).astype(np.int64)
    province = rng.choice(len(PROVINCES), n, p=shop.province_p)
    carrier = rng.choice(len(CARRIERS), n, p=shop.carrier_p)
    warehouse = rng.choice(len(WAREHOUSES), n, p=shop.warehouse_p)
    carrier[session] = carrier[session - 1]  # the session's orders ship together
    warehouse[session] = warehouse[session - 1]

    # Plant: one buyer's three expensive orders within 5 hours, all shipped after 48 h, so
    # the compensation group (30% each) exceeds the 500-yuan cap.
    protect = np.zeros(n, dtype=bool)
    force_late = np.zeros(n, dtype=bool)
    if n >= 300:
        window = (days_ago >= 12) & (days_ago <= 60)
        window[-3:] = False
        first = _choose(rng, window, 1)
        if len(first):
            group = first[0] + np.arange(3)
            buyer[group] = CAP_BUYER
            item1[group], two_items[group], item2[group], qty1[group] = EXPENSIVE_ITEM, False, -1, 1
            province[group] = 0
            created[group] = created[first[0]] + np.array([0, 2 * HOUR, 5 * HOUR])
            protect[group] = True
            force_late[group] = True
    created = np.minimum(created, end)

    paid = created + np.clip(_lognormal(rng, n, 45, 1.1), 3, 30 * MINUTE)
    unpaid = ((rng.random(n) < 0.035) & ~protect) | (paid > end)
    paid = np.where(unpaid, NA, paid)
    paid_ok = paid >= 0
    paid_hour = _hour(paid)
    paid_day = paid // DAY

    price = shop.item_price
    goods = price[item1] * qty1 + np.where(two_items, price[np.maximum(item2, 0)], 0)
    coupon = np.where(goods >= 19900, 2000, np.where(goods >= 9900, 1000, 0))
    coupon = np.where(rng.random(n) < 0.5, coupon, 0)
    remote = np.array([row[4] for row in PROVINCES])[province]
    postage = np.where(remote, 1000, np.where((goods < 3900) & (rng.random(n) < 0.3), 600, 0))
    paid_fen = goods - coupon + postage

    # Closed before shipping: the buyer asked for a refund (多拍, 拍错, 缺货 …) and got it.
    cancel_at = paid + np.clip(_lognormal(rng, n, 40 * MINUTE, 1.3), 2 * MINUTE, 20 * HOUR)
    cancel = paid_ok & ~protect & (rng.random(n) < 0.03) & (cancel_at <= end)

    # 物流服务 promises, delivered by 顺丰 from Hangzhou.
    promise_kind = rng.choice(3, n, p=[0.3, 0.5, 0.2])
    promise_kind = np.where((promise_kind == 0) & (paid_hour >= 14), 1, promise_kind)
    service = np.where(paid_ok & ~cancel & ~protect & (rng.random(n) < 0.03), promise_kind, -1)
    carrier = np.where(service >= 0, SF, carrier)
    warehouse = np.where(service >= 0, 0, warehouse)

    # 承诺发货时间: presale / made-to-order items promise 72 h; a few promise same-day shipping.
    roll = rng.random(n)
    long_promise = paid_ok & ~protect & (roll < 0.07)
    same_day = paid_ok & ~protect & (roll >= 0.07) & (roll < 0.10) & (paid_hour < 16)
    promised = np.where(
        long_promise, paid + 72 * HOUR, np.where(same_day, (paid_day + 1) * DAY - 1, NA)
    )

    # Pickup. Most packages go out with the next daytime courier round, well inside 24 h;
    # the risk of missing it grows with a bad courier, a bad warehouse, a late-night
    # payment and the 11.11 peak.
    risk = (
        BASE_LATE
        * np.array([row[2] for row in CARRIERS])[carrier]
        * np.array([row[2] for row in WAREHOUSES])[warehouse]
        * np.array(PAY_HOUR_RISK)[paid_hour]
        * np.where(shop.peak[days_ago], 2.0, 1.0)
    )
    late = rng.random(n) < np.minimum(risk, 0.85)
    late[session] = late[session - 1]
    late = (late & (service < 0)) | force_late
    ready = paid + _lognormal(rng, n, 5 * HOUR, 0.6)
    ready_hour = _hour(ready)
    night = (ready_hour >= 21) | (ready_hour < 8)
    morning = (ready // DAY + (ready_hour >= 21)) * DAY + 8 * HOUR + _between(rng, n, 0, 150 * 60)
    ready = np.where(night, morning, ready)
    ready = np.where(
        ready - paid >= 23 * HOUR + 30 * MINUTE,
        paid + _between(rng, n, 16 * HOUR, 23 * HOUR),
        ready,
    )
    late_at = paid + DAY + MINUTE + rng.exponential(16 * HOUR, n).astype(np.int64)
    late_at = np.where(force_late, paid + _between(rng, n, 50 * HOUR, 70 * HOUR), late_at)
    pick1 = np.where(late, late_at, ready)
    pick1 = np.where(service == 0, paid + _between(rng, n, 30 * MINUTE, 90 * MINUTE), pick1)
    pick1 = np.where(service == 1, paid + _between(rng, n, HOUR, 4 * HOUR), pick1)

    recent = paid_ok & (paid >= end - 35 * DAY)
    never = recent & ~cancel & ~protect & (service < 0) & (rng.random(n) < 0.002 + 0.03 * late)

    # 发货时间 is the seller's click; sometimes clicked long before the courier came.
    click = np.maximum(pick1 - _between(rng, n, 10 * MINUTE, 3 * HOUR), paid + 2 * MINUTE)
    early_click = late & (rng.random(n) < 0.45)
    click = np.where(early_click, paid + _between(rng, n, HOUR, 20 * HOUR), click)
    click_never = np.where(rng.random(n) < 0.6, paid + _between(rng, n, 2 * HOUR, 20 * HOUR), NA)
    click = np.where(never, click_never, click)
    pick1 = np.where(never, NA, pick1)

    # Split shipments: the second package sometimes a day or two later, or never.
    two_packages = (
        paid_ok
        & ~cancel
        & ~protect
        & (service < 0)
        & np.where(two_items, rng.random(n) < 0.5, rng.random(n) < 0.015)
    )
    gap = np.where(
        rng.random(n) < 0.2, _between(rng, n, DAY, 60 * HOUR), _between(rng, n, 0, 3 * HOUR)
    )
    pick2 = np.where(two_packages & (pick1 >= 0), pick1 + gap, NA)
    pick2 = np.where(two_packages & recent & (rng.random(n) < 0.04), NA, pick2)

    # 菜鸟 warehouses: 包裹已出库 first, the pickup is the next state (正在发往分拨中心).
    cainiao = np.array([row[5] for row in WAREHOUSES])[warehouse]
    out1 = np.where(pick1 >= 0, pick1 - _between(rng, n, 30 * MINUTE, 4 * HOUR), NA)
    left_in_time = cainiao & late & (pick1 >= 0) & (rng.random(n) < 0.5)
    out1 = np.where(
        left_in_time, np.minimum(paid + _between(rng, n, 6 * HOUR, 20 * HOUR), pick1 - HOUR), out1
    )
    stuck_out = cainiao & never & (click >= 0) & (rng.random(n) < 0.5)
    out1 = np.where(stuck_out, click + _between(rng, n, HOUR, 6 * HOUR), out1)
    out1 = np.where(cainiao & (out1 >= 0), np.maximum(out1, paid + 10 * MINUTE), NA)
    out2 = np.where(cainiao & (pick2 >= 0), pick2 - _between(rng, n, 30 * MINUTE, 4 * HOUR), NA)

    no_ship = cancel | unpaid
    pick1, pick2, click, out1, out2 = (
        np.where(no_ship, NA, _cut(t, end)) for t in (pick1, pick2, click, out1, out2)
    )
    picked_all = (pick1 >= 0) & (~two_packages | (pick2 >= 0))
    pick_last = np.where(picked_all, np.maximum(pick1, pick2), NA)

    transit = (
        np.array([row[3] for row in CARRIERS])[carrier] * HOUR * rng.lognormal(0.0, 0.35, n)
    ).astype(np.int64) + remote * DAY
    broken = rng.random(n) < 0.25
    same_day_at = np.minimum(paid + _between(rng, n, 3 * HOUR, 8 * HOUR), (paid_day + 1) * DAY - 1)
    next_day_at = (paid_day + 1) * DAY + _between(rng, n, 9 * HOUR, 20 * HOUR)
    delivered_sp = np.where(
        service == 0,
        np.where(broken, next_day_at, same_day_at),
        np.where(broken, next_day_at + DAY, next_day_at),
    )
    delivered = np.where(pick_last >= 0, pick_last + transit, NA)
    delivered = np.where((service >= 0) & (service < 2) & (pick_last >= 0), delivered_sp, delivered)
    delivered = _cut(delivered, end)
    delivered1 = _cut(np.where(pick1 >= 0, pick1 + transit, NA), end)
    delivered1 = np.where(two_packages, delivered1, delivered)

    confirmed = np.where(
        delivered >= 0,
        delivered
        + np.where(
            rng.random(n) < 0.6,
            _between(rng, n, HOUR, 72 * HOUR),
            10 * DAY + _between(rng, n, 0, HOUR),
        ),
        NA,
    )
    confirmed = _cut(confirmed, end)

    item_fen = paid_fen - postage
    refunds = _after_sale(
        rng, shop, n,
        paid=paid, paid_fen=paid_fen, item_fen=item_fen, cancel=cancel, cancel_at=cancel_at,
        protect=protect, pick_last=pick_last, delivered=delivered, confirmed=confirmed,
        counters=counters,
    )  # fmt: skip
    closed_by_refund = refunds["closes_order"]
    cancelled_done = cancel & refunds["cancel_done"]

    status = np.select(
        [
            unpaid & (created > end - DAY),
            unpaid | cancelled_done | closed_by_refund,
            confirmed >= 0,
            (click >= 0) | (pick1 >= 0),
        ],
        [UNPAID, CLOSED, SUCCESS, SHIPPED],
        WAIT_SHIP,
    )
    closed = status == CLOSED

    # 延迟发货 as the platform sees it (SPEC §5) and its own automatic compensation.
    deadline = np.where(promised >= 0, promised, paid + 48 * HOUR)
    any_pickup = (pick1 >= 0) | (pick2 >= 0)
    ship_time = np.where(picked_all, pick_last, np.where(any_pickup, NA, click))
    late_shipment = (
        paid_ok
        & ~closed
        & (((ship_time >= 0) & (ship_time > deadline)) | ((ship_time < 0) & (end > deadline)))
    )
    formula = np.minimum(np.maximum((item_fen * 30 + 50) // 100, 500), 50000)
    # (not on the capped group: that one the seller owes, see the plant above)
    auto_paid = late_shipment & ~protect & (deadline + DAY <= end) & (rng.random(n) < 0.6)
    auto_fen = np.where(auto_paid, formula, NA)
    # Plants: the platform paid the 5-yuan minimum where 30% is more, and paid an order
    # that was shipped in time.
    short_paid = _choose(rng, auto_paid & (formula > 700) & ~protect, 1)
    auto_fen[short_paid] = 500
    wrongly_paid = _choose(rng, paid_ok & ~closed & ~late_shipment & (pick_last >= 0)
                           & (paid <= end - 40 * DAY), 1)  # fmt: skip
    auto_fen[wrongly_paid] = 500

    # Packages and their tracking numbers (the numbering runs across chunks).
    has_tracking = (click >= 0) | (pick1 >= 0) | (out1 >= 0)
    second = has_tracking & two_packages
    n1, n2 = int(has_tracking.sum()), int(second.sum())
    package1 = np.where(has_tracking, counters.package + np.cumsum(has_tracking) - 1, NA)
    package2 = np.where(second, counters.package + n1 + np.cumsum(second) - 1, NA)
    counters.package += n1 + n2
    tracking1 = np.where(package1 >= 0, _tracking_digits(np.maximum(package1, 0)), NA)
    tracking2 = np.where(package2 >= 0, _tracking_digits(np.maximum(package2, 0)), NA)

    lead = 2 + index % 3
    order_id = lead * 10**17 + _ids(index, 17, 1)

    arrays = {
        "order_id": order_id,
        "buyer": buyer,
        "item1": item1,
        "item2": item2,
        "kinds": 1 + two_items.astype(np.int64),
        "qty": qty1 + two_items,
        "postage": postage,
        "paid_fen": np.where(paid_ok, paid_fen, 0),
        "status": status,
        "province": province,
        "created": created,
        "paid": paid,
        "promised": promised,
        "click": click,
        "carrier": np.where(has_tracking, carrier, -1),
        "tracking1": tracking1,
        "tracking2": tracking2,
        "warehouse": np.where(paid_ok, warehouse, -1),
        "service": service,
        "delivered": delivered,
        "auto_fen": auto_fen,
        "message": np.where(rng.random(n) < 0.04, rng.integers(0, len(BUYER_MESSAGES), n), -1),
        "leading_mark": np.where(rng.random(n) < 0.006, rng.integers(1, 3, n), 0),
        "trailing_tab": rng.random(n) < 0.005,
    }
    packages = _packages(
        rng, arrays, has_tracking, second, carrier, warehouse, province, cainiao,
        click=click, out1=out1, out2=out2, pick1=pick1, pick2=pick2,
        delivered1=delivered1, delivered=delivered, end=end,
    )  # fmt: skip
    late_pickup = (pick_last < 0) | (pick_last - paid > DAY)
    reviews = _reviews(rng, shop, arrays, status, confirmed, late_pickup | late_shipment, two_items)
    complaints = _complaints(
        rng, shop, n, late_shipment, early_click & late, deadline, refunds, pick_last, counters
    )
    return _Sim(n, arrays, packages, refunds, reviews, complaints)


def _after_sale(
    rng: np.random.Generator,
    shop: _Shop,
    n: int,
    *,
    paid: np.ndarray,
    paid_fen: np.ndarray,
    item_fen: np.ndarray,
    cancel: np.ndarray,
    cancel_at: np.ndarray,
    protect: np.ndarray,
    pick_last: np.ndarray,
    delivered: np.ndarray,
    confirmed: np.ndarray,
    counters: _Counters,
) -> dict[str, np.ndarray]:
    """Refunds, per order (at most one each): before shipping for the cancelled orders,
    after shipping for some of the rest."""
    end = shop.end

    # --- before shipping: 仅退款, 售中, nothing shipped
    before_reason = _reasons(rng, n, BEFORE_SHIPPING_REASONS)
    before_done = cancel_at + np.where(
        rng.random(n) < 0.65,
        _between(rng, n, 10, 5 * MINUTE),  # refunded at once (极速退款)
        np.clip(_lognormal(rng, n, 3 * HOUR, 1.2), 5 * MINUTE, 6 * DAY),
    )
    cancel_done = before_done <= end

    # --- after shipping
    after = (pick_last >= 0) & ~cancel & ~protect & (rng.random(n) < 0.07)
    has_delivery = delivered >= 0
    returns = has_delivery & (rng.random(n) < 0.55)  # 退货退款, else 仅退款
    reason = np.select(
        [returns, has_delivery],
        [
            _reasons(rng, n, RETURN_REASONS),
            _reasons(rng, n, REFUND_ONLY_REASONS),
        ],
        _reasons(rng, n, NOT_DELIVERED_REASONS),
    )
    applied = np.where(
        has_delivery,
        delivered
        + np.where(
            reason == R_NO_REASON,
            _between(rng, n, HOUR, 6.5 * DAY),
            _between(rng, n, HOUR, 12 * DAY),
        ),
        pick_last + _between(rng, n, DAY, 4 * DAY),
    )
    after &= applied <= end - 5 * MINUTE

    amount = np.select(
        [
            reason == R_POSTAGE,
            (reason == R_QUALITY) & ~returns,
            reason == R_MISSING,
            reason == R_LOST,
        ],
        [
            rng.choice([500, 600, 800, 1000, 1200], n),
            item_fen * rng.integers(20, 51, n) // 100,
            item_fen * rng.integers(15, 41, n) // 100,
            paid_fen,
        ],
        item_fen,
    )
    amount = np.clip(amount, 100, paid_fen)

    intervened = after & (rng.random(n) < 0.06)
    cancelled = rng.random(n) < np.where(returns, 0.05, 0.10)  # the buyer withdrew it
    never_returned = returns & ~cancelled & (rng.random(n) < 0.08)
    stuck = (
        after
        & ~intervened
        & (applied >= end - 8 * DAY)
        & (applied <= end - 3.5 * DAY)
        & (rng.random(n) < 0.5)
    )
    slow_extra = np.where(intervened, _between(rng, n, 2 * DAY, 5 * DAY), 0)

    agreed = np.where(
        returns & ~cancelled,
        applied + np.clip(_lognormal(rng, n, 4 * HOUR, 1.3), 5 * MINUTE, 6 * DAY),
        NA,
    )
    returned = np.where(
        (agreed >= 0) & ~never_returned,
        agreed + np.clip(_lognormal(rng, n, 20 * HOUR, 0.8), 30 * MINUTE, 6.5 * DAY),
        NA,
    )
    done = np.select(
        [
            cancelled,
            never_returned,
            returns,
        ],
        [
            applied + _between(rng, n, HOUR, 2 * DAY),
            agreed + 7 * DAY,  # the return timed out
            returned + np.clip(_lognormal(rng, n, 60 * HOUR, 0.4), 20 * HOUR, 8 * DAY) + slow_extra,
        ],
        applied + np.clip(_lognormal(rng, n, 5 * HOUR, 1.3), 2 * MINUTE, 10 * DAY) + slow_extra,
    )
    agreed = np.where(stuck, NA, agreed)
    returned = np.where(stuck, NA, returned)
    done = np.where(stuck, NA, done)

    # What the export shows at the as-of instant.
    agreed_seen = _cut(agreed, end)
    returned_seen = _cut(returned, end)
    done_seen = _cut(done, end)
    after_status = np.select(
        [
            done_seen >= 0,
            returns & ~cancelled & (agreed_seen < 0),
            returns & ~cancelled & (returned_seen < 0),
            returns & ~cancelled,
        ],
        [
            np.where(cancelled | never_returned, RF_CLOSED, RF_OK),
            RF_SELLER,
            RF_BUYER_RETURN,
            RF_SELLER_RECEIVE,
        ],
        RF_SELLER,
    )
    stage_after_sale = (confirmed >= 0) & (confirmed < applied)
    ruling = np.where(intervened & (done_seen >= 0), rng.choice(3, n, p=[0.55, 0.30, 0.15]), -1)
    closes_order = after & (after_status == RF_OK) & ~stage_after_sale & (amount >= item_fen)

    # --- one table over both kinds of refund
    before = cancel
    rows = before | after
    count = int(rows.sum())
    refund_no = counters.refund + np.cumsum(rows) - 1
    counters.refund += count
    refund_id = 10**17 + _ids(refund_no, 17, 2)
    before_status = np.where(cancel_done, RF_OK, RF_SELLER)
    return {
        "rows": rows,
        "refund_id": refund_id,
        "applied": np.where(before, cancel_at, applied),
        "amount": np.where(before, paid_fen, amount),
        "returns": np.where(before, False, returns),
        "reason": np.where(before, before_reason, reason),
        "status": np.where(before, before_status, after_status),
        "after_sale": np.where(before, False, stage_after_sale),
        "received": np.where(before, False, has_delivery),
        "shipped": ~before,
        "agreed": np.where(before, NA, agreed_seen),
        "returned": np.where(before, NA, returned_seen),
        "done": np.where(before, np.where(cancel_done, before_done, NA), done_seen),
        "intervened": np.where(before, False, intervened),
        "ruling": np.where(before, -1, ruling),
        "signed": np.where(before, NA, delivered),
        "yen": rng.random(n) < 0.25,
        "closes_order": closes_order,
        "cancel_done": cancel_done,
    }


def _packages(
    rng: np.random.Generator,
    arrays: dict[str, np.ndarray],
    has_tracking: np.ndarray,
    second: np.ndarray,
    carrier: np.ndarray,
    warehouse: np.ndarray,
    province: np.ndarray,
    cainiao: np.ndarray,
    *,
    click: np.ndarray,
    out1: np.ndarray,
    out2: np.ndarray,
    pick1: np.ndarray,
    pick2: np.ndarray,
    delivered1: np.ndarray,
    delivered: np.ndarray,
    end: int,
) -> dict[str, np.ndarray]:
    """One row per package (tracking number), first packages then second ones."""
    first_rows = np.flatnonzero(has_tracking)
    second_rows = np.flatnonzero(second)
    order_row = np.concatenate([first_rows, second_rows])
    m = len(order_row)
    tracking = np.concatenate([arrays["tracking1"][first_rows], arrays["tracking2"][second_rows]])
    pick = np.concatenate([pick1[first_rows], pick2[second_rows]])
    out = np.concatenate([out1[first_rows], out2[second_rows]])
    deliv = np.concatenate([delivered1[first_rows], delivered[second_rows]])
    deliv = np.where(pick >= 0, deliv, NA)
    clicked = click[order_row]
    is_cainiao = cainiao[order_row]
    span = np.where(deliv >= 0, deliv - pick, 10 * HOUR)
    # about 3 events a package (SPEC §12: 10 M orders, 30 M tracking events)
    in_transit = (pick >= 0) & (is_cainiao | (rng.random(m) < 0.8))
    transit_at = _cut(
        np.where(in_transit, pick + (span * rng.uniform(0.1, 0.4, m)).astype(np.int64), NA), end
    )
    out_for_delivery = np.where(
        (deliv >= 0) & (rng.random(m) < 0.2),
        deliv - (span * rng.uniform(0.02, 0.08, m)).astype(np.int64) - 5 * MINUTE,
        NA,
    )
    packed = np.where(~is_cainiao & (clicked >= 0) & (rng.random(m) < 0.1), clicked, NA)
    return {
        "order_row": order_row,
        "tracking": tracking,
        "second": np.arange(m) >= len(first_rows),
        "carrier": carrier[order_row],
        "warehouse": warehouse[order_row],
        "province": province[order_row],
        "cainiao": is_cainiao,
        "packed": packed,
        "out": np.where(is_cainiao, out, NA),
        "pick": pick,
        "transit": transit_at,
        "out_for_delivery": out_for_delivery,
        "delivered": deliv,
        "courier": rng.integers(0, len(COURIERS), m),
        "courier2": rng.integers(0, len(COURIERS), m),
        "signer": rng.integers(0, len(SIGNERS), m),
        "phone": rng.integers(1000, 10000, m),
    }


def _reviews(
    rng: np.random.Generator,
    shop: _Shop,
    arrays: dict[str, np.ndarray],
    status: np.ndarray,
    confirmed: np.ndarray,
    troubled: np.ndarray,
    two_items: np.ndarray,
) -> dict[str, np.ndarray]:
    """Ratings of completed orders (one row per item); scores, verdict and comment agree."""
    end = shop.end
    n = len(status)
    eligible = (status == SUCCESS) & (confirmed >= 0)
    default = rng.random(n) < 0.08  # no rating within 15 days: 系统默认好评, no DSR scores
    rated_at = np.where(
        default,
        confirmed + 15 * DAY + _between(rng, n, 0, HOUR),
        confirmed
        + np.where(
            rng.random(n) < 0.45,
            _between(rng, n, 30, 2 * HOUR),
            _between(rng, n, 2 * HOUR, 14 * DAY),
        ),
    )
    rated = eligible & (rng.random(n) < 0.42) & (rated_at <= end)

    item1 = arrays["item1"]
    bad_item = item1 == BAD_ITEM
    p_bad = 0.03 + 0.10 * troubled + 0.08 * bad_item
    p_mid = 0.04 + 0.05 * troubled + 0.04 * bad_item
    roll = rng.random(n)
    grade = np.where(roll < p_bad, 2, np.where(roll < p_bad + p_mid, 1, 0))  # 0 good 1 mid 2 bad
    grade = np.where(default, 0, grade)
    cause_p = np.where(
        troubled[:, None],
        np.array([0.10, 0.45, 0.40, 0.0, 0.05]),
        np.where(bad_item[:, None], np.array([0.7, 0.1, 0.1, 0.05, 0.05]),
                 np.array([0.35, 0.2, 0.2, 0.15, 0.1])),
    )  # fmt: skip
    cause = _rows_choice(rng, cause_p)
    second_cause = np.where(
        (grade == 2) & (rng.random(n) < 0.25), (cause + 1 + rng.integers(0, 2, n)) % 3, -1
    )
    second_cause = np.where(cause >= 3, -1, second_cause)
    dimension_of = np.array([0, 1, 2, 0, 0])  # the DSR dimension each cause pulls down

    scores = np.where(rng.random((n, 3)) < 0.07, 4, 5)
    mid_others = np.where(rng.random((n, 3)) < 0.5, 4, 5)
    bad_others = rng.choice([3, 4, 5], (n, 3), p=[0.2, 0.3, 0.5])
    scores = np.where((grade == 1)[:, None], mid_others, scores)
    scores = np.where((grade == 2)[:, None], bad_others, scores)
    low = np.where(grade == 1, 3, np.where(rng.random(n) < 0.7, 1, 2))
    dims = np.arange(3)[None, :]
    hit = (grade[:, None] > 0) & (
        (dims == dimension_of[cause][:, None])
        | (
            (second_cause[:, None] >= 0)
            & (dims == dimension_of[np.maximum(second_cause, 0)][:, None])
        )
    )
    scores = np.where(hit, low[:, None], scores)

    comment_pick = rng.integers(0, 5, n)
    good_pick = rng.integers(0, len(GOOD_COMMENTS), n)
    comment2_pick = rng.integers(0, 5, n)
    replied = np.where(grade > 0, rng.random(n) < 0.7, rng.random(n) < 0.12)

    # Plant: one buyer rates 5 orders in one calendar month (only 3 count).
    month = rated_at.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    scored = rated & ~default
    if scored.sum() >= 20:
        months, counts = np.unique(month[scored], return_counts=True)
        busiest = months[np.argmax(counts)]
        chosen = _choose(rng, scored & (month == busiest), 5)
        if len(chosen) == 5:
            arrays["buyer"][chosen] = POWER_RATER
        # Plant: a rating inside the last 30 minutes (not shown yet).
        fresh = _choose(rng, scored & (confirmed <= end - 2 * HOUR), 1)
        rated_at[fresh] = end - _between(rng, len(fresh), 2 * MINUTE, 28 * MINUTE)

    missing = (rng.random(n) < 0.02) & ~default
    missing_dim = rng.integers(0, 3, n)
    return {
        "rated": rated,
        "rated_at": rated_at,
        "default": default,
        "grade": grade,
        "cause": cause,
        "second_cause": second_cause,
        "scores": scores,
        "missing_dim": np.where(missing, missing_dim, -1),
        "comment_pick": comment_pick,
        "comment2_pick": comment2_pick,
        "good_pick": good_pick,
        "replied": replied,
        "two_items": two_items,
        "second_delay": _between(rng, n, 0, 90),
    }


def _complaints(
    rng: np.random.Generator,
    shop: _Shop,
    n: int,
    late_shipment: np.ndarray,
    shipped_on_paper: np.ndarray,
    deadline: np.ndarray,
    refunds: dict[str, np.ndarray],
    pick_last: np.ndarray,
    counters: _Counters,
) -> dict[str, np.ndarray]:
    end = shop.end
    reason = refunds["reason"]
    quality = refunds["rows"] & np.isin(reason, [R_QUALITY, R_MISMATCH, R_BROKEN])
    about_late = late_shipment & (rng.random(n) < 0.25)
    about_item = quality & (rng.random(n) < 0.15)
    other = (pick_last >= 0) & (rng.random(n) < 0.003)
    kind = np.select(
        [about_late, about_item, other],
        [
            np.where(shipped_on_paper & (rng.random(n) < 0.6), 1, 0),
            np.where(reason == R_MISMATCH, 3, 2),
            rng.choice([4, 5, 6], n),
        ],
        -1,
    )
    reference = np.select([kind <= 1, kind <= 3], [deadline, refunds["applied"]], pick_last)
    created = reference + _between(rng, n, 2 * HOUR, 5 * DAY)
    rows = (kind >= 0) & (created <= end)
    judged = _cut(created + _between(rng, n, DAY, 7 * DAY), end)
    established_p = np.array([0.6, 0.7, 0.3, 0.3, 0.2, 0.3, 0.25])[np.maximum(kind, 0)]
    intervened = rng.random(n) < 0.85
    established = (
        (judged >= 0) & (rng.random(n) < established_p) & (intervened | (rng.random(n) < 0.3))
    )
    complaint_no = counters.complaint + np.cumsum(rows) - 1
    counters.complaint += int(rows.sum())
    return {
        "rows": rows,
        "complaint_id": 500_000_000_000 + _ids(complaint_no, 11, 3),
        "created": created,
        "judged": judged,
        "established": established,
        "intervened": intervened,
        "kind": kind,
    }


# ---------------------------------------------------------------------------------------
# Polars: arrays to export frames


def _lookup(values: Sequence[str], column: str | pl.Expr) -> pl.Expr:
    index = pl.col(column) if isinstance(column, str) else column
    table = pl.lit(pl.Series(list(values), dtype=pl.String))
    return pl.when(index >= 0).then(table.gather(index.clip(0, len(values) - 1)))


def _time(column: str, fmt: str = ISO) -> pl.Expr:
    value = pl.col(column)
    return pl.when(value >= 0).then(pl.from_epoch(value, time_unit="s").dt.strftime(fmt))


def _yuan(column: str, yen: str | None = None) -> pl.Expr:
    fen = pl.col(column)
    text = pl.concat_str(
        (fen // 100).cast(pl.String), pl.lit("."), (fen % 100).cast(pl.String).str.zfill(2)
    )
    if yen is not None:
        text = pl.when(pl.col(yen)).then(pl.concat_str(pl.lit("¥"), text)).otherwise(text)
    return pl.when(fen >= 0).then(text)


def _bool(column: str) -> pl.Expr:
    return pl.when(pl.col(column)).then(pl.lit("是")).otherwise(pl.lit("否"))


def _nick(column: str, width: int) -> pl.Expr:
    """Taobao-like member names, one per buyer index and never two buyers alike: ``h`` is a
    bijection of the index onto [0, 36**width) (golden-ratio multiplier coprime with 36)."""
    modulus = 36**width
    multiplier = int(modulus * 0.6180339887)
    while math.gcd(multiplier, modulus) != 1:
        multiplier += 1
    b = pl.col(column)
    h = (b * multiplier + 97) % modulus
    style = h % 10
    base36 = [
        pl.lit(pl.Series(list(BASE36))).gather((h // 36**k) % 36) for k in range(width - 1, -1, -1)
    ]
    words = pl.lit(pl.Series(list(NICK_WORDS))).gather((h // 10) % len(NICK_WORDS))
    number = (h // 10 // len(NICK_WORDS)) * 5 + (style - 5) + 10_000
    return (
        pl.when(b < len(CURATED_NICKS))
        .then(_lookup(CURATED_NICKS, b))
        .when(style < 4)
        .then(pl.concat_str(pl.lit("tb_"), *base36))
        .when(style == 4)
        .then(pl.concat_str(pl.lit("tb"), (h + 1_000_000_000).cast(pl.String)))
        .otherwise(pl.concat_str(words, number.cast(pl.String)))
    )


def _tracking_digits(package: np.ndarray) -> np.ndarray:
    return _ids(package, 11, 4)


def _tracking(digits: str, carrier: str) -> pl.Expr:
    """Carrier prefix + 11 scrambled digits: unique per package across the whole shop."""
    prefix = _lookup([row[4] for row in CARRIERS], carrier)
    return pl.when(pl.col(digits) >= 0).then(
        pl.concat_str(prefix, pl.col(digits).cast(pl.String).str.zfill(11))
    )


def _frames(
    rng: np.random.Generator, shop: _Shop, sim: _Sim, wrappers: bool
) -> dict[str, pl.DataFrame]:
    orders = pl.DataFrame(sim.arrays)
    return {
        "orders": _orders_frame(shop, orders, wrappers),
        "logistics": _logistics_frame(orders, sim.packages),
        "reviews": _reviews_frame(shop, orders, sim.reviews),
        "refunds": _refunds_frame(orders, sim.refunds),
        "complaints": _complaints_frame(orders, sim.complaints),
        **_chats_frames(rng, shop, sim),
    }


def _orders_frame(shop: _Shop, orders: pl.DataFrame, wrappers: bool) -> pl.DataFrame:
    order_id = pl.col("order_id").cast(pl.String)
    tracking = (
        pl.when(pl.col("tracking2") >= 0)
        .then(pl.concat_str(_tracking("tracking1", "carrier"), pl.lit(","),
                            _tracking("tracking2", "carrier")))
        .otherwise(_tracking("tracking1", "carrier"))
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
        _lookup([row[0] for row in PROVINCES], "province"),
        _lookup([row[1] for row in PROVINCES], "province"),
        _lookup([row[2] for row in PROVINCES], "province"),
        pl.lit("***"),
        separator=" ",
    )
    return orders.sort("created", "order_id", descending=True).select(
        order_id.alias("订单编号"),
        _nick("buyer", shop.nick_width).alias("买家会员名"),
        pl.lit(pl.Series(shop.item_ids)).gather("item1").cast(pl.String).alias("宝贝ID"),
        _lookup([row[0] for row in ITEMS], "item1").alias("宝贝标题"),
        pl.col("kinds").alias("宝贝种类"),
        pl.col("qty").alias("宝贝总数量"),
        _yuan("postage").alias("买家应付邮费"),
        _yuan("paid_fen").alias("买家实际支付金额"),
        _lookup(ORDER_STATUS, "status").alias("订单状态"),
        address.alias("收货地址"),
        _time("created").alias("订单创建时间"),
        _time("paid").alias("订单付款时间"),
        _time("promised").alias("承诺发货时间"),
        _time("click").alias("发货时间"),
        _lookup([row[0] for row in CARRIERS], "carrier").alias("物流公司"),
        tracking.alias("物流单号 "),  # the real export's header has the trailing space
        _lookup([row[0] for row in WAREHOUSES], "warehouse").alias("发货仓"),
        _lookup(("当日达", "次日达", "送货上门"), "service").alias("物流服务"),
        _time("delivered").alias("签收时间"),
        _yuan("auto_fen").alias("延迟发货自动赔付金额"),
        _lookup(BUYER_MESSAGES, "message").alias("买家留言"),
    )


def _logistics_frame(orders: pl.DataFrame, packages: dict[str, np.ndarray]) -> pl.DataFrame:
    # order rank as in the orders file, so events follow the orders' order
    rank = np.empty(len(orders), dtype=np.int64)
    created = orders.get_column("created").to_numpy()
    order_id = orders.get_column("order_id").to_numpy()
    rank[np.lexsort((-order_id, -created))] = np.arange(len(orders))

    origin = pl.concat_str(
        pl.lit("【"), _lookup([w[3] for w in WAREHOUSES], "warehouse"), pl.lit("】")
    )
    destination = _lookup([p[1] for p in PROVINCES], "province")
    carrier = _lookup([c[0] for c in CARRIERS], "carrier")
    # The pickup wording differs by carrier; 菜鸟 warehouses report 包裹已出库 first and the
    # pickup as the move to the sorting centre (SPEC §4).
    texts = {
        "packed": pl.concat_str(origin, pl.lit("您的包裹已打包，等待快递上门")),
        "out": pl.concat_str(origin, pl.lit("包裹已出库")),
        "pick": pl.when(pl.col("cainiao"))
        .then(pl.concat_str(origin, pl.lit("正在发往分拨中心")))
        .otherwise(
            pl.concat_str(
                origin, carrier, pl.lit(" "), _lookup([w[4] for w in WAREHOUSES], "warehouse"),
                pl.lit("网点 快递员 "), _lookup(COURIERS, "courier"), pl.lit(" "),
                _lookup([c[5] for c in CARRIERS], "carrier"),
            )
        ),
        "transit": pl.when(pl.col("cainiao"))
        .then(pl.concat_str(origin, pl.lit("已从分拨中心发出，发往 "), destination))
        .otherwise(pl.concat_str(origin, pl.lit("快件已发往 "), destination, pl.lit("转运中心"))),
        "out_for_delivery": pl.concat_str(
            pl.lit("【"), destination, pl.lit("】派送中，快递员 "), _lookup(COURIERS, "courier2"),
            pl.lit("，电话 138****"), pl.col("phone").cast(pl.String),
        ),
        "delivered": pl.concat_str(
            pl.lit("【"), destination, pl.lit("】已签收，签收人："), _lookup(SIGNERS, "signer"),
            pl.lit("，感谢使用"), carrier,
        ),
    }  # fmt: skip
    parts = []
    for slot, (name, text) in enumerate(texts.items()):
        row = np.flatnonzero(packages[name] >= 0)
        order_row = packages["order_row"][row]
        part = pl.DataFrame(
            {
                "rank": rank[order_row],
                "second": packages["second"][row],
                "slot": np.full(len(row), slot),
                "at": packages[name][row],
                "order_id": order_id[order_row],
                **{key: packages[key][row] for key in
                   ("tracking", "carrier", "warehouse", "province", "cainiao", "courier",
                    "courier2", "signer", "phone")},
            }
        )  # fmt: skip
        parts.append(
            part.select("rank", "second", "slot", "at", "order_id", "tracking", "carrier",
                        text.alias("text"))
        )  # fmt: skip
    return (
        pl.concat(parts)
        .sort("rank", "second", "at", "slot")
        .select(
            _tracking("tracking", "carrier").alias("物流单号"),
            pl.col("order_id").cast(pl.String).alias("订单编号"),
            _time("at").alias("时间"),
            pl.col("text").alias("物流状态"),
        )
    )


def _reviews_frame(
    shop: _Shop, orders: pl.DataFrame, reviews: dict[str, np.ndarray]
) -> pl.DataFrame:
    rated = reviews["rated"]
    first = np.flatnonzero(rated)
    second = np.flatnonzero(rated & reviews["two_items"])
    row = np.concatenate([first, second])
    is_second = np.arange(len(row)) >= len(first)
    scores = reviews["scores"][row].copy()
    low = scores.min(axis=1)
    grade = np.where(low >= 4, 0, np.where(low == 3, 1, 2))
    missing_dim = reviews["missing_dim"][row]
    default = reviews["default"][row]
    scores = np.where((np.arange(3)[None, :] == missing_dim[:, None]) | default[:, None], 0, scores)
    item = np.where(is_second, orders.get_column("item2").to_numpy()[row],
                    orders.get_column("item1").to_numpy()[row])  # fmt: skip
    cause = reviews["cause"][row]
    second_cause = reviews["second_cause"][row]
    frame = pl.DataFrame(
        {
            "order_id": orders.get_column("order_id").to_numpy()[row],
            "buyer": orders.get_column("buyer").to_numpy()[row],
            "at": np.minimum(
                reviews["rated_at"][row] + np.where(is_second, reviews["second_delay"][row], 0),
                shop.end,
            ),
            "description": scores[:, 0],
            "service": scores[:, 1],
            "logistics": scores[:, 2],
            "grade": np.where(default, 0, grade),
            "default": default,
            "comment_key": np.where(grade > 0, cause * 5 + reviews["comment_pick"][row], -1),
            "comment2_key": np.where(
                (grade == 2) & (second_cause >= 0), second_cause * 5 + reviews["comment2_pick"][row], -1
            ),
            "good_pick": reviews["good_pick"][row],
            "reply_key": np.where(
                reviews["replied"][row], np.where(grade > 0, cause, 5 + reviews["good_pick"][row] % 2), -1
            ),
            "item": item,
        }
    )  # fmt: skip
    bad_comments = [text for cause_texts in CAUSE_COMMENTS for text in cause_texts]
    comment = (
        pl.when(pl.col("default"))
        .then(pl.lit(DEFAULT_GOOD))
        .when(pl.col("comment_key") >= 0)
        .then(
            pl.when(pl.col("comment2_key") >= 0)
            .then(pl.concat_str(_lookup(bad_comments, "comment_key"), pl.lit("，"),
                                _lookup(bad_comments, "comment2_key")))
            .otherwise(_lookup(bad_comments, "comment_key"))
        )
        .otherwise(_lookup(GOOD_COMMENTS, "good_pick"))
    )  # fmt: skip

    def score(column: str) -> pl.Expr:
        return pl.when(pl.col(column) > 0).then(pl.col(column))

    return frame.sort("at", "order_id", "item", descending=True).select(
        pl.col("order_id").cast(pl.String).alias("订单编号"),
        _nick("buyer", shop.nick_width).alias("买家会员名"),
        _time("at").alias("评价时间"),
        score("description").alias("宝贝与描述相符"),
        score("service").alias("卖家的服务态度"),
        score("logistics").alias("物流服务的质量"),
        _lookup(("好评", "中评", "差评"), "grade").alias("评价结果"),
        comment.alias("评价内容"),
        _lookup((*CAUSE_REPLIES, *GOOD_REPLIES), "reply_key").alias("解释内容"),
        pl.lit(pl.Series(shop.item_ids)).gather("item").cast(pl.String).alias("宝贝ID"),
        _lookup([row[0] for row in ITEMS], "item").alias("宝贝标题"),
    )


def _refunds_frame(orders: pl.DataFrame, refunds: dict[str, np.ndarray]) -> pl.DataFrame:
    rows = refunds["rows"]
    keys = ("refund_id", "applied", "amount", "returns", "reason", "status", "after_sale",
            "received", "shipped", "agreed", "returned", "done", "intervened", "ruling",
            "signed", "yen")  # fmt: skip
    frame = pl.DataFrame(
        {"order_id": orders.get_column("order_id").to_numpy()[rows]}
        | {key: refunds[key][rows] for key in keys}
    )
    return frame.sort("applied", "refund_id", descending=True).select(
        pl.col("refund_id").cast(pl.String).alias("退款编号"),
        pl.col("order_id").cast(pl.String).alias("订单编号"),
        _time("applied", SLASH).alias("退款的申请时间"),
        _yuan("amount", yen="yen").alias("买家退款金额"),
        pl.when(pl.col("returns")).then(pl.lit("退货退款")).otherwise(pl.lit("仅退款")).alias("售后类型"),
        _bool("returns").alias("是否需要退货"),
        _lookup(REFUND_REASONS, "reason").alias("买家退款原因"),
        _lookup(REFUND_STATUS, "status").alias("退款状态"),
        pl.when(pl.col("after_sale")).then(pl.lit("售后")).otherwise(pl.lit("售中")).alias("售中或售后"),
        pl.when(pl.col("received")).then(pl.lit("买家已收到货"))
        .otherwise(pl.lit("买家未收到货")).alias("货物状态"),
        _bool("shipped").alias("是否已发货"),
        _time("agreed", SLASH).alias("卖家同意退货时间"),
        _time("returned", SLASH).alias("买家退货时间"),
        _time("done", SLASH).alias("退款完结时间"),
        pl.when(pl.col("intervened")).then(pl.lit("客服已介入"))
        .otherwise(pl.lit("不需要客服介入")).alias("客服介入状态"),
        _lookup(RULINGS, "ruling").alias("责任方"),
        _time("signed", SLASH).alias("签收时间"),
    )  # fmt: skip


def _complaints_frame(orders: pl.DataFrame, complaints: dict[str, np.ndarray]) -> pl.DataFrame:
    rows = complaints["rows"]
    keys = ("complaint_id", "created", "judged", "established", "intervened", "kind")
    frame = pl.DataFrame(
        {"order_id": orders.get_column("order_id").to_numpy()[rows]}
        | {key: complaints[key][rows] for key in keys}
    )
    return frame.sort("created", "complaint_id", descending=True).select(
        pl.col("complaint_id").cast(pl.String).alias("投诉编号"),
        pl.col("order_id").cast(pl.String).alias("订单编号"),
        _time("created").alias("投诉时间"),
        _time("judged").alias("判定时间"),
        _bool("established").alias("是否成立"),
        _bool("intervened").alias("是否小二介入"),
        _lookup(COMPLAINT_TYPES, "kind").alias("投诉类型"),
    )


def _chats_frames(rng: np.random.Generator, shop: _Shop, sim: _Sim) -> dict[str, pl.DataFrame]:
    """旺旺 consultations (before buying, after buying, and visitors who never bought) and
    the 客服评价 that follow some of them."""
    end = shop.end
    a = sim.arrays
    n = sim.n
    since = end - CHAT_DAYS * DAY
    created, paid = a["created"], a["paid"]
    presale = (created >= since) & (rng.random(n) < 0.3)
    troubled = (a["status"] == WAIT_SHIP) | (a["auto_fen"] >= 0) | sim.refunds["rows"]
    aftersale = (paid >= since) & (rng.random(n) < np.where(troubled, 0.4, 0.1))
    pre_rows, post_rows = np.flatnonzero(presale), np.flatnonzero(aftersale)
    visitors = round(0.2 * (len(pre_rows) + len(post_rows)))
    visitor_day = rng.integers(0, CHAT_DAYS, visitors)
    visitor_start = (
        (shop.today - visitor_day) * DAY
        + rng.choice(24, visitors, p=_p(PAY_HOUR_SHARE)) * HOUR
        + _between(rng, visitors, 0, HOUR)
    )
    buyer = np.concatenate(
        [
            a["buyer"][pre_rows],
            a["buyer"][post_rows],
            shop.buyers + len(CURATED_NICKS) + rng.integers(0, shop.buyers, visitors),
        ]
    )
    start = np.concatenate(
        [
            created[pre_rows] - _between(rng, len(pre_rows), 2 * MINUTE, 3 * HOUR),
            paid[post_rows] + _between(rng, len(post_rows), 10 * HOUR, 5 * DAY),
            visitor_start,
        ]
    )
    topic = np.concatenate(
        [np.zeros(len(pre_rows)), np.ones(len(post_rows)), np.zeros(visitors)]
    ).astype(np.int64)
    m = len(start)
    hour = _hour(start)
    shift = np.where(hour < 8, NIGHT, np.where(hour < 17, DAYTIME, EVENING))
    auto = rng.random(m) < 0.55
    assistant = rng.random(m) < np.where(shift == NIGHT, 0.6, 0.3)
    unanswered_p = np.where(shift == NIGHT, 0.45, np.where(hour >= 22, 0.08, 0.015))
    human = rng.random(m) >= unanswered_p
    account = ON_SHIFT[shift, rng.integers(0, 3, m)]
    median = np.array(ACCOUNT_MEDIAN_SECONDS)[account] * np.where(shift == NIGHT, 2, 1)
    delay = np.maximum(median * rng.lognormal(0.0, 0.9, m), 5).astype(np.int64)
    again = rng.random(m) < 0.3
    follow_up = human & (rng.random(m) < 0.35)
    follow_up_at = start + delay + _between(rng, m, 20, 8 * MINUTE)
    reply2_at = follow_up_at + np.maximum(median * rng.lognormal(0.0, 0.9, m), 5).astype(np.int64)
    reply2 = follow_up & (rng.random(m) >= 0.08)

    # Plant: asked at 23:59, answered at 00:01 the next day (not answered that day).
    late_night = _choose(rng, (start >= end - 29 * DAY) & (start < end - 2 * DAY), 1)
    if len(late_night):
        k = late_night[0]
        day_end = (start[k] // DAY + 1) * DAY
        start[k] = day_end - 50
        delay[k] = 110 + int(rng.integers(0, 40))
        auto[k], assistant[k], human[k], again[k], follow_up[k], reply2[k] = (
            False, False, True, False, False, False,
        )  # fmt: skip
        account[k] = 3

    seller = np.array([f"{SHOP}:{name}" for name in ACCOUNTS])
    slots = (
        # (present, time, speaker, text key, auto, assistant)
        (np.ones(m, dtype=bool), start, -1, 0, False, False),
        (again, start + _between(rng, m, 5, 60), -1, 1, False, False),
        (auto, start + _between(rng, m, 1, 4), 0, 2, True, False),
        (assistant, start + _between(rng, m, 2, 10), 1, 3, False, True),
        (human, start + delay, 0, 4, False, False),
        (follow_up, follow_up_at, -1, 5, False, False),
        (reply2, reply2_at, 0, 4, False, False),
    )
    parts: dict[str, list[np.ndarray]] = {k: [] for k in
                                          ("consult", "at", "speaker", "text", "auto", "bot", "slot")}  # fmt: skip
    for slot_no, (present, at, speaker, text_key, is_auto, is_bot) in enumerate(slots):
        keep = np.flatnonzero(present & (at <= end))
        parts["consult"].append(keep)
        parts["at"].append(at[keep])
        parts["speaker"].append(np.full(len(keep), speaker))
        parts["text"].append(np.full(len(keep), text_key))
        parts["auto"].append(np.full(len(keep), is_auto))
        parts["bot"].append(np.full(len(keep), is_bot))
        parts["slot"].append(np.full(len(keep), slot_no))
    msg = {k: np.concatenate(v) for k, v in parts.items()}
    consult = msg["consult"]
    pick = rng.integers(0, 7, len(consult))
    messages = pl.DataFrame(
        {
            "buyer": buyer[consult],
            "at": msg["at"],
            "consult": consult,
            "slot": msg["slot"],
            "speaker": np.where(msg["speaker"] == 1, -2, np.where(msg["speaker"] == 0, account[consult], -1)),
            "text_key": msg["text"],
            "topic": topic[consult],
            "pick": pick,
            "auto": msg["auto"],
            "bot": msg["bot"],
        }
    )  # fmt: skip
    buyer_name = _nick("buyer", shop.nick_width)
    sender = (
        pl.when(pl.col("speaker") == -1)
        .then(buyer_name)
        .when(pl.col("speaker") == -2)
        .then(pl.lit(ASSISTANT))
        .otherwise(_lookup(list(seller), "speaker"))
    )

    def phrase(values: Sequence[str]) -> pl.Expr:
        return _lookup(values, pl.col("pick") % len(values))

    text = (
        pl.when(pl.col("text_key") == 0)
        .then(pl.when(pl.col("topic") == 0).then(phrase(PRESALE_QUESTIONS))
              .otherwise(phrase(AFTERSALE_QUESTIONS)))
        .when(pl.col("text_key") == 1).then(pl.lit("在吗？"))
        .when(pl.col("text_key") == 2).then(pl.lit(AUTO_REPLY))
        .when(pl.col("text_key") == 3).then(phrase(ASSISTANT_REPLIES))
        .when(pl.col("text_key") == 5).then(phrase(FOLLOW_UPS))
        .otherwise(phrase(HUMAN_REPLIES))
    )  # fmt: skip
    chats = messages.sort("at", "consult", "slot").select(
        buyer_name.alias("买家"),
        _time("at").alias("时间"),
        sender.alias("发送方"),
        pl.when(pl.col("speaker") == -1)
        .then(pl.lit("买家"))
        .otherwise(pl.lit("卖家"))
        .alias("方向"),
        text.alias("内容"),
        _bool("auto").alias("是否自动回复"),
        _bool("bot").alias("是否机器人"),
    )

    # 客服评价: some consultations answered by a person, and a few by the 店小蜜 (服务助手).
    last_at = np.where(reply2, reply2_at, start + delay)
    rated_human = human & (rng.random(m) < 0.2)
    rated_bot = assistant & ~rated_human & (rng.random(m) < 0.12)
    rated = rated_human | rated_bot
    rated_at = np.where(rated_human, last_at, start + 10) + _between(rng, m, MINUTE, 8 * HOUR)
    rated &= rated_at <= end
    who = np.where(rated_bot, len(ACCOUNTS), account)
    score = 1 + _rows_choice(rng, CS_SCORE_P[who])
    source = np.where(
        rated_bot,
        np.where(rng.random(m) < 0.8, 2, 0),
        rng.choice(3, m, p=[0.55, 0.25, 0.20]),
    )
    tag_count = rng.choice(4, m, p=[0.35, 0.35, 0.2, 0.1])
    tag_count = np.where(account == 4, 0, tag_count)  # 阿杰's raters never tick a tag
    tags = len(GOOD_TAGS)
    t1 = rng.integers(0, tags, m)
    t2 = (t1 + 1 + rng.integers(0, tags // 2, m)) % tags
    t3 = (t1 + 1 + tags // 2 + rng.integers(0, tags - 1 - tags // 2, m)) % tags
    keep = np.flatnonzero(rated)
    ratings = pl.DataFrame(
        {
            "at": rated_at[keep],
            "consult": keep,
            "who": who[keep],
            "score": score[keep],
            "source": source[keep],
            "tag_count": np.where(rated_bot[keep], np.minimum(tag_count[keep], 1), tag_count[keep]),
            "t1": t1[keep], "t2": t2[keep], "t3": t3[keep],
            "sep": rng.integers(0, len(TAG_SEPARATORS), m)[keep],
            "buyer": buyer[keep],
        }
    )  # fmt: skip

    def tag(column: str) -> pl.Expr:
        return (
            pl.when(pl.col("score") >= 4)
            .then(_lookup(GOOD_TAGS, column))
            .otherwise(_lookup(BAD_TAGS, column))
        )

    sep = _lookup(TAG_SEPARATORS, "sep")
    count = pl.col("tag_count")
    tag_text = (
        pl.when(count == 1).then(tag("t1"))
        .when(count == 2).then(pl.concat_str(tag("t1"), sep, tag("t2")))
        .when(count == 3).then(pl.concat_str(tag("t1"), sep, tag("t2"), sep, tag("t3")))
    )  # fmt: skip
    cs_ratings = ratings.sort("at", "consult", descending=True).select(
        _time("at").alias("评价时间"),
        _lookup([*seller, BOT_ACCOUNT], "who").alias("客服子账号"),
        pl.col("score").alias("评分"),
        tag_text.alias("标签"),
        _lookup(CS_SOURCES, "source").alias("评价来源"),
        _nick("buyer", shop.nick_width).alias("买家"),
    )
    return {"chats": chats, "cs_ratings": cs_ratings}
