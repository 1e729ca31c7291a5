"""Physical constants used throughout jointmission, in SI units.

Every number states its source. Kernels in :mod:`jointmission.core` take ``mu`` and radii as
arguments; these constants are defaults for the domain layer and the public API.

Sources
-------
- G0: standard gravity, CGPM 1901 / ISO 80000-3 (exact).
- GM_EARTH: IERS Conventions (2010), Table 1.1, TT-compatible value 3.986004418e14 m^3/s^2
  (also WGS 84 / EGM2008).
- R_EARTH: WGS 84 equatorial radius, 6 378 137 m (NIMA TR8350.2, 3rd ed.).
- OMEGA_EARTH: WGS 84 nominal mean angular velocity, 7.292115e-5 rad/s (NIMA TR8350.2).
- GM_SUN: IAU 2015 Resolution B3 nominal solar mass parameter 1.3271244e20 m^3/s^2.
- GM_MOON, GM_MARS: JPL DE421 (Folkner et al. 2008, IOM 343R-08-003), GM_Moon = 4902.800 km^3/s^2,
  GM_Mars system = 42828.3 km^3/s^2.
- R_MOON: IAU WGCCRE 2015 (Archinal et al. 2018) mean radius 1737.4 km.
- R_MARS: IAU WGCCRE 2015 (Archinal et al. 2018) equatorial radius 3396.19 km.
- GM_VENUS: JPL DE421 (Folkner et al. 2008), 324858.592 km^3/s^2; R_VENUS: IAU WGCCRE 2015 mean
  radius 6051.8 km.
- AU: IAU 2012 Resolution B2, 149 597 870 700 m (exact).
- DEFAULT_PARKING_ALT_M: NASA Launch Services Program ELV performance website (payload vs C3 from a
  185 km circular parking orbit).
- MIN_PERIGEE_ALT_M: the entry interface of re-entry practice, 400,000 ft (122 km), rounded down to
  120 km (NASA, e.g. Apollo and Space Shuttle entry); above the Karman line (100 km, FAI).
- EARTH_SOI_RADIUS_M: Laplace sphere of influence r = a (m/M)^(2/5) with a = 1 AU and m/M =
  GM_EARTH/GM_SUN (Bate, Mueller & White, Fundamentals of Astrodynamics, 1971, sec. 7.4).
"""

from __future__ import annotations

G0: float = 9.80665
"""Standard gravity [m/s^2] used to convert specific impulse [s] to exhaust velocity."""

GM_EARTH: float = 3.986004418e14
"""Earth gravitational parameter [m^3/s^2]."""

R_EARTH: float = 6_378_137.0
"""Earth equatorial radius [m]."""

OMEGA_EARTH: float = 7.292115e-5
"""Earth sidereal rotation rate [rad/s]."""

GM_SUN: float = 1.3271244e20
"""Sun gravitational parameter [m^3/s^2]."""

GM_MOON: float = 4.9028e12
"""Moon gravitational parameter [m^3/s^2]."""

R_MOON: float = 1_737_400.0
"""Moon mean radius [m]."""

GM_MARS: float = 4.28283e13
"""Mars (system) gravitational parameter [m^3/s^2]."""

R_MARS: float = 3_396_190.0
"""Mars equatorial radius [m]."""

GM_VENUS: float = 3.24858592e14
"""Venus gravitational parameter [m^3/s^2]."""

R_VENUS: float = 6_051_800.0
"""Venus mean radius [m]."""

AU: float = 149_597_870_700.0
"""Astronomical unit [m]."""

DEFAULT_PARKING_ALT_M: float = 185e3
"""Altitude [m] of the circular parking orbit an escape (C3) burn starts from when none is given:
185 km (100 nmi). Source: NASA Launch Services Program, Expendable Launch Vehicle Performance
website (elvperf.ksc.nasa.gov), which quotes every vehicle's payload-vs-C3 curve from a 185 km
circular parking orbit; using the same altitude makes C3 payloads comparable with those published
curves. The one default for scenario targets, ``jointmission payload --parking``, ``jointmission
porkchop --park``, transfer sections, mission deliveries and Earth-departure burns (re-exported by
:mod:`jointmission.vehicles.targets`; it lives here because the interplanetary layer, below
vehicles, needs it too)."""

MIN_PERIGEE_ALT_M: float = 120e3
"""Lowest perigee (and parking-orbit) altitude [m] of an Earth-orbit target: 120 km. Below the entry
interface (400,000 ft, 122 km, where re-entry is taken to begin) a spacecraft is in the sensible
atmosphere: an orbit with a lower perigee decays within a revolution or a few days, so no payload
figure for it means anything. Scenario files, the CLI and the public API refuse (or flag as an
invalid target) lower orbits."""

EARTH_SOI_RADIUS_M: float = AU * (GM_EARTH / GM_SUN) ** 0.4
"""Radius [m] of Earth's sphere of influence with respect to the Sun, about 924,600 km (Laplace:
a (m/M)^(2/5)). Beyond it an "Earth orbit" is a heliocentric one: an apogee farther away is refused
(a target that leaves Earth is a C3 target)."""

MAX_APOGEE_ALT_M: float = EARTH_SOI_RADIUS_M - R_EARTH
"""Highest apogee altitude [m] of an Earth-orbit target: the sphere of influence less Earth's radius
(about 918,200 km)."""
