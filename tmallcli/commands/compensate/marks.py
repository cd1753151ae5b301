"""``tmall compensate mark-paid`` and ``tmall compensate void``: close open payout lines
(SPEC §5.1), idempotently, in one transaction each."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tmallcli.commands import options as o
from tmallcli.commands.compensate import LEDGER, app
from tmallcli.commands.run import Outcome, run
from tmallcli.i18n import tr

LedgerFile = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        metavar="FILE",
        help="The payout ledger written by late-orders --ledger (must exist).",
        rich_help_panel=LEDGER,
    ),
]
RunId = Annotated[
    str | None,
    typer.Option(
        "--run",
        metavar="RUN",
        help="Every line of this run (the run ID the list prints).",
        rich_help_panel=LEDGER,
    ),
]
Lines = Annotated[
    list[str] | None,
    typer.Option(
        "--line",
        metavar="LINE",
        help="These line IDs (repeat the option, or 12,13).",
        rich_help_panel=LEDGER,
    ),
]
Buyer = Annotated[
    str | None,
    typer.Option(
        "--buyer",
        metavar="BUYER",
        help="Every line of this buyer (买家会员名).",
        rich_help_panel=LEDGER,
    ),
]
Orders = Annotated[
    list[str] | None,
    typer.Option(
        "--order",
        metavar="ORDER",
        help="The lines of these orders (订单编号).",
        rich_help_panel=LEDGER,
    ),
]
PaidFile = Annotated[
    Path | None,
    typer.Option(
        "--file",
        metavar="FILE",
        help="The payout CSV handed back with its 已发放 (paid) column filled in, or a "
        "red-packet record listing buyer and amount.",
        rich_help_panel=LEDGER,
    ),
]
Reason = Annotated[
    str | None,
    typer.Option(
        "--reason",
        metavar="TEXT",
        help="Why the money is not owed any more (the buyer refused, settled another way).",
        rich_help_panel=LEDGER,
    ),
]


def _line_ids(values: list[str] | None) -> list[int]:
    from tmallcli.errors import UsageError

    ids = []
    for value in values or []:
        for part in value.replace(";", ",").split(","):
            if not part.strip():
                continue
            if not part.strip().isdigit():
                raise UsageError(tr("--line: not a line ID (got {value!r})", value=part.strip()))
            ids.append(int(part))
    return ids


def _marked(
    ledger: Path | None,
    state: str,
    run_id: str | None,
    lines: list[str] | None,
    buyer: str | None,
    orders: list[str] | None,
    *,
    paid_file: Path | None = None,
    reason: str | None = None,
) -> Outcome:
    """mark-paid's and void's run: the selected lines marked ``state``, and what matched."""
    from tmallcli.errors import UsageError
    from tmallcli.render.marks import MarkReport
    from tmallcli.runs.compensation import run_mark

    if ledger is None:
        raise UsageError(tr("give the ledger: --ledger FILE"))
    done = run_mark(
        ledger,
        state,
        run_id=run_id,
        line_ids=_line_ids(lines),
        buyer=buyer,
        order_ids=orders,
        paid_file=paid_file,
        reason=reason,
    )
    report = MarkReport(done)
    return Outcome(report, notes=report.notes())


@app.command("mark-paid")
def mark_paid(
    ledger: LedgerFile = None,
    run_id: RunId = None,
    line: Lines = None,
    buyer: Buyer = None,
    order: Orders = None,
    paid_file: PaidFile = None,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """已发放: mark owed payout lines paid once the red packets went out.

    Select the lines with --run, --line, --buyer or --order (together: the lines that match
    them all), or hand back the payout CSV with its 已发放 column filled in (是 / Y / 1), or
    a red-packet record of buyer and amount (each packet pays that buyer's oldest open
    payout of that amount). Idempotent: a line already paid is reported, never counted
    twice; one transaction, so an interrupted marking changes nothing. Reports what matched,
    what was already paid and what did not match.

    Example: tmall compensate mark-paid --ledger payouts.db --file 红包-已发.csv
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        return _marked(ledger, "paid", run_id, line, buyer, order, paid_file=paid_file)

    run(program, opts.output, debug=debug)


@app.command("void")
def void(
    ledger: LedgerFile = None,
    reason: Reason = None,
    run_id: RunId = None,
    line: Lines = None,
    buyer: Buyer = None,
    order: Orders = None,
    fmt: o.Format = None,
    output: o.OutputFile = None,
    no_bom: o.NoBom = False,
    lang: o.LangOpt = o.Lang.zh,
    debug: o.Debug = False,
) -> None:
    """作废: void owed payout lines that will not be paid — never owed again.

    For a buyer who refused the red packet or an order settled another way. Select the
    lines as mark-paid does (--run, --line, --buyer, --order); --reason is required and is
    kept with each line. A voided line's money is never computed as owed again; a paid
    line cannot be voided (reported as unmatched). Idempotent and transactional.

    Example: tmall compensate void --ledger payouts.db --line 17 --reason "买家拒收, 已退款"
    """
    opts = o.bundle(locals())

    def program() -> Outcome:
        from tmallcli.errors import UsageError

        if ledger is not None and (reason is None or not reason.strip()):
            raise UsageError(tr('say why: --reason TEXT (e.g. --reason "buyer refused")'))
        why = None if reason is None else reason.strip()
        return _marked(ledger, "void", run_id, line, buyer, order, reason=why)

    run(program, opts.output, debug=debug)
