"""The joint programme: partners, who provides what, the contribution ledger, and the cost model.

- cost relationships (TransCost, published unit prices, inflation to a stated currency and year);
- partners and provider assignments (defaults from the catalog's ``country`` data);
- the ledger per case and partner (hardware, engines, propellant, launches, delta-v share, payload,
  cost) and the barter balance against an agreed share.

This layer sits between :mod:`jointmission.scenario` and :mod:`jointmission.missions`: it reads
mission and vehicle results, never the scenario files.
"""
