"""Money is a whole number of đồng; this module only formats it."""


def format_vnd(amount: int | None, *, symbol: bool = True) -> str:
    """Format an integer count of đồng the Vietnamese way: ``70.000.000 ₫``."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}{digits} ₫" if symbol else f"{sign}{digits}"
