"""/metrics counts the dossiers received and finished from the monthly facts, at each scrape: the same figures
as a count over the dossiers, for one query however many dossiers there are."""

import random
from collections import Counter
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from motcua.stats import recount


def dossier_samples(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
        if sample.name.startswith("motcua_dossiers_")
    }


def test_received_and_finished_equal_a_count_over_the_dossiers(world, client, django_assert_max_num_queries):
    rng = random.Random(7)
    dossiers = []
    for _ in range(10):
        dossiers.append(world.send(rng))
        for dossier in dossiers:
            if rng.random() < 0.8:
                world.step(dossier, rng)
        world.clock.now += timedelta(hours=20)

    direct: dict[str, Counter] = {}
    for (_day, _agency, _procedure, channel), counts in recount.direct_counts().items():
        direct.setdefault(channel, Counter()).update(counts)
    with django_assert_max_num_queries(1):
        samples = dossier_samples(client)

    endings = ("resolved", "stopped", "withdrawn", "refused")
    assert sum(counts["received"] for counts in direct.values()) > 0, "the seed received nothing"
    assert sum(counts[e] for counts in direct.values() for e in endings) > 0, "the seed finished nothing"
    for channel, counts in direct.items():
        assert samples[("motcua_dossiers_received_total", (("channel", channel),))] == counts["received"]
        for ending in endings:
            key = ("motcua_dossiers_finished_total", (("channel", channel), ("ending", ending)))
            assert samples[key] == counts[ending], (channel, ending)
