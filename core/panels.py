"""Panels that a higher app adds to a lower app's page, without the lower app importing it.

households/ and activities/ must not import channel/ (DESIGN.md), yet the concern page offers
the office's answer by Zalo and the distribution page the notices to the families. A page names
a slot (``{% panels "concern" concern %}``, core.templatetags.panels); an app fills it from its
``AppConfig.ready()`` with ``register_panel("concern", template=…, context=…)``. Each panel's
function gets the object and the request and returns its template's context, or None to show
nothing (the user may not act, there is nothing to show); it owns its queries, a fixed number.
"""

import dataclasses
from collections.abc import Callable

PanelContext = Callable[..., dict | None]


@dataclasses.dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    context: PanelContext
    order: int


_PANELS: dict[str, list[Panel]] = {}


def register_panel(slot: str, *, template: str, context: PanelContext, order: int = 100) -> None:
    """Show ``template`` in ``slot`` with ``context(obj=, request=)`` (once per template)."""
    panels = [panel for panel in _PANELS.get(slot, []) if panel.template != template]
    panels.append(Panel(slot=slot, template=template, context=context, order=order))
    _PANELS[slot] = sorted(panels, key=lambda panel: panel.order)


def panels_for(slot: str) -> list[Panel]:
    """Return the panels registered for ``slot``, in order."""
    return list(_PANELS.get(slot, []))
