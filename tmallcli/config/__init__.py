"""Load, merge and validate the YAML config (SPEC §1 "Config").

``config/default.yaml`` ships every weight, threshold, keyword list and scale; a user file
(``--config FILE``, else ``./tmall.yaml``) is deep-merged over it, then ``overrides``.
Dicts merge recursively; lists and scalars replace; an empty section (``dsr:`` with
nothing under it) changes nothing. Categories of the 基础服务考核分 live in
``service_score.categories`` and may ``inherit`` another category (recursively,
deep-merged). The merged result is validated with Pydantic models that forbid unknown
keys; every problem is one :class:`~tmallcli.errors.ConfigError` naming the key path::

    config: service_score.categories.女装.weights.product: must be between 0 and 1 (got 1.7)

No Polars, no Rich here: the config is read before any data is.

* :mod:`.fields` — the value checks and field types (a percentage, fen, a clock time …);
* :mod:`.models` — the sections as typed models and :class:`Config`;
* :mod:`.loading` — the YAML reader, the merge, ``inherit``, :func:`load_config`;
* :mod:`.errors` — a validation error as the one ``config: <key path>: <problem>`` line.
"""

from __future__ import annotations

from tmallcli.config.fields import DIMENSIONS
from tmallcli.config.loading import (
    USER_CONFIG_NAME,
    deep_merge,
    default_config_path,
    load_config,
    validate_config,
)
from tmallcli.config.models import (
    AutoRefundConfig,
    AutoRefundRule,
    CompensationConfig,
    Config,
    CsConfig,
    DayWindow,
    DsrConfig,
    DsrThresholds,
    LateShipmentConfig,
    OrdersConfig,
    OutOfStockConfig,
    PickupConfig,
    PickupPreset,
    PromiseBrokenConfig,
    RefundsConfig,
    ResponseConfig,
    ReviewCause,
    ReviewsConfig,
    ServiceHours,
)
from tmallcli.config.scoring import (
    METRIC_KEYS,
    BadRateMetric,
    CategoryConfig,
    DimensionWeights,
    DsrIndustry,
    DurationMetric,
    MetricConfig,
    MetricsConfig,
    RateMetric,
    ReviewScoreMetric,
    ServiceScoreConfig,
)

__all__ = [
    "DIMENSIONS",
    "METRIC_KEYS",
    "USER_CONFIG_NAME",
    "AutoRefundConfig",
    "AutoRefundRule",
    "BadRateMetric",
    "CategoryConfig",
    "CompensationConfig",
    "Config",
    "CsConfig",
    "DayWindow",
    "DimensionWeights",
    "DsrConfig",
    "DsrIndustry",
    "DsrThresholds",
    "DurationMetric",
    "LateShipmentConfig",
    "MetricConfig",
    "MetricsConfig",
    "OrdersConfig",
    "OutOfStockConfig",
    "PickupConfig",
    "PickupPreset",
    "PromiseBrokenConfig",
    "RateMetric",
    "RefundsConfig",
    "ResponseConfig",
    "ReviewCause",
    "ReviewScoreMetric",
    "ReviewsConfig",
    "ServiceHours",
    "ServiceScoreConfig",
    "deep_merge",
    "default_config_path",
    "load_config",
    "validate_config",
]
