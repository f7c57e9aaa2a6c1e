"""/api/docs/ in a real browser: Swagger UI renders the API's operations from our own files alone, under a
strict Content-Security-Policy ('self', and data: images for Swagger UI's icons), without the network."""

import pytest

CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"


@pytest.fixture
def docs_page(page, live_server):
    """The docs page with the strict policy added to its answer, and every request and CSP breach noted."""
    requests, breaches = [], []
    page.on("request", lambda request: requests.append(request.url))

    def noted(message):
        if "Content Security Policy" in message.text:
            breaches.append(message.text)

    page.on("console", noted)

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route(f"{live_server.url}/api/docs/", with_policy)
    page.goto(f"{live_server.url}/api/docs/")
    return page, requests, breaches


def test_swagger_ui_renders_the_operations_from_our_own_origin_under_a_strict_policy(docs_page, live_server):
    page, requests, breaches = docs_page
    page.locator(".opblock-summary-path", has_text="/api/v1/procedures/").first.wait_for()
    assert page.locator(".opblock").count() > 10
    assert [url for url in requests if not url.startswith(live_server.url)] == []
    assert breaches == []
