"""Reference values for the two-regressor test in src/stats/ols.rs (numpy, independent code).

Run: python3 tests/reference/ols_reference.py
"""
import numpy as np

y = np.array([0.5, 1.0, 0.7, 2.0, 1.6, 2.9])
X = np.column_stack([np.ones(6), [1.0, 2.0, 1.5, 3.0, 2.5, 4.0], [0.2, 0.1, 0.4, 0.3, 0.9, 0.5]])
b, ssr, *_ = np.linalg.lstsq(X, y, rcond=None)
print("coef =", [float(v) for v in b])
print("s2 (SSR/(M-k-1)) =", float(ssr[0] / (6 - 3)))
print("(X'X)^-1[1,1] =", float(np.linalg.inv(X.T @ X)[1, 1]))
