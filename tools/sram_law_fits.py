#!/usr/bin/env python3
"""Why reports/sram_model.cpp interpolates instead of fitting a law (docs/sram-model.md).

Least-squares fits in log space, per CACTI 7 node, of
  power:     log y = a + b log C + c log W
  quadratic: log y = a + b log C + b2 log^2 C + c log W + d log C log W
(C capacity in bytes, W word width in bits) to the read and write energy and the area of
third_party/cacti7/cacti7_sram_grid.csv, and of a power law and a straight line in words to
the three sky130 dual-port energies (docs/sram-model.md table); prints the max and mean
relative error at the data points. Pure Python (no numpy). Run from the repository root:
  python3 tools/sram_law_fits.py
"""
import csv
import math

GRID = "third_party/cacti7/cacti7_sram_grid.csv"
SKY_WORDS = [256, 512, 1024]
SKY = {"read": [4.60, 5.13, 7.09], "write": [4.60, 5.35, 7.15]}  # pJ, 1rw1r x 32 bits


def least_squares(rows, ys):
    """Solve the normal equations (Gauss-Jordan with partial pivoting)."""
    n = len(rows[0])
    m = [[sum(r[i] * r[j] for r in rows) for j in range(n)] + [sum(r[i] * y for r, y in zip(rows, ys))]
         for i in range(n)]
    for i in range(n):
        p = max(range(i, n), key=lambda k: abs(m[k][i]))
        m[i], m[p] = m[p], m[i]
        for k in range(n):
            if k != i:
                f = m[k][i] / m[i][i]
                m[k] = [a - f * b for a, b in zip(m[k], m[i])]
    return [m[i][n] / m[i][i] for i in range(n)]


def errors(rows, ys, fit, exp):
    """Relative errors of the fit at the data points (exp: the fit is in log space)."""
    out = []
    for r, y in zip(rows, ys):
        v = sum(a * b for a, b in zip(r, fit))
        out.append(abs((math.exp(v) if exp else v) / (math.exp(y) if exp else y) - 1))
    return out


def report(name, errs):
    print(f"{name}: max {100 * max(errs):.1f}%, mean {100 * sum(errs) / len(errs):.1f}%")


def main():
    with open(GRID, newline="") as f:
        grid = list(csv.DictReader(f))
    forms = {
        "power": lambda c, w: [1, c, w],
        "quadratic": lambda c, w: [1, c, c * c, w, c * w],
    }
    for col in ["read_pJ", "write_pJ", "area_mm2"]:
        for form, terms in forms.items():
            errs = []
            for node in sorted({g["tech_nm"] for g in grid}):
                pts = [g for g in grid if g["tech_nm"] == node]
                rows = [terms(math.log(float(g["size_B"])), math.log(float(g["width_bits"]))) for g in pts]
                ys = [math.log(float(g[col])) for g in pts]
                errs += errors(rows, ys, least_squares(rows, ys), True)
            report(f"CACTI {col}, {form} law per node", errs)
    for name, ys in SKY.items():
        rows = [[1, math.log(w)] for w in SKY_WORDS]
        logs = [math.log(y) for y in ys]
        report(f"sky130 {name}, power law in words", errors(rows, logs, least_squares(rows, logs), True))
        rows = [[1, w] for w in SKY_WORDS]
        report(f"sky130 {name}, straight line in words", errors(rows, ys, least_squares(rows, ys), False))


if __name__ == "__main__":
    main()
