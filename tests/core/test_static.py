"""Static files: nothing under static/ points at a file that is not there, collectstatic succeeds
with the production storage, and the site's icon answers at /favicon.ico."""

import io
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

BASE_DIR = Path(__file__).resolve().parent.parent.parent
STATIC_DIR = BASE_DIR / "static"
TEMPLATES_DIR = BASE_DIR / "templates"

# What ManifestStaticFilesStorage follows (and fails on when the target is missing): source-map
# comments in JS and CSS, url(…) and @import in CSS.
_SOURCE_MAP = re.compile(r"(?m)^\s*(?://|/\*)[#@]\s*sourceMappingURL=\s*([^\s*]+)")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.DOTALL)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""")
# Not files of ours: inline data, other sites, fragments (SVG filters).
_EXTERNAL = ("data:", "http:", "https:", "//", "#", "about:")
_TEMPLATE_STATIC = re.compile(r"""\{%\s*static\s+(['"])(.+?)\1\s*%\}""")
_FIXED_STATIC = re.compile(r"""(?:href|src)=(['"])/static/(.+?)\1""")


def _references(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    found = [match.group(1) for match in _SOURCE_MAP.finditer(text)]
    if path.suffix == ".css":
        found += [match.group(2) for match in _CSS_URL.finditer(text)]
        found += [match.group(2) for match in _CSS_IMPORT.finditer(text)]
    return [ref.strip() for ref in found if not ref.strip().startswith(_EXTERNAL)]


def missing_references(root: Path) -> list[str]:
    """Return "file -> reference" for each reference under ``root`` whose target is missing."""
    missing = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in {".css", ".js"} or not path.is_file():
            continue
        for ref in _references(path):
            name = re.split(r"[?#]", ref, maxsplit=1)[0]
            target = (root / name.lstrip("/")) if name.startswith("/") else (path.parent / name)
            if not name or not target.is_file():
                missing.append(f"{path.relative_to(root)} -> {ref}")
    return missing


def _template_static_names() -> set[str]:
    names = set()
    for path in TEMPLATES_DIR.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        names |= {match.group(2) for match in _TEMPLATE_STATIC.finditer(text)}
        names |= {match.group(2) for match in _FIXED_STATIC.finditer(text)}
    return names


def test_no_static_file_refers_to_a_missing_file():
    assert missing_references(STATIC_DIR) == []


def test_a_missing_source_map_or_css_url_is_found(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "here.png").write_bytes(b"png")
    (tmp_path / "app.min.js").write_text("x();\n//# sourceMappingURL=app.min.js.map\n")
    (tmp_path / "css" / "site.css").write_text(
        "a{background:url(here.png)}b{background:url('gone.png?v=1')}"
        "i{background:url(\"data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'/%3e\")}"
        '@import "other.css";\n/*# sourceMappingURL=site.css.map */\n'
    )
    assert missing_references(tmp_path) == [
        "app.min.js -> app.min.js.map",
        "css/site.css -> site.css.map",
        "css/site.css -> gone.png?v=1",
        "css/site.css -> other.css",
    ]


def test_every_static_file_a_template_names_exists():
    names = _template_static_names()
    assert "vendor/bootstrap/bootstrap.min.css" in names
    assert [name for name in sorted(names) if not finders.find(name)] == []


def _production_env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}}
    return {
        **clean,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "bacung.example.vn",
        **extra,
    }


@pytest.mark.slow
def test_collectstatic_succeeds_with_the_production_storage(tmp_path):
    # The storage of config/settings.py with DEBUG off (whitenoise's compressed manifest), in a
    # fresh process because the settings pick it when they load.
    root = tmp_path / "staticfiles"
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=BASE_DIR,
        env=_production_env(STATIC_ROOT=str(root)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((root / "staticfiles.json").read_text())["paths"]
    expected = _template_static_names() | {"favicon.ico"}
    assert sorted(expected - set(manifest)) == []
    for name in expected:
        assert (root / manifest[name]).is_file(), name
    assert (root / f"{manifest['vendor/bootstrap/bootstrap.min.css']}.gz").is_file()


@pytest.mark.django_db
def test_favicon_answers_at_the_root_for_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    body = b"".join(response.streaming_content)
    assert body == (STATIC_DIR / "favicon.ico").read_bytes()
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO"
    assert (16, 16) in icon.info["sizes"]
    assert (32, 32) in icon.info["sizes"]


@pytest.mark.django_db
def test_favicon_refuses_a_post(client):
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.django_db
def test_pages_link_the_icon(client):
    page = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.ico")}"' in page
