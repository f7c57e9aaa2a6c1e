"""What the OpenAPI schema says of every operation, beyond each view's own description: the 401 of the
operations that need credentials, the 406 of an ``Accept`` header that allows nothing the operation answers
in (DRF's content negotiation, before the view runs), and the throttles' 429 (``api.throttling``). A
drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
UNAUTHORIZED = {
    "description": "No valid credentials: send `Authorization: Bearer <token>` (or sign in).",
    "content": {"application/json": {"schema": DETAIL}},
}
NOT_ACCEPTABLE = {
    "description": "The `Accept` header allows none of the types this operation answers in (JSON, or the "
    "file it serves).",
    "content": {"application/json": {"schema": DETAIL}},
}
TOO_MANY_REQUESTS = {
    "description": "Too many requests from this account or address; `Retry-After` says in how many seconds "
    "to try again.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
    "content": {"application/json": {"schema": DETAIL}},
}
METHODS = ("get", "put", "post", "patch", "delete")


def document_common_answers(result, generator, request, public):
    for path in result.get("paths", {}).values():
        for method in METHODS:
            operation = path.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            security = operation.get("security")
            if security and {} not in security:  # no anonymous access
                responses.setdefault("401", UNAUTHORIZED)
            responses.setdefault("406", NOT_ACCEPTABLE)
            responses.setdefault("429", TOO_MANY_REQUESTS)
    return result
