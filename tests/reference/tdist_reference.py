"""Reference values for src/stats/tdist.rs, computed with scipy (independent of our code).

Run: python3 tests/reference/tdist_reference.py
"""
from scipy import stats

print("2*t.sf(2.0, 10)   =", repr(2 * stats.t.sf(2.0, 10)))
print("2*t.sf(1.0, 238)  =", repr(2 * stats.t.sf(1.0, 238)))
print("2*t.sf(5.0, 30)   =", repr(2 * stats.t.sf(5.0, 30)))
print("t.ppf(0.975, 238) =", repr(stats.t.ppf(0.975, 238)))
print("t.ppf(0.975, 10)  =", repr(stats.t.ppf(0.975, 10)))
print("2*norm.sf(1.96)    =", repr(2 * stats.norm.sf(1.96)))
print("norm.sf(1.5)       =", repr(stats.norm.sf(1.5)))
print("norm.cdf(1.5)      =", repr(stats.norm.cdf(1.5)))
print("t.sf(2.0, 10)      =", repr(stats.t.sf(2.0, 10)))
