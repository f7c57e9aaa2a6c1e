"""What seeded dossiers are made of: the active demo procedures received by agencies that have officers,
each with its real workflow definition, weighted by popularity and by a size per agency."""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from motcua.accounts.models import OfficerMembership
from motcua.catalog import fees
from motcua.catalog.models import Channel, Procedure

from .. import clock, workflow
from ..models import StepKind


class SeedRefused(Exception):
    """The database is not one to seed (already seeded without ``append``, or no demo catalogue)."""


@dataclass
class ProcedurePlan:
    """A procedure as the seeder uses it: the row (its methods read once) and its workflow's steps."""

    procedure: Procedure
    definition: workflow.Definition
    channels: frozenset[str]
    business: bool  # businesses file it (mostly)
    citizens: bool
    _terms: dict = field(default_factory=dict)

    @cached_property
    def components(self) -> list:
        """The papers the procedure asks for, in order (attachments are made for them)."""
        return sorted(self.procedure.components.all(), key=lambda c: c.order)

    def fee_quote(self, channel: str) -> dict | None:
        """The fee quote of a dossier sent by ``channel`` with no exemption and one of everything (as
        ``Dossier.fee_quote`` keeps it, without ``quoted_at``), or None when nothing is owed."""
        key = ("fee", channel)
        if key not in self._terms:
            quote = fees.quote(self.procedure, channel=channel)
            self._terms[key] = quote.as_json() if quote.total > 0 else None
        return self._terms[key]

    def term(self, channel: str) -> clock.ProcessingTerm | None:
        """The processing time of a dossier received by ``channel``, by the clock's own rule."""
        if channel not in self._terms:
            self._terms[channel] = clock.processing_term(self.procedure.methods.all(), channel)
        return self._terms[channel]

    @cached_property
    def processing_steps(self) -> list[workflow.StepDefinition]:
        """The steps between reception and return, in which the dossier spends its processing time."""
        inner = [s for s in self.definition.steps if s.kind not in (StepKind.RECEPTION, StepKind.RETURN)]
        return inner or list(self.definition.steps)

    @cached_property
    def processing_times(self):
        """The processing steps, each one's budget as working time, and their total."""
        times = [clock.step_time(s) for s in self.processing_steps]
        return self.processing_steps, times, sum(times, timedelta(0)) or timedelta(minutes=1)

    @cached_property
    def approval_step(self) -> workflow.StepDefinition | None:
        return self.definition.first_of(StepKind.APPROVAL)


@dataclass
class Catalogue:
    procedures: list[ProcedurePlan]
    pairs: list[tuple[ProcedurePlan, int]]  # (procedure, receiving agency id)
    weights: list[float]  # cumulative, per pair
    online_pairs: list[tuple[ProcedurePlan, int]]
    online_weights: list[float]
    agency_codes: dict[int, str]
    agency_names: dict[int, str]
    officers: dict[tuple[int, str], tuple[int, str]]  # (agency id, role) -> (user id, full name)


def load_catalogue(rng: random.Random) -> Catalogue:
    """The active procedures received by agencies that have officers, with their workflows' steps."""
    officers: dict[tuple[int, str], tuple[int, str]] = {}
    for agency_id, role, user_id, name, username in (
        OfficerMembership.objects.filter(user__is_active=True)
        .order_by("agency_id", "role", "user__username")
        .values_list("agency_id", "role", "user_id", "user__full_name", "user__username")
    ):
        officers.setdefault((agency_id, role), (user_id, name or username))
    staffed = {agency_id for agency_id, _role in officers}
    procedures, pairs, weights = [], [], []
    online_pairs, online_weights = [], []
    agency_codes, agency_names = {}, {}
    # A size per agency: some communes are much busier than others (log-normal, fixed by the seed).
    sizes: dict[int, float] = {}
    rows = (
        Procedure.objects.filter(is_active=True)
        .prefetch_related("methods", "agencies", "fees", "components")
        .order_by("code")
    )
    for procedure in rows:
        agencies = sorted(
            (a for a in procedure.agencies.all() if a.is_active and a.pk in staffed), key=lambda a: a.code
        )
        channels = frozenset(m.channel for m in procedure.methods.all())
        if not agencies or not channels:
            continue
        plan = ProcedurePlan(
            procedure=procedure,
            definition=workflow.definition_for(procedure),
            channels=channels,
            business="business" in (procedure.applicant_types or []),
            citizens="citizen" in (procedure.applicant_types or []) or not procedure.applicant_types,
        )
        procedures.append(plan)
        popularity = max(procedure.popularity, 50)
        for agency in agencies:
            agency_codes[agency.pk] = agency.code
            agency_names[agency.pk] = agency.name
            size = sizes.setdefault(agency.pk, rng.lognormvariate(0, 0.7))
            weight = popularity * size / len(agencies) ** 0.5
            pairs.append((plan, agency.pk))
            weights.append((weights[-1] if weights else 0) + weight)
            if Channel.ONLINE in channels:
                online_pairs.append((plan, agency.pk))
                online_weights.append((online_weights[-1] if online_weights else 0) + weight)
    if not pairs:
        raise SeedRefused(
            "No active procedure is received by an agency with officers: run `manage.py load_demo` first."
        )
    return Catalogue(
        procedures, pairs, weights, online_pairs, online_weights, agency_codes, agency_names, officers
    )
