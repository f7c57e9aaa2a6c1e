from django.urls import path

from . import api

urlpatterns = [
    path("due-date/", api.DueDateView.as_view(), name="calendar-due-date"),
]
