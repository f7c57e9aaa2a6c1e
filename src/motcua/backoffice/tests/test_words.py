"""Words with several meanings are translated once per meaning (``pgettext`` contexts), and the back office's
title says the unit's name once.

Before, msgid "Code" served both the queue's dossier-code column and the legal-document kind "code of law",
so the desk's first column read "Bộ luật"; and the queues' title read "Bộ phận một cửa · Bộ phận một cửa"."""

import re
from pathlib import Path

import polib
import pytest

from motcua.accounts.models import OfficerRole
from motcua.catalog.models import LegalDocumentKind
from motcua.dossiers.tests.fixtures import make_officer

PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# Short English words the portal uses in more than one sense: each use names its sense (a msgctxt).
SEVERAL_MEANINGS = {"Code", "Law", "Decision", "Comment"}


def test_words_of_several_meanings_are_never_translated_without_their_sense():
    without_sense = {e.msgid for e in polib.pofile(str(PO)) if not e.msgctxt and e.msgid in SEVERAL_MEANINGS}
    assert without_sense == set()
    assert str(LegalDocumentKind.CODE.label) == "Bộ luật"


@pytest.mark.django_db
def test_the_queue_reads_dossier_code_and_names_the_desk_once(client, agency):
    client.force_login(make_officer("motcua.tu", agency, role=OfficerRole.DESK))
    page = client.get("/mot-cua/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.count("Bộ phận một cửa") == 1
    assert "Bộ luật" not in page
