"""Reference values for the across-event test modules in src/stats/ (scipy/numpy only).

Each test module's unit test uses the small samples below; run this script to regenerate.
Run: python3 tests/reference/tests_reference.py
"""
import numpy as np
from scipy import stats

x = np.array([0.012, -0.004, 0.031, 0.008, -0.015, 0.022, 0.005, 0.017, -0.002, 0.026])
n = len(x)
t = stats.ttest_1samp(x, 0.0)
print("csect t, p:", float(t.statistic), float(t.pvalue))

# Wilcoxon signed-rank, normal approximation without continuity correction, z for W+.
w = stats.wilcoxon(x, zero_method="wilcox", correction=False, method="approx")
r = stats.rankdata(np.abs(x))
wplus = r[x > 0].sum()
z = (wplus - n * (n + 1) / 4) / np.sqrt(n * (n + 1) * (2 * n + 1) / 24)
print("wilcoxon W+, z, p:", float(wplus), float(z), float(w.pvalue))

# Wilcoxon with ties and a zero: zeros dropped, tied |x| get average ranks, tie correction.
y = np.array([0.01, -0.01, 0.02, 0.0, 0.03, 0.02, -0.005, 0.04])
wy = stats.wilcoxon(y, zero_method="wilcox", correction=False, method="approx")
print("wilcoxon ties p:", float(wy.pvalue))

# Sign test (normal approximation) and generalized sign with p_hat = 0.48.
pos = int((x > 0).sum())
zs = (pos - n / 2) / np.sqrt(n / 4)
print("sign w, z, p:", pos, float(zs), float(2 * stats.norm.sf(abs(zs))))
ph = 0.48
zg = (pos - n * ph) / np.sqrt(n * ph * (1 - ph))
print("gen sign z, p:", float(zg), float(2 * stats.norm.sf(abs(zg))))

# Ranks with ties averaged (Corrado).
print("rankdata:", stats.rankdata([3.0, 1.0, 2.0, 2.0, 5.0]).tolist())

# Pearson correlation.
a = np.array([0.01, -0.02, 0.015, 0.003, -0.007])
b = np.array([0.012, -0.01, 0.02, -0.004, -0.001])
print("corr:", float(np.corrcoef(a, b)[0, 1]))
