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

Layout: ``world`` (the shop's carriers, items and words), ``draws`` (the shop plan and the
random helpers every kind shares), ``simulate`` (one chunk of orders), one module per export
kind drawing its rows and writing its frame (``orders``, ``logistics``, ``reviews``,
``refunds``, ``chats``, ``cs_ratings``, ``complaints``), ``columns`` (the Polars expressions
they share), ``files`` (encodings, the manifest) and ``generate`` (the chunk loop).
"""

from __future__ import annotations

from tmallcli.sample.generate import (
    BUNDLED_ORDERS,
    BUNDLED_SEED,
    CHUNK_ORDERS,
    DEFAULT_AS_OF,
    KINDS,
    MAX_ORDERS,
    bundled_sample,
    generate_shop,
)

__all__ = [
    "BUNDLED_ORDERS",
    "BUNDLED_SEED",
    "CHUNK_ORDERS",
    "DEFAULT_AS_OF",
    "KINDS",
    "MAX_ORDERS",
    "bundled_sample",
    "generate_shop",
]
