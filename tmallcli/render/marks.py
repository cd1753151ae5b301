"""``mark-paid`` / ``void`` results (SPEC §5.1) → JSON and tables: what matched, what was
already so, what did not match."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tmallcli.money import yuan
from tmallcli.render.compensation import LABELS as PAYOUT_LABELS
from tmallcli.render.document import BAD, WARN, Cell, Column, Document, Section, cell

if TYPE_CHECKING:
    from tmallcli.ledger_marks import MarkedLine, MarkResult
    from tmallcli.render.labels import Labels

LABELS: dict[str, tuple[str, str]] = {
    **PAYOUT_LABELS,
    "mark.title.paid": ("登记已发放", "Marked paid"),
    "mark.title.void": ("登记作废", "Voided"),
    "mark.matched.paid": ("本次标记为已发放", "Marked paid now"),
    "mark.matched.void": ("本次作废", "Voided now"),
    "mark.already.paid": ("此前已发放 (未重复计)", "Already paid (not counted again)"),
    "mark.already.void": ("此前已作废", "Already void"),
    "mark.unmatched": ("未匹配", "Not matched"),
    "mark.not_paid_line": (
        "文件中 {n} 行未标记已发放: 仍待发",
        "{n} row(s) of the file not marked sent: still owed",
    ),
    "mark.line": (
        "账本 {path}: {matched} 行, {total} 元; 此前已是该状态 {already} 行; 未匹配 {unmatched} 项",
        "Ledger {path}: {matched} line(s), {total} yuan; {already} already so; "
        "{unmatched} not matched",
    ),
    "mark.reason": ("原因: {reason}", "Reason: {reason}"),
    "mark.source": ("依据: {source}", "From: {source}"),
    "line_id": ("行号", "Line"),
    "run_id": ("运行", "Run"),
    "what": ("项目", "Item"),
    "why": ("原因", "Why"),
}


def _ids(lines: list[MarkedLine]) -> list[int]:
    return [line.line_id for line in lines]


def _what(item: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in item.items() if k != "why")


@dataclass
class MarkReport:
    result: MarkResult

    def notes(self) -> list[str]:
        r = self.result
        notes = []
        if r.unmatched:
            notes.append(f"{len(r.unmatched)} item(s) did not match an open line: see 'unmatched'")
        if r.not_paid:
            notes.append(f"{len(r.not_paid)} row(s) of the file are not marked sent: still owed")
        return notes

    def to_json(self) -> dict[str, Any]:
        r = self.result
        return {
            "matched": _ids(r.matched),
            "already": _ids(r.already),
            "unmatched": r.unmatched,
            "not_paid": r.not_paid,
            "action": r.action,
            "ledger": r.path,
            "mark_id": r.mark_id,
            "source": r.source,
            "reason": r.reason,
            "matched_fen": r.matched_fen,
            "matched_total": yuan(r.matched_fen),
        }

    def document(self, labels: Labels) -> Document:
        t = labels.of(LABELS)
        r = self.result
        doc = Document(t(f"mark.title.{r.action}"))
        doc.line(
            t(
                "mark.line",
                path=r.path,
                matched=len(r.matched),
                total=yuan(r.matched_fen),
                already=len(r.already),
                unmatched=len(r.unmatched),
            ),
            WARN if r.unmatched else None,
        )
        doc.line(t("mark.source", source=r.source), "dim")
        if r.reason:
            doc.line(t("mark.reason", reason=r.reason), "dim")
        columns = [
            Column("line_id", t("line_id"), numeric=True),
            Column("kind", t("kind")),
            Column("buyer", t("buyer")),
            Column("order_id", t("order_id")),
            Column("amount", t("amount"), numeric=True),
            Column("run_id", t("run_id")),
        ]
        if r.not_paid:
            doc.line(t("mark.not_paid_line", n=len(r.not_paid)), WARN)
        for key, lines in (("matched", r.matched), ("already", r.already)):
            if key == "already" and not lines:
                continue
            rows = [
                [
                    cell(line.line_id),
                    Cell(t(f"kind.{line.kind}"), raw=line.kind),
                    cell(line.buyer),
                    cell(line.order_id),
                    Cell(yuan(line.amount_fen), raw=yuan(line.amount_fen)),
                    cell(line.run_id),
                ]
                for line in lines
            ]
            doc.sections.append(Section(key, t(f"mark.{key}.{r.action}"), columns, rows))
        other = [Column("what", t("what")), Column("why", t("why"))]
        if r.unmatched:
            rows = [[Cell(_what(i)), Cell(str(i.get("why", "")), BAD)] for i in r.unmatched]
            doc.sections.append(Section("unmatched", t("mark.unmatched"), other, rows))
        return doc
