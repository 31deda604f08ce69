import sys
from pathlib import Path

from django.http import JsonResponse
from django.shortcuts import render

# The shared data module lives beside the project, outside any Django app.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from data import JSON_MESSAGE, ROWS


def json_view(request):
    return JsonResponse(JSON_MESSAGE)


def html_view(request):
    return render(request, "rows.html", {"rows": ROWS})
