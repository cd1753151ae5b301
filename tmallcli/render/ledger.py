"""The payout ledger's listing (``tmall compensate ledger``) → JSON and tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.metrics.compensation import KINDS
from tmallcli.money import yuan
from tmallcli.render.compensation import LABELS as PAYOUT_LABELS
from tmallcli.render.document import WARN, Cell, Column, Document, Section, cell
from tmallcli.render.serialise import Shape, many

if TYPE_CHECKING:
    from tmallcli.ledger import LedgerListing
    from tmallcli.render.labels import Labels

# The payout words (kinds, buyer, amount, totals) and the ledger's own.
LABELS: dict[str, tuple[str, str]] = {
    **PAYOUT_LABELS,
    "ledger.title": ("赔付账本", "Payout ledger"),
    "ledger.entries": ("已记录的赔付", "Recorded payouts"),
    "group_id": ("合并组", "Group"),
    "run_id": ("运行", "Run"),
    "recorded_at": ("记录时间", "Recorded at"),
    "line.ledger_file": ("账本 {path}", "Ledger {path}"),
    "line.filters": ("筛选: {filters}", "Filters: {filters}"),
    "line.ledger_total": ("共 {n} 行, 合计 {total} 元", "{n} line(s), {total} yuan in all"),
    "line.states": (
        "待发 {owed} 元 · 已发放 {paid} 元 · 作废 {void} 元",
        "owed {owed} yuan · paid {paid} yuan · void {void} yuan",
    ),
    "line_id": ("行号", "Line"),
    "state": ("状态", "State"),
    "state.owed": ("待发", "owed"),
    "state.paid": ("已发放", "paid"),
    "state.void": ("作废", "void"),
    "state.adjustment": ("(调整)", "(adjustment)"),
    "settled_at": ("发放/作废时间", "Settled at"),
    "note": ("备注", "Note"),
}
LEDGER_ENTRY = Shape(
    keys=(
        "line_id",
        "state",
        "kind",
        "buyer",
        "order_id",
        "amount_fen",
        "group_id",
        "run_id",
        "recorded_at",
        "adjustment",
        "settled_at",
        "note",
    ),
    money=("amount_fen",),
)
STATES = ("owed", "paid", "void")


@dataclass
class LedgerListingReport:
    listing: LedgerListing

    def to_json(self) -> dict[str, Any]:
        entries = self.listing.entries
        summary = {}
        for kind in KINDS:
            mine = [e for e in entries if e.kind == kind]
            total = sum(e.amount_fen for e in mine)
            summary[kind] = {"count": len(mine), "total_fen": total, "total": yuan(total)}
        return {
            "ledger": self.listing.path,
            "since": self.listing.since,
            "buyer": self.listing.buyer,
            "run_id": self.listing.run_id,
            "state": self.listing.state,
            "lines": many(entries, LEDGER_ENTRY),
            "count": len(entries),
            "total_fen": self.listing.total_fen,
            "total": yuan(self.listing.total_fen),
            "totals": {f"{state}_fen": self.listing.state_fen(state) for state in STATES},
            "summary": summary,
        }

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        data = self.to_json()
        doc = Document(t("ledger.title"))
        doc.line(t("line.ledger_file", path=self.listing.path))
        filters = []
        if self.listing.since is not None:
            filters.append(f"--since {self.listing.since}")
        if self.listing.buyer is not None:
            filters.append(f"--buyer {self.listing.buyer}")
        if self.listing.run_id is not None:
            filters.append(f"--run {self.listing.run_id}")
        if self.listing.state is not None:
            filters.append(f"--state {self.listing.state}")
        if filters:
            doc.line(t("line.filters", filters=" ".join(filters)), "dim")
        doc.line(t("line.ledger_total", n=data["count"], total=data["total"]))
        doc.line(
            t("line.states", **{s: yuan(self.listing.state_fen(s)) for s in STATES}),
            WARN if self.listing.state_fen("owed") else None,
        )
        columns = [
            Column("line_id", t("line_id"), numeric=True),
            Column("state", t("state")),
            Column("kind", t("kind")),
            Column("buyer", t("buyer")),
            Column("order_id", t("order_id")),
            Column("amount", t("amount"), numeric=True),
            Column("group_id", t("group_id")),
            Column("run_id", t("run_id")),
            Column("recorded_at", t("recorded_at")),
            Column("settled_at", t("settled_at")),
            Column("note", t("note")),
        ]
        rows = [
            [
                cell(e.line_id),
                Cell(
                    t(f"state.{e.state}") + (t("state.adjustment") if e.adjustment else ""),
                    WARN if e.state == "owed" else None,
                    e.state,
                ),
                Cell(t(f"kind.{e.kind}"), raw=e.kind),
                cell(e.buyer),
                cell(e.order_id),
                Cell(yuan(e.amount_fen), raw=yuan(e.amount_fen)),
                cell(e.group_id),
                cell(e.run_id),
                cell(e.recorded_at),
                cell(e.settled_at),
                cell(e.note),
            ]
            for e in self.listing.entries
        ]
        doc.sections.append(Section("lines", t("ledger.entries"), columns, rows))
        sum_columns = [
            Column("kind", t("kind")),
            Column("count", t("count"), numeric=True),
            Column("total", t("total"), numeric=True),
        ]
        sum_rows = [
            [
                Cell(t(f"kind.{k}"), raw=k),
                cell(v["count"]),
                Cell(v["total"], raw=v["total"]),
            ]
            for k, v in data["summary"].items()
        ]
        doc.sections.append(Section("summary", t("summary"), sum_columns, sum_rows))
        return doc
