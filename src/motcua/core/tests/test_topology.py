"""Past one machine: the deployment of bench/topology.py (a PostgreSQL primary and its streaming replica,
Redis, a Celery worker, two gunicorn app processes, nginx balancing them) brought up on loopback and used
through nginx as citizens use it.

Slow on purpose (about 90 s: two database clusters, the migrations and the demo data, then a 10 s load), and
only in the PostgreSQL pass of CI (DATABASE_URL is PostgreSQL): the replica is a PostgreSQL feature. Under
MOTCUA_E2E_REQUIRED=1 (CI) a missing nginx, Redis or PostgreSQL fails the test instead of skipping it.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "bench"))

import topology as deployment  # noqa: E402  (bench/ is not a package: its scripts import each other by name)

pytestmark = [
    pytest.mark.topology,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the replica topology runs in the PostgreSQL pass (DATABASE_URL=postgres://…)",
    ),
]


@pytest.fixture
def topology():
    missing = deployment.missing_tools()
    if missing:
        message = "the topology needs " + ", ".join(missing) + " (.ci/run installs them)"
        if os.environ.get("MOTCUA_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    with deployment.Topology(app_processes=2, replica=True, log=lambda line: None) as running:
        running.wait_for_replica()
        yield running


def count_of(topology, port: int, code: str) -> str:
    return topology.sql(port, "SELECT count(*) FROM dossiers_dossier WHERE code = %s", [code])


def test_the_deployment_past_one_machine_serves_citizens_through_nginx(topology):
    """One test, not several: the suite runs on several processes (xdist), which would each bring the
    topology up for their share of the tests."""
    primary, replica = topology.primary_port, topology.replica_port
    facts = deployment.prove(topology)

    # A citizen's submission through nginx lands on the primary, and the replica receives it by streaming.
    assert facts["inserted"] == {primary: 1, replica: 0}
    assert count_of(topology, primary, facts["code"]) == "1"
    topology.wait_for_replica()
    assert count_of(topology, replica, facts["code"]) == "1"

    # The citizen reads their dossier right after sending it.
    assert facts["read_back"] == (200, facts["code"])

    # A catalogue search and the statistics page are read from the replica, not from the primary.
    for page in ("search", "statistics"):
        assert facts[page]["status"] == 200, page
        assert facts[page][replica] > 0, page
        assert facts[page][primary] == 0, page

    # Fifty visitors for ten seconds over home, search, procedure, agency and statistics pages: no error,
    # and both app processes served (nginx balanced them).
    result = deployment.visit(topology.port, seconds=10, visitors=50)
    assert result["failures"] == []
    assert result["requests"] > 100
    for port in topology.app_ports:
        assert (topology.tmp / f"access-{port}.log").stat().st_size > 0, port
