"""Money in đồng written the Vietnamese way: dots between thousands, a comma before decimals."""

from __future__ import annotations

from typing import Any


def group_thousands(value: int) -> str:
    """12500000000 → '12.500.000.000'."""
    return f"{value:,}".replace(",", ".")


def format_vnd(amount: Any) -> str:
    """'12,5 tỷ đồng (12.500.000.000 đồng)'; amounts under a million: just the đồng."""
    if amount is None:
        return "—"
    amount = int(amount)
    exact = f"{group_thousands(amount)} đồng"
    for size, word in ((10**9, "tỷ"), (10**6, "triệu")):
        if abs(amount) >= size:
            short = f"{amount / size:,.2f}".rstrip("0").rstrip(".")
            short = short.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
            return f"{short} {word} đồng ({exact})"
    return exact


def format_number(value: Any) -> str:
    """A target's value: 1234.5 → '1.234,5'; whole numbers without decimals."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return group_thousands(value)
    whole, _, decimals = f"{value:,.6f}".rstrip("0").partition(".")
    return whole.replace(",", ".") + ("," + decimals if decimals else "")
