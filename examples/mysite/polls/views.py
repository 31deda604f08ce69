from __future__ import annotations

from pydantic import BaseModel

from fastjango.http import Http404, HttpRequest, HttpResponse
from fastjango.shortcuts import render
from fastjango.views.generic import TemplateView

from .data import QUESTIONS


def index(request: HttpRequest) -> HttpResponse:
    """List the questions (a Django-style sync view, rendered with Jinja2)."""
    return render(request, "polls/index.html", {"questions": list(QUESTIONS.values())})


async def detail(request: HttpRequest, question_id: int) -> HttpResponse:
    """Show one question (a Django-style async view)."""
    question = QUESTIONS.get(question_id)
    if question is None:
        raise Http404("Question does not exist")
    return render(request, "polls/detail.html", {"question": question})


class AboutView(TemplateView):
    template_name = "polls/about.html"


class QuestionOut(BaseModel):
    id: int
    text: str
    choices: list[str]


def api_questions() -> list[QuestionOut]:
    """Every question (a FastAPI-style view: typed, and listed at /docs)."""
    return [QuestionOut(id=q.id, text=q.text, choices=list(q.choices)) for q in QUESTIONS.values()]


def api_question(question_id: int) -> QuestionOut:
    """One question by id."""
    from fastapi import HTTPException

    question = QUESTIONS.get(question_id)
    if question is None:
        raise HTTPException(status_code=404, detail="Question does not exist")
    return QuestionOut(id=question.id, text=question.text, choices=list(question.choices))
