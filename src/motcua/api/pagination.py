from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N``; a page that is not a positive number or lies past the end is a 400, not a 404."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page": [_("The page must be a whole number from 1.")]})
        size = request.query_params.get(self.page_size_query_param)
        if size is not None and (not size.isdigit() or not 1 <= int(size) <= self.max_page_size):
            raise ValidationError(
                {"page_size": [_("The page size must be a whole number from 1 to %(max)s.") % {"max": 100}]}
            )
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:  # DRF's answer to a page past the end
            raise ValidationError(
                {"page": [_("There is no page %(page)s of these results.") % {"page": raw}]}
            ) from exc
