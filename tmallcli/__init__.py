"""tmallcli — platform service scores from Tmall / Taobao seller-center exports.

The package is a library first: ``tmallcli.exports`` reads the exports,
``tmallcli.metrics`` computes the platform's rules on Polars LazyFrames and
``tmallcli.config`` loads the rule numbers; ``tmallcli.cli`` is a thin shell.
"""

__version__ = "0.1.0"
