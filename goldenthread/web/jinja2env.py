"""The Jinja2 environment: our templates plus the GOV.UK Frontend macros."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
)


def environment(**options: Any) -> Environment:
    dirs = options.pop("loader").searchpath if "loader" in options else []
    options["loader"] = ChoiceLoader([
        FileSystemLoader(dirs),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    options.setdefault("autoescape", True)
    # The GOV.UK macros read attributes of parameters a page may leave out.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)  # noqa: S701 - autoescape is set just above
    env.globals.update({
        "static": static,
        "url": reverse,
        "la_name": settings.LA_NAME,
        "assetPath": settings.STATIC_URL + "govuk/assets",
    })
    return env
