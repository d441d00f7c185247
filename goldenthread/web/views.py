"""Views stay thin: they read counts and hand them to templates."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from goldenthread.records.models import Person
from goldenthread.reference.models import ReferenceCode


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # Aggregate counts only: no child's details appear before sign-in exists (issue 3).
    context = {
        "people_count": Person.objects.count(),
        "codelist_count": ReferenceCode.objects.values("list_id").distinct().count(),
    }
    return render(request, "home.html", context)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
