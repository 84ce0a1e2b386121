"""What a household's case file shows, and the registry's filters, assembled from every app.

households/ must not import activities/ (DESIGN.md), yet the case file shows what the household
received (receipts, grants, assets) and the activities of its village. So this module keeps two
small registries that any app may add to from its ``AppConfig.ready()``:

* **sections** of the case file: an order, a template, and a function giving the template its
  context (``section.<key>``) for a household and a user; optionally a shorter template for the
  one-page print view;
* **list filters** of the household registry: a checkbox that narrows the households' queryset
  (``activities.case_file`` adds "received nothing this year").

Each section's function owns its queries and must run a fixed number of them whatever the
household has; it reads through ``outreach.scope.scoped`` like any selector.
"""

import dataclasses
from collections.abc import Callable

from django.db.models import QuerySet

# section(household=..., user=...) -> the context of the section's template
SectionContext = Callable[..., dict]
# apply(queryset, user=...) -> the narrowed queryset
FilterApply = Callable[..., QuerySet]


@dataclasses.dataclass(frozen=True)
class Section:
    """One part of the case file, drawn by ``template`` with ``context(household=, user=)``."""

    name: str
    order: int
    template: str
    context: SectionContext
    # The template of the print view; None leaves the section out of the printed page.
    print_template: str | None = None


@dataclasses.dataclass(frozen=True)
class ListFilter:
    """A checkbox of the household registry: ticked, ``apply(queryset, user=)`` narrows it."""

    name: str
    label: str
    apply: FilterApply
    order: int = 100


_SECTIONS: dict[str, Section] = {}
_FILTERS: dict[str, ListFilter] = {}


def register_section(
    name: str,
    *,
    order: int,
    template: str,
    context: SectionContext,
    print_template: str | None = None,
) -> None:
    """Add (or replace, by ``name``) a section of the case file."""
    _SECTIONS[name] = Section(
        name=name,
        order=order,
        template=template,
        context=context,
        print_template=print_template,
    )


def register_list_filter(name: str, *, label, apply: FilterApply, order: int = 100) -> None:
    """Add (or replace, by ``name``) a checkbox filter of the household registry.

    ``name`` is the query parameter; ``label`` is shown beside the checkbox (lazily translated).
    """
    _FILTERS[name] = ListFilter(name=name, label=label, apply=apply, order=order)


def sections() -> list[Section]:
    """Return the registered sections in their order."""
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.name))


def list_filters() -> list[ListFilter]:
    """Return the registered list filters in their order."""
    return sorted(_FILTERS.values(), key=lambda item: (item.order, item.name))


@dataclasses.dataclass
class RenderedSection:
    """A section ready for its template: ``{% include item.template with section=item.data %}``."""

    name: str
    template: str
    data: dict


def build_sections(*, household, user, for_print: bool = False) -> list[RenderedSection]:
    """Run every section's context function for ``household`` as seen by ``user``."""
    built = []
    for section in sections():
        template = section.print_template if for_print else section.template
        if template is None:
            continue
        data = section.context(household=household, user=user)
        built.append(RenderedSection(name=section.name, template=template, data=data))
    return built
