"""CLI glue: one module per command group. No Polars logic lives here."""
