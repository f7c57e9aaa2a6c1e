"""Writes of online dialogue sessions (đối thoại trực tuyến), by subject: ``sessions`` (prepared, edited,
announced, intake opened and closed), ``questions`` (asked, moderated), ``answers`` (answered live by a
leader or their secretary; commitments recorded and marked done). Import as
``from motcua.engagement.services import dialogues``."""

from .answers import answer, commit, edit_answer, mark_done
from .questions import TooManyQuestions, approve, ask_question, assign, merge, reject, set_theme
from .sessions import announce, close_questions, create_session, open_questions, update_session

__all__ = [
    "TooManyQuestions",
    "announce",
    "answer",
    "approve",
    "ask_question",
    "assign",
    "close_questions",
    "commit",
    "create_session",
    "edit_answer",
    "mark_done",
    "merge",
    "open_questions",
    "reject",
    "set_theme",
    "update_session",
]
