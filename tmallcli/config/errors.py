"""A pydantic ValidationError as the one line a seller can act on.

Only the first problem is reported, at its key path, in the user's words::

    config: service_score.categories.女装.weights.product: must be between 0 and 1 (got 1.7)
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, ValidationError

from tmallcli.config.fields import show
from tmallcli.config.models import Config
from tmallcli.errors import ConfigError
from tmallcli.i18n import N_, tr


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated / Optional / ClassVar wrappers down to the useful type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that holds the key at ``loc`` (to list the keys it does accept)."""
    current: Any = Config
    parts = list(loc[:-1])
    while parts:
        current = _unwrap(current)
        part = parts.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "(top level)"


_TYPE_WORDS = {
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be a mapping of keys"),
    "model_type": N_("must be a mapping of keys"),
    "model_attributes_type": N_("must be a mapping of keys"),
    "decimal_type": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
}


def config_error(exc: ValidationError) -> ConfigError:
    """The first validation error as one ``config: <key path>: <problem>`` line."""
    error = exc.errors(include_url=False)[0]
    loc = tuple(error["loc"])
    kind = error["type"]
    context = error.get("ctx") or {}
    value = error.get("input")
    if kind == "tmall_config":
        at = context.get("at")
        if at:
            loc = (*loc, *at.split("."))
        return ConfigError(_key_path(loc), str(context["problem"]))
    if kind == "missing":
        hint = None
        if len(loc) >= 3 and loc[:2] == ("service_score", "categories"):
            hint = tr("a category without `inherit:` must set every key; add `inherit: 默认`")
        return ConfigError(_key_path(loc), tr("missing (required key)"), hint=hint)
    if kind == "extra_forbidden":
        model = _model_at(loc)
        if model is None:
            return ConfigError(_key_path(loc), tr("unknown key"))
        known = ", ".join(model.model_fields)
        return ConfigError(_key_path(loc), tr("unknown key (known keys: {known})", known=known))
    if kind == "literal_error":
        expected = str(context.get("expected", "")).replace(" or ", ", ")
        return ConfigError(
            _key_path(loc),
            tr("must be one of {expected} (got {value})", expected=expected, value=show(value)),
        )
    if kind in _TYPE_WORDS:
        return ConfigError(
            _key_path(loc),
            tr("{problem} (got {value})", problem=tr(_TYPE_WORDS[kind]), value=show(value)),
        )
    message = str(error["msg"])
    return ConfigError(
        _key_path(loc),
        # pydantic's own sentence, as pydantic words it.
        tr("{problem} (got {value})", problem=message[:1].lower() + message[1:], value=show(value)),
    )
