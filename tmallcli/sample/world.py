"""The simulated shop's world: 木槿生活旗舰店's carriers, warehouses, items and buyers, the
words its exports are written in, and the units the simulation counts in.

Every table here is part of the generated files' definition: reordering a tuple or changing a
share changes the bytes a seed gives.
"""

from __future__ import annotations

import numpy as np

HISTORY_DAYS = 200  # orders are paid over the 200 days before as_of
CHAT_DAYS = 60  # 旺旺 messages and 客服评价 cover the last 60 days

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
# The sub-accounts as the chats export names them (shop:account).
SELLER_ACCOUNTS = tuple(f"{SHOP}:{name}" for name in ACCOUNTS)
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
