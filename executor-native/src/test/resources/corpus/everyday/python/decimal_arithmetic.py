# expect: ok
# stdout: 0.3
# stdout: 0.1428571428571428571428571429
# stdout: 19.98
# stdout: 3.14159265358979323846264338327950288419716939937510582097493
from decimal import Decimal, getcontext, ROUND_HALF_EVEN, localcontext

print(Decimal("0.1") + Decimal("0.2"))
print(Decimal(1) / Decimal(7))
print((Decimal("19.985")).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))
with localcontext() as ctx:
    ctx.prec = 60
    # Machin's formula
    def arctan_inv(x):
        total, term, n, sign = Decimal(0), Decimal(1) / x, 1, 1
        x2 = x * x
        while term != 0:
            total += sign * term / n
            term /= x2
            n += 2
            sign = -sign
        return total
    pi = 4 * (4 * arctan_inv(Decimal(5)) - arctan_inv(Decimal(239)))
    print(+pi)
