from __future__ import annotations

from fastapi import HTTPException
from pydantic import BaseModel

from fastjango.db.models import F
from fastjango.http import HttpRequest, HttpResponse
from fastjango.shortcuts import aget_object_or_404, get_object_or_404, render
from fastjango.views.decorators.api import endpoint
from fastjango.views.generic import TemplateView

from .models import Choice, Question


def index(request: HttpRequest) -> HttpResponse:
    """The latest questions: a Django-style sync view, rendered with Jinja2."""
    latest = Question.objects.order_by("-pub_date")[:5]
    return render(request, "polls/index.html", {"latest_question_list": latest})


async def detail(request: HttpRequest, question_id: int) -> HttpResponse:
    """One question and its choices: a Django-style async view on the async ORM."""
    question = await aget_object_or_404(Question, pk=question_id)
    choices = [choice async for choice in question.choice_set.order_by("id")]
    return render(request, "polls/detail.html", {"question": question, "choices": choices})


def results(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    return render(request, "polls/results.html", {"question": question})


class AboutView(TemplateView):
    template_name = "polls/about.html"


class ChoiceOut(BaseModel):
    id: int
    choice_text: str
    votes: int


class QuestionOut(BaseModel):
    id: int
    question_text: str
    choices: list[ChoiceOut]


class Vote(BaseModel):
    choice_id: int


async def _question_out(question: Question) -> QuestionOut:
    choices = [
        ChoiceOut(id=c.id, choice_text=c.choice_text, votes=c.votes)
        async for c in question.choice_set.order_by("id")
    ]
    return QuestionOut(id=question.id, question_text=question.question_text, choices=choices)


async def api_questions() -> list[QuestionOut]:
    """Every question with its choices (a FastAPI-style view: typed, listed at /docs)."""
    return [await _question_out(q) async for q in Question.objects.order_by("-pub_date")]


async def api_question(question_id: int) -> QuestionOut:
    """One question by id."""
    try:
        question = await Question.objects.aget(pk=question_id)
    except Question.DoesNotExist:
        raise HTTPException(status_code=404, detail="Question does not exist") from None
    return await _question_out(question)


@endpoint(methods=["POST"])
async def api_vote(question_id: int, vote: Vote) -> QuestionOut:
    """Vote for one of a question's choices; F() makes the increment race-free."""
    updated = await Choice.objects.filter(pk=vote.choice_id, question_id=question_id).aupdate(
        votes=F("votes") + 1
    )
    if not updated:
        raise HTTPException(status_code=404, detail="No such choice for this question")
    return await api_question(question_id)
