"""Money is a whole number of đồng; this module only formats it."""

# Between the amount and "₫": a no-break space, so that a narrow cell never puts the symbol on a
# line of its own ("70.000.000" / "₫").
NBSP = "\u00a0"


def format_vnd(amount: int | None, *, symbol: bool = True) -> str:
    """Format an integer count of đồng the Vietnamese way: ``70.000.000 ₫`` (the space is a
    no-break space)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}{digits}{NBSP}₫" if symbol else f"{sign}{digits}"
