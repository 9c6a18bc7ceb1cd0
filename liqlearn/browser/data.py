"""What the browser needs from the package, exported as data at build time (never retyped).

* :func:`venues_data` -- every preset of :mod:`liqlearn.venues` with its tier table
  (caps, rates and the maintenance amounts the package computed), conventions,
  sources and the dates read;
* :func:`rules_data` -- the input rules of the validation module and their messages.
  The templates are read off the validators themselves: each is called with a
  marker name and a value it rejects, and the message it raises becomes the
  template (``{name} must be finite and > 0; got {got}``), so a reworded message
  in Python reaches the browser without anyone retyping it.

>>> rules_data()["template"]
'{name} must be {requirement}; got {got}'
>>> rules_data()["requirements"]["positive"]
'finite and > 0'
"""

from __future__ import annotations

import math
from typing import Any, Callable

__all__ = ["venues_data", "rules_data", "price_formulas_data"]

_NAME = "PARAMETER"


def _probe(check: Callable[..., Any], bad: float) -> str:
    try:
        check(_NAME, bad)
    except ValueError as exc:
        return str(exc)
    raise AssertionError(f"{check.__name__} accepted {bad!r}")


def rules_data() -> dict[str, Any]:
    """The validation rules as templates: ``template``, ``requirements``, ``choice``, sets."""
    from .. import _validation as v

    requirements: dict[str, str] = {}
    template = None
    for rule, bad in (("finite", math.inf), ("positive", -1.5), ("nonnegative", -1.5),
                      ("rate", 1.5)):
        message = _probe(getattr(v, rule), bad)
        got = repr(float(bad))
        head, _, tail = message.partition(" must be ")
        requirement, _, got_text = tail.rpartition("; got ")
        if head != _NAME or got_text != got:
            raise AssertionError(f"unexpected message shape from {rule}: {message!r}")
        requirements[rule] = requirement
        this = message.replace(_NAME, "{name}", 1).replace(requirement, "{requirement}", 1)
        this = this[: -len(got)] + "{got}"
        if template not in (None, this):
            raise AssertionError(f"validators disagree on the message shape: {this!r}")
        template = this
    try:
        v.choice(_NAME, "X", ("a", "b"))
    except ValueError as exc:
        choice = (str(exc).replace(_NAME, "{name}", 1).replace("'a', 'b'", "{allowed}", 1)
                  .replace("'X'", "{got}"))
    return {
        "template": template,
        "requirements": requirements,
        "choice": choice,
        "sides": list(v.SIDES),
        "mm_bases": list(v.MM_BASES),
    }


def _tiers(t: Any) -> dict[str, list[float]] | None:
    if t is None:
        return None
    return {"caps": [float(x) for x in t.caps], "rates": [float(x) for x in t.rates],
            "floors": [float(x) for x in t.floors], "amounts": [float(x) for x in t.amounts]}


def venues_data() -> dict[str, Any]:
    """Every venue preset (key -> fields), in the package's display order, and the disclaimer."""
    from .. import venues

    presets = {}
    for key, vn in venues.VENUES.items():
        presets[key] = {
            "key": key,
            "name": vn.name,
            "product": vn.product,
            "contract": vn.contract,
            "settlement": vn.settlement,
            "tiers": _tiers(vn.tiers),
            "tier_rule": vn.tier_rule,
            "mm_basis": vn.mm_basis,
            "fee_in_trigger": vn.fee_in_trigger,
            "maker_fee": vn.maker_fee,
            "taker_fee": vn.taker_fee,
            "contract_size": vn.contract_size,
            "max_leverage": list(vn.max_leverage) if vn.max_leverage else None,
            "source": vn.source,
            "sources": dict(vn.sources),
            "as_of": vn.as_of,
            "date_read": vn.date_read,
            "notes": vn.notes,
        }
    return {"disclaimer": venues.DISCLAIMER, "presets": presets}


def price_formulas_data() -> dict[str, Any]:
    """The formula lines ``python -m liqlearn price`` prints, keyed as the command picks them."""
    from .. import _cli_price as cli

    return {
        "liquidation": {f"{kind}/{basis}": text for (kind, basis), text in cli.FORMULAS.items()},
        "bankruptcy": dict(cli.BANKRUPTCY),
        "cross_liquidation": cli.CROSS_FORMULA,
        "cross_bankruptcy": cli.CROSS_BANKRUPTCY,
    }
