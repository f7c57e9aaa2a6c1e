"""Pages of every list in the API: ``?page=N&page_size=M``, where a page that does not exist is a 400."""

import re

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

# ASCII digits only: str.isdigit() also accepts '²' or '١', which int() or the paginator then refuse.
_WHOLE_NUMBER = re.compile(r"[0-9]+")
# Longer numbers are past any end; int() of thousands of digits would even raise.
_MAX_DIGITS = 9


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N``; a page that is not a positive number or lies past the end is a 400, not a 404."""

    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = "The page, from 1; a page past the end is a 400."
    page_size_query_description = "Results per page, from 1 to 100 (default 20)."

    def paginate_queryset(self, queryset, request, view=None):
        self.page_bounds(request)  # the same checks of ?page and ?page_size, with the same messages
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:  # DRF's answer to a page past the end
            raise self.past_the_end(request) from exc

    def capped_response(self, request, *, number: int, size: int, count: int, capped: bool, data):
        """The answer for a list counted only up to a cap (``count_capped``): the same shape as the others.
        A page past the end is refused by the caller, which knows whether its page came back empty."""
        last = max((count + size - 1) // size, 1)
        url = request.build_absolute_uri()
        return Response(
            {
                "count": count,
                "count_capped": capped,
                "next": replace_query_param(url, self.page_query_param, number + 1)
                if number < last or (capped and len(data) == size)
                else None,
                "previous": (
                    None
                    if number == 1
                    else remove_query_param(url, self.page_query_param)
                    if number == 2
                    else replace_query_param(url, self.page_query_param, number - 1)
                ),
                "results": data,
            }
        )

    def page_bounds(self, request) -> tuple[int, int]:
        """The page asked for (from 1) and its size, checked; a wrong one is a 400 with a clear message."""
        raw = request.query_params.get(self.page_query_param, "1")
        if not _WHOLE_NUMBER.fullmatch(raw) or not raw.strip("0"):  # page 0 included
            raise ValidationError({"page": [_("The page must be a whole number from 1.")]})
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and (
            not _WHOLE_NUMBER.fullmatch(size)
            or len(size.lstrip("0")) > _MAX_DIGITS
            or not 1 <= int(size) <= self.max_page_size
        ):
            raise ValidationError(
                {
                    "page_size": [
                        _("The page size must be a whole number from 1 to %(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        if len(raw.lstrip("0")) > _MAX_DIGITS:
            raise self.past_the_end(request)
        return int(raw), int(size) if size is not None else self.page_size

    def past_the_end(self, request) -> ValidationError:
        raw = request.query_params.get(self.page_query_param, "1")
        return ValidationError({"page": [_("There is no page %(page)s of these results.") % {"page": raw}]})
