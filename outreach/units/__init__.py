"""The country's official administrative units, before and after the 2025 reform.

``admin_units_load`` (``manage.py load_admin_units``) loads them by official code;
``villages_carry_on`` continues a merged commune's villages under its successor;
``successors_named_in`` finds the ended communes an address typed under the old names names.
"""

from outreach.units.addresses import forget_addresses, successors_named_in
from outreach.units.load import UnitsLoadReport, admin_units_load, province_code_for
from outreach.units.source import read_source
from outreach.units.villages import villages_carry_on

__all__ = [
    "UnitsLoadReport",
    "admin_units_load",
    "forget_addresses",
    "province_code_for",
    "read_source",
    "successors_named_in",
    "villages_carry_on",
]
