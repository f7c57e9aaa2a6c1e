import re

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

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
        past_the_end = ValidationError(
            {"page": [_("There is no page %(page)s of these results.") % {"page": raw}]}
        )
        if len(raw.lstrip("0")) > _MAX_DIGITS:
            raise past_the_end
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:  # DRF's answer to a page past the end
            raise past_the_end from exc

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
