"""Reference models kept to cross-check the fast models of the product, not used by it.

:mod:`.trajectory` is a vectorized planar RK4 point-mass ascent integrator (US 1976 atmosphere) that
the closed-form ascent-loss model of :mod:`jointmission.core.ascent` is calibrated and checked against.
"""
