"""zh for what ``tmall portfolio`` and ``portfolio merge`` say (SPEC §15): the shops, the
shards, a shop's failed report."""

from __future__ import annotations

PORTFOLIO: dict[str, str] = {
    # the shops (runs/portfolio.py, config/shops.py)
    "give the shops: a folder of shop folders, or a shops.yaml": (
        "请给出店铺: 每家店铺一个子文件夹的文件夹, 或 shops.yaml"
    ),
    "{path}: give a folder of shop folders or a shops.yaml": (
        "{path}: 请给出每家店铺一个子文件夹的文件夹, 或 shops.yaml"
    ),
    "{path}: no shops in it": "{path}: 其中没有店铺",
    "two shops are named {name!r}: {first} and {second}": (
        "有两家店铺都叫 {name!r}: {first} 和 {second}"
    ),
    "shop {name!r} is listed twice": "店铺 {name!r} 列出了两次",
    "--shard: give i/n with 1 ≤ i ≤ n, e.g. --shard 2/3 (got {value!r})": (
        "--shard: 请给出 i/n, 且 1 ≤ i ≤ n, 例如 --shard 2/3 (实际为 {value!r})"
    ),
    # a shop's row (commands/portfolio.py, runs/portfolio.py)
    "shop {shop}: {error}": "店铺 {shop}: {error}",
    "the shop's report stopped unexpectedly ({error}); run tmall report --dir {folder} --debug to see why": (
        "该店铺的报告意外中止 ({error}); 请运行 tmall report --dir {folder} --debug 查看原因"
    ),
    # merge
    "give the shards' JSON files to merge": "请给出要合并的各分片 JSON 文件",
    "not JSON ({error})": "不是 JSON ({error})",
    "not the JSON of tmall portfolio (no shops list of shop rows)": (
        "不是 tmall portfolio 的 JSON (没有店铺行的 shops 列表)"
    ),
    "as of {day}, the other files as of {first}: merge one day's shards": (
        "统计日期为 {day}, 其他文件为 {first}: 请合并同一天的分片"
    ),
    "shop {shop!r} is also in {other}: each shop belongs to one shard": (
        "店铺 {shop!r} 也在 {other} 中: 每家店铺只能属于一个分片"
    ),
    "shard {index}/{count} is also {other}": "分片 {index}/{count} 也是 {other}",
    "the files are slices of different splits ({splits}): merge the shards of one run": (
        "这些文件来自不同的分片方式 ({splits}): 请合并同一次运行的分片"
    ),
    "shard {missing} of {count} is missing: its shops would be left out": (
        "共 {count} 片, 缺少分片 {missing}: 其中的店铺会被漏掉"
    ),
    "merge every slice's portfolio-I-of-N.json": "请合并每一片的 portfolio-I-of-N.json",
}
