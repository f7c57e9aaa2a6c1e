"""Schemathesis fuzzes the whole API from its OpenAPI schema, in-process over the WSGI application, as an
anonymous client, a citizen and a desk officer: no answer may be a server error, and every answer matches
the schema (documented status code, content type and body).

Each operation gets a few requests valid by the schema and a few invalid ones, derandomised and without an
example database, so that a run is bounded (a few seconds per role) and the same in CI as here. One test per
role runs every operation and reports every failing one together. (Schemathesis' own pytest wrapper is not
used: its lazy schema does not run under pytest 9, and one test per operation would build the accounts and
dossiers below once per operation.)
"""

import hypothesis
import hypothesis.errors
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.accounts import services as account_services
from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.fixtures import make_officer, pdf_bytes, upload
from motcua.wsgi import application

EXAMPLES = 5  # per operation and mode
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.fixture
def wsgi(db):
    """The WSGI application inside the test's transaction: like Django's test client, requests must not
    close the connection that holds it (``close_old_connections`` at each request's start and end)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi):
    return schemathesis.openapi.from_wsgi(
        "/api/schema/", wsgi, config=schemathesis.Config.from_dict({"generation": {"database": "none"}})
    )


@pytest.fixture
def world(settings, citizen, agency, procedure, online_form, valid_data):
    """A sent dossier and a draft of the citizen, and the accounts' fast password hashing (each token
    request checks a password); no throttle, which would only answer 429 to a fuzzer."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    # A token for each operation (see failures), beyond the per-account limit that protects real accounts.
    settings.MOTCUA_API_TOKEN_LIMIT = 1000
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "create": None},
    }
    sent = dossier_services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    dossier_services.add_attachment(sent, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    dossier_services.submit(sent, by=citizen)
    dossier_services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    return {"anonymous": None, "citizen": citizen, "officer": make_officer("motcua.fuzz", agency)}


def failures(api_schema, user) -> list[str]:
    found = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        # A token of its own for each operation: one of them revokes the token in use.
        headers = {"Authorization": f"Bearer {account_services.create_api_token(user)[1]}"} if user else {}
        for mode in MODES:
            try:
                fuzz(operation, mode, headers)
            except hypothesis.errors.Unsatisfiable:  # nothing to make invalid (an operation without input)
                pass
            except (Exception, BaseExceptionGroup) as exc:  # every failing operation, not only the first
                found.append(f"{operation.label} ({mode.value}): {exc}")
    return found


def fuzz(operation, mode, headers: dict) -> None:
    """A few requests to one operation, valid or invalid by the schema (``mode``), each answer checked."""

    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        # No shrinking: a failure is reported as found, and the run stays short.
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("role", ["anonymous", "citizen", "officer"])
def test_the_api_answers_every_generated_request(api_schema, world, role):
    found = failures(api_schema, world[role])
    assert not found, "\n\n".join(found)
