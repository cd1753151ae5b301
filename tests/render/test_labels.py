"""Labels: one object for the language, a command's own table first, then the shared one."""

from __future__ import annotations

from tmallcli.render.labels import EN, ZH, Labels, labels_for

TABLE = {"title": ("赔付 {n} 笔", "{n} payout(s)"), "as_of": ("截至", "Until")}


def test_own_table_first_then_shared_then_the_key() -> None:
    own = ZH.of(TABLE)
    assert own("title", n=3) == "赔付 3 笔"
    assert own("as_of") == "截至"  # the command's word wins over the shared 统计日期
    assert own("category") == "类目"  # shared
    assert own("no.such.key") == "no.such.key"
    assert EN.of(TABLE)("title", n=3) == "3 payout(s)"
    assert EN("as_of") == "As of"


def test_the_language_is_kept_when_bound_and_chosen_once() -> None:
    labels = labels_for("en")
    assert labels.en and labels.lang == "en"
    assert labels.of(TABLE).of({}).en
    assert labels_for(labels) is labels
    assert Labels("zh").either("小时", "h") == "小时" and EN.either("小时", "h") == "h"
