"""Dossiers received and finished, for the Prometheus metrics (``core.metrics``): read from the monthly facts
at each scrape, so every process answers the same figures and a restart loses nothing."""

from prometheus_client.core import CounterMetricFamily

from . import selectors


class DossierCollector:
    def collect(self):
        totals = selectors.totals_by_channel()
        received = CounterMetricFamily(
            "motcua_dossiers_received", "Dossiers received so far, by channel.", labels=["channel"]
        )
        finished = CounterMetricFamily(
            "motcua_dossiers_finished",
            "Dossiers finished so far, by channel and ending: resolved (with the agency's answer, granted or "
            "not), stopped, withdrawn, refused.",
            labels=["channel", "ending"],
        )
        for channel, counts in totals.items():
            received.add_metric([channel], counts["received"])
            for ending, measure in selectors.ENDINGS.items():
                finished.add_metric([channel, ending], counts[measure])
        yield received
        yield finished


def connect() -> None:
    from motcua.core.metrics import register_scrape_collector

    register_scrape_collector(DossierCollector())
