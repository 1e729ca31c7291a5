"""Figures and human-readable reports drawn from results (matplotlib, Agg backend).

Sits above :mod:`jointmission.runners` in the layer order: it reads results and domain objects and
writes figures; nothing below imports it. Modules: :mod:`.porkchop_plot` (porkchop figures).
"""
