import sys
from pathlib import Path

from bench.models import World
from django.http import JsonResponse
from django.shortcuts import render

# The shared data module lives beside the project, outside any Django app.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from data import JSON_MESSAGE, PAGE


def json_view(request):
    return JsonResponse(JSON_MESSAGE)


def db_view(request):
    rows = [world.as_dict() for world in World.objects.order_by("id")[:PAGE]]
    return JsonResponse(rows, safe=False)


def html_view(request):
    rows = list(World.objects.order_by("id")[:PAGE])
    return render(request, "rows.html", {"rows": rows})
