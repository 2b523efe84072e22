"""The grammar of one number: Arabic digits, Chinese numerals or a mixture with 万/亿.

``read(t)`` gives the value of a number already folded to ASCII digits and stripped
(``"1.45亿" -> 145000000``, ``"一千二百万" -> 12000000``, ``"两万五" -> 25000``, ``"十几" ->
10`` and vague, ``"一点七八亿" -> 178000000``), or ``None``; :func:`format_chinese` writes an integer back in Chinese
numerals. The characters and their values come from ``numerals.yaml`` (:mod:`.tables`);
this module holds the rules that combine them, nothing that makes them fast.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import regex

from policy_ie.extractors.numbers.tables import Numerals, numerals

_ARABIC = regex.compile(r"\d+(?:\.\d+)?")
_PLAIN = regex.compile(r"[\d.]+")
_THOUSANDS = regex.compile(r"(?<=\d),(?=\d{3}(?!\d))")
MAX_DIGITS = 40  # a longer string is not one number of news text


def _decimal(s: str, n: Numerals) -> Decimal:
    """Value of a decimal written in numerals (四十八点九, 三点零五, 零点五).

    The whole part is an integer in numerals (no Arabic digits, nothing vague); the
    fraction is read digit by digit and has only the decimal digits of the table.
    """
    whole, _, frac = s.partition(n.point)
    if not whole or any(ch not in n.digits and ch not in n.small for ch in whole):
        raise ValueError("decimal without a whole number in numerals")
    value, _ = _below(whole, n)
    return value + _fraction(frac, n)


def _fraction(frac: str, n: Numerals) -> Decimal:
    """The digits after a decimal point (七八 is 0.78); at least one, each a decimal digit."""
    if not frac or any(ch not in n.fraction for ch in frac):
        raise ValueError("decimal point without digits after it")
    return Decimal("0." + "".join(str(n.digits[ch]) for ch in frac))


def _below(s: str, n: Numerals) -> tuple[Decimal, bool]:
    """Value of a number below the first large unit (digits, 十百千, Arabic runs, a decimal)."""
    if not s:
        raise ValueError("empty")
    if _ARABIC.fullmatch(s):
        return Decimal(s), False
    if n.point and n.point in s:
        return _decimal(s, n), False
    toks: list[tuple[str, Decimal]] = []
    i, vague = 0, False
    while i < len(s):
        m = _ARABIC.match(s, i)
        if m:
            toks.append(("d", Decimal(m.group())))
            i = m.end()
            continue
        ch = s[i]
        if ch in n.digits:
            toks.append(("z" if n.digits[ch] == 0 else "d", Decimal(n.digits[ch])))
        elif ch in n.small:
            toks.append(("u", Decimal(n.small[ch])))
        elif ch in n.vague:
            vague = True
            toks.append(("v", Decimal(0)))
        else:
            raise ValueError(f"not a numeral: {ch!r}")
        i += 1
    if all(t == "d" or t == "z" for t, _ in toks):
        # digit-by-digit form (二〇一六): only with a zero, else 三五/三四 are vague pairs
        if len(toks) > 1 and any(t == "z" for t, _ in toks) and all(v < 10 for _, v in toks):
            return Decimal("".join(str(int(v)) for _, v in toks)), False
        if len(toks) == 1 and toks[0][0] == "d":
            return toks[0][1], False
        if len(toks) == 1:
            return Decimal(0), False  # 零
        raise ValueError("digit sequence")
    if all(t == "v" for t, _ in toks):
        raise ValueError("only vague digits")
    total = Decimal(0)
    pending: Decimal | None = None
    last_unit: Decimal | None = None
    zero = False
    for j, (kind, v) in enumerate(toks):
        if kind in ("d", "v"):
            if pending is not None:
                raise ValueError("two digits")
            nxt = toks[j + 1][0] if j + 1 < len(toks) else None
            pending = (Decimal(1) if nxt == "u" else Decimal(0)) if kind == "v" else v
        elif kind == "z":
            if pending is not None:
                raise ValueError("digit before zero")
            zero = True
        else:
            if last_unit is not None and v >= last_unit:
                raise ValueError("units out of order")
            if pending is None:
                if total == 0 and last_unit is None and v == 10 and not zero:
                    pending = Decimal(1)
                else:
                    raise ValueError("unit without digit")
            total += pending * v
            last_unit, pending, zero = v, None, False
    if pending is not None:
        if zero or last_unit is None or last_unit == 10:
            total += pending
        else:
            total += pending * last_unit / 10  # 一百五 is 150
    return total, vague


def _parse(s: str, n: Numerals) -> tuple[Decimal, bool]:
    """Value of a whole number: the part before the largest unit (亿, then 万) times it, plus the rest."""
    for ch, unit in n.large_desc:
        i = s.rfind(ch)
        if i < 0:
            continue
        high, low = s[:i], s[i + 1:]
        if not high:
            raise ValueError("large unit without digit")
        hv, hvague = _parse(high, n)
        if unit == 10000 and hv >= 10000 and not _PLAIN.fullmatch(high):
            raise ValueError("万 over 万 in Chinese numerals")
        u = Decimal(unit)
        if not low:
            return hv * u, hvague
        if n.point and low[0] == n.point:  # 一万点五: the fraction of the whole number
            return hv * u + _fraction(low[1:], n), hvague
        if len(low) == 1 and (low.isdigit() or n.digits.get(low, 0) > 0):
            lv = Decimal(n.digits[low]) if low in n.digits else Decimal(low)
            return hv * u + lv * u / 10, hvague  # 两万五 is 25000
        lv, lvague = _parse(low, n)
        if lv >= u:
            raise ValueError("low part too large")
        return hv * u + lv, hvague or lvague
    return _below(s, n)


def as_number(v: Decimal) -> int | float:
    """``v`` as an int when it is whole, else a float."""
    return int(v) if v == v.to_integral_value() else float(v)


def read(t: str) -> tuple[int | float, bool] | None:
    """``(value, vague)`` of ``t``, folded to ASCII and stripped, or ``None``; never raises."""
    n = numerals()
    if "," in t:
        t = _THOUSANDS.sub("", t)
    if not t or len(t) > MAX_DIGITS:
        return None
    try:
        v, vague = _parse(t, n)
    except (ValueError, InvalidOperation, ArithmeticError, KeyError, IndexError):
        return None
    return as_number(v), vague


def format_chinese(n: int) -> str:
    """An integer ``0 <= n < 10**16`` in standard Chinese numerals (一千二百万)."""
    if n < 0 or n >= 10 ** 16:
        raise ValueError(n)
    digits = "零一二三四五六七八九"

    def small(x: int, lead: bool) -> str:
        out, gap = "", False
        for unit, ch in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = x // unit % 10
            if d == 0:
                gap = gap or bool(out)
                continue
            if gap:
                out += "零"
                gap = False
            out += ("" if d == 1 and unit == 10 and lead and not out else digits[d]) + ch
        return out

    def fmt(x: int, lead: bool) -> str:
        for unit, ch in ((10 ** 8, "亿"), (10 ** 4, "万")):
            if x >= unit:
                high, low = divmod(x, unit)
                out = fmt(high, lead) + ch
                if low:
                    out += ("零" if low < unit // 10 else "") + fmt(low, False)
                return out
        return small(x, lead)

    return "零" if n == 0 else fmt(n, True)
