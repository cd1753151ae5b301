"""``shops.yaml``: an agency's shops for ``tmall portfolio`` (SPEC §15), validated like the config.

Either a list of shops or a mapping with a ``shops:`` list; each shop is::

    - name: 旗舰店            # optional: default the folder's name
      folder: exports/旗舰店   # the shop's exports (relative to shops.yaml)
      category: 女装           # optional: the config's default category
      config: 旗舰店.yaml      # optional: the shop's tmall.yaml (relative to shops.yaml)

A mistake is one line naming the key path, as the config's: ``config: shops.yaml:
shops[2].folder: missing (required key)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tmallcli.config.errors import config_error
from tmallcli.config.fields import Model, Text
from tmallcli.errors import ConfigError
from tmallcli.i18n import tr


class ShopEntry(Model):
    name: Text | None = None
    folder: Text
    category: Text | None = None
    config: Text | None = None


class ShopsFile(Model):
    shops: list[ShopEntry]


def read_shops_file(path: Path) -> ShopsFile:
    """``shops.yaml`` validated, its folders and configs as written (relative to the file)."""
    import yaml

    where = path.name + ": "
    try:
        data: Any = yaml.safe_load(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise ConfigError(str(path), exc.strerror or str(exc)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), tr("YAML syntax error: {exc}", exc=exc)) from None
    if isinstance(data, list):
        data = {"shops": data}
    try:
        shops = ShopsFile.model_validate(data)
    except ValidationError as exc:
        raise config_error(exc, ShopsFile, where) from None
    seen: set[str] = set()
    for i, shop in enumerate(shops.shops):
        name = shop.name or Path(shop.folder).name
        if name in seen:  # two rows of one shop would write one report over the other
            raise ConfigError(
                f"{where}shops[{i}].name", tr("shop {name!r} is listed twice", name=name)
            )
        seen.add(name)
    return shops
