"""Templates are compiled once per process (Django's cached loader), in production too."""

from django.conf import settings
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader


def test_templates_come_from_the_cached_loader():
    # No explicit "loaders": Django then wraps the filesystem and app loaders in the cached one
    # (an explicit list would turn it off unless it names the cached loader itself).
    assert "loaders" not in settings.TEMPLATES[0]["OPTIONS"]
    loaders = engines["django"].engine.template_loaders
    assert [type(loader) for loader in loaders] == [CachedLoader]
