"""Interplanetary transfers: planetary states from the DE421 ephemeris (:mod:`.ephemeris`, offline)
and Lambert transfer grids, porkchops and window optima (:mod:`.transfers`)."""
