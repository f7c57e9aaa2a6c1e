"""Past one machine: the deployment of bench/topology.py (a PostgreSQL primary and its streaming replica,
Redis, a Celery worker, two gunicorn app processes, nginx balancing them) brought up on loopback and used
through nginx as citizens use it.

Slow on purpose (about 75 s: two database clusters, the migrations and the demo data, then a 10 s load), and
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


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
def facts(topology):
    return deployment.prove(topology)


def test_a_submission_through_nginx_lands_on_the_primary(topology, facts):
    assert facts["inserted"] == {topology.primary_port: 1, topology.replica_port: 0}
    code = facts["code"]
    assert (
        topology.sql(topology.primary_port, "SELECT count(*) FROM dossiers_dossier WHERE code = %s", [code])
        == "1"
    )
    topology.wait_for_replica()  # and the replica has it too, streamed
    assert (
        topology.sql(topology.replica_port, "SELECT count(*) FROM dossiers_dossier WHERE code = %s", [code])
        == "1"
    )


def test_the_citizen_reads_their_dossier_right_after_sending_it(facts):
    assert facts["read_back"] == (200, facts["code"])


@pytest.mark.parametrize("page", ["search", "statistics"])
def test_catalogue_and_statistics_pages_are_read_from_the_replica(topology, facts, page):
    ran = facts[page]
    assert ran["status"] == 200
    assert ran[topology.replica_port] > 0
    assert ran[topology.primary_port] == 0


def test_fifty_visitors_for_ten_seconds_through_nginx_meet_no_error(topology, facts):
    result = deployment.visit(topology.port, seconds=10, visitors=50)
    assert result["failures"] == []
    assert result["requests"] > 100
    # Both app processes served: nginx balanced the load.
    for port in topology.app_ports:
        assert (topology.tmp / f"access-{port}.log").stat().st_size > 0
