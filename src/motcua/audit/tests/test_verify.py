"""The chain check finds the first changed, deleted or added entry; ``manage.py verify_audit`` reports it."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from motcua.audit import selectors, services
from motcua.audit.models import AuditEntry

from .conftest import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def log(officer):
    """Six entries."""
    return [
        services.record("dossier.view", actor=officer, target=("dossiers.dossier", n)) for n in range(1, 7)
    ]


@pytest.mark.parametrize("batch_size", [1, 2, 4, 1000])
def test_an_untouched_log_verifies(log, batch_size):
    result = selectors.verify_chain(batch_size=batch_size)
    assert result.ok and result.count == 6
    assert result.message == "6 entries, chain intact."


def test_the_summary_is_in_vietnamese_by_default(log):
    with translation.override("vi"):
        assert selectors.verify_chain().message == "6 dòng, chuỗi băm nguyên vẹn."


def test_an_empty_log_verifies(db):
    assert selectors.verify_chain() == selectors.ChainCheck(count=0, message="0 entries, chain intact.")


@pytest.mark.parametrize("batch_size", [2, 1000])
def test_an_edited_entry_is_found_at_its_number(log, batch_size):
    tamper("UPDATE audit_auditentry SET target_id = '99' WHERE seq = 4")
    result = selectors.verify_chain(batch_size=batch_size)
    assert (result.ok, result.problem, result.seq, result.count) == (False, "changed", 4, 3)
    assert result.message == "Entry 4 was changed: its content no longer matches its hash."


def test_an_edited_detail_is_found(log):
    tamper("UPDATE audit_auditentry SET detail = %s WHERE seq = 2", [json.dumps({"note": "added later"})])
    assert (selectors.verify_chain().problem, selectors.verify_chain().seq) == ("changed", 2)


def test_an_edit_that_also_rewrites_the_hash_breaks_the_next_link(log):
    entry = AuditEntry.objects.get(seq=3)
    entry.target_label = "forged"
    tamper(
        "UPDATE audit_auditentry SET target_label = 'forged', hash = %s WHERE seq = 3",
        [entry.expected_hash()],
    )
    result = selectors.verify_chain()
    assert (result.problem, result.seq) == ("relinked", 4)
    assert "Entry 4 does not follow entry 3" in result.message


def test_an_actor_pointed_at_another_account_is_found(log, citizen):
    tamper("UPDATE audit_auditentry SET actor_id = %s WHERE seq = 5", [citizen.pk])
    assert (selectors.verify_chain().problem, selectors.verify_chain().seq) == ("changed", 5)


@pytest.mark.parametrize("batch_size", [2, 1000])
def test_an_entry_deleted_in_the_middle_is_found(log, batch_size):
    tamper("DELETE FROM audit_auditentry WHERE seq = 3")
    result = selectors.verify_chain(batch_size=batch_size)
    assert (result.problem, result.seq, result.count) == ("missing", 3, 2)
    assert result.message == "Entry 3 is missing (deleted): entry 4 comes right after entry 2."


def test_the_first_entry_deleted_is_found(log):
    tamper("DELETE FROM audit_auditentry WHERE seq = 1")
    assert (selectors.verify_chain().problem, selectors.verify_chain().seq) == ("missing", 1)


def test_entries_deleted_at_the_end_are_found_from_the_head(log):
    tamper("DELETE FROM audit_auditentry WHERE seq >= 5")
    result = selectors.verify_chain()
    assert (result.problem, result.seq, result.count) == ("truncated", 5, 4)
    assert result.message == "Entries 5 to 6 are missing (deleted at the end of the log)."


def test_a_replaced_last_entry_does_not_match_the_head(log):
    entry = AuditEntry.objects.get(seq=6)
    entry.target_id = "99"
    tamper("UPDATE audit_auditentry SET target_id = '99', hash = %s WHERE seq = 6", [entry.expected_hash()])
    result = selectors.verify_chain()
    assert (result.problem, result.seq) == ("head_mismatch", 6)


def test_a_missing_head_is_found(log):
    tamper("DELETE FROM audit_audithead")
    assert selectors.verify_chain().problem == "head_missing"


def test_an_entry_written_beyond_the_head_is_found(log):
    last = AuditEntry.objects.get(seq=6)
    tamper(
        "INSERT INTO audit_auditentry (seq, at, actor_username, action, target_type, target_id, target_label,"
        " detail, prev_hash, hash) VALUES (7, %s, '', 'dossier.view', '', '', '', '{}', %s, %s)",
        [last.at, last.hash, "f" * 64],
    )
    result = selectors.verify_chain()
    assert (result.problem, result.seq) == ("beyond_head", 7)


def test_the_command_prints_the_summary_when_the_chain_is_intact(log):
    out = StringIO()
    call_command("verify_audit", "--batch-size", "4", stdout=out)
    assert out.getvalue().strip() == "6 entries, chain intact."


def test_the_command_fails_with_status_1_and_the_broken_link(log):
    tamper("DELETE FROM audit_auditentry WHERE seq = 2")
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    # manage.py prints the message to stderr and exits with this status.
    assert failure.value.returncode == 1
    assert str(failure.value) == "Entry 2 is missing (deleted): entry 3 comes right after entry 1."


# --- anchors: heads written down outside the database -------------------------------------------------


def rewrite_from(seq: int, **changes):
    """What someone with write access to the database could do: change an entry, recompute its hash and
    every later one, and move the head, so that the chain alone looks intact."""
    entries = list(AuditEntry.objects.filter(seq__gte=seq).order_by("seq"))
    prev_hash = AuditEntry.objects.get(seq=seq - 1).hash if seq > 1 else entries[0].prev_hash
    for entry in entries:
        if entry.seq == seq:
            for name, value in changes.items():
                setattr(entry, name, value)
        entry.prev_hash = prev_hash
        entry.hash = entry.expected_hash()
        tamper(
            "UPDATE audit_auditentry SET target_id = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [entry.target_id, entry.prev_hash, entry.hash, entry.seq],
        )
        prev_hash = entry.hash
    tamper("UPDATE audit_audithead SET last_hash = %s", [prev_hash])


def test_the_anchor_is_the_head_as_one_line_of_json(log):
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    anchor = selectors.Anchor.parse(out.getvalue())
    assert (anchor.seq, anchor.hash) == (6, AuditEntry.objects.get(seq=6).hash) and anchor.at


def test_a_rewrite_with_recomputed_hashes_passes_the_chain_but_not_an_anchor(log, tmp_path):
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    services.record("dossier.view", actor=None, target=("dossiers.dossier", 7))  # the log goes on
    rewrite_from(3, target_id="99")

    assert selectors.verify_chain().ok  # without an anchor the rewrite is invisible
    anchors = tmp_path / "anchors.jsonl"
    anchors.write_text("# taken daily by cron\n" + out.getvalue() + "\n")
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", "--anchors", str(anchors))
    assert failure.value.returncode == 1
    assert str(failure.value).startswith("Entry 6 is not the one anchored at ")
    assert selectors.verify_chain(anchors=[selectors.Anchor.parse(out.getvalue())]).problem == "rewritten"


def test_an_anchor_still_matching_means_the_log_up_to_it_is_the_one_written_then(log, tmp_path):
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    services.record("dossier.view", actor=None, target=("dossiers.dossier", 7))
    anchors = tmp_path / "anchors.jsonl"
    anchors.write_text(out.getvalue())
    out = StringIO()
    call_command("verify_audit", "--anchors", str(anchors), stdout=out)
    assert out.getvalue().strip() == "7 entries, chain intact."


def test_an_anchor_beyond_a_cut_end_is_found(log):
    anchor = selectors.current_anchor()
    last = AuditEntry.objects.get(seq=4)
    tamper("DELETE FROM audit_auditentry WHERE seq >= 5")
    tamper("UPDATE audit_audithead SET last_seq = 4, last_hash = %s", [last.hash])

    assert selectors.verify_chain().ok  # the head moved back with the deletion
    result = selectors.verify_chain(anchors=[anchor])
    assert (result.problem, result.seq) == ("anchor_missing", 6)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("seq 6", "not JSON"),
        ('{"seq": 0, "hash": "' + "a" * 64 + '"}', '"seq" must be a positive whole number'),
        ('{"seq": 6, "hash": "xyz"}', '"hash" must be 64 lowercase hexadecimal digits'),
    ],
)
def test_a_bad_anchors_file_is_refused_with_its_line(log, tmp_path, line, reason):
    anchors = tmp_path / "anchors.jsonl"
    anchors.write_text("\n" + line + "\n")
    with pytest.raises(CommandError, match=f"line 2: {reason}"):
        call_command("verify_audit", "--anchors", str(anchors))


def test_the_anchor_can_be_e_mailed_elsewhere(log, mailoutbox):
    call_command("audit_anchor", "--email", "kiemtoan@example.vn, luu-tru@example.vn", stdout=StringIO())
    [message] = mailoutbox
    assert message.to == ["kiemtoan@example.vn", "luu-tru@example.vn"]
    assert selectors.Anchor.parse(message.body.strip().splitlines()[-1]).seq == 6
    with pytest.raises(CommandError, match="Not an e-mail address"):
        call_command("audit_anchor", "--email", "khong-phai-email", stdout=StringIO())


def test_an_empty_log_has_no_anchor(db):
    with pytest.raises(CommandError, match="empty"):
        call_command("audit_anchor", stdout=StringIO())


def test_beat_mails_the_anchor_daily_to_the_configured_mailboxes(log, mailoutbox, settings):
    from motcua.audit import tasks

    settings.MOTCUA_AUDIT_ANCHOR_EMAILS = []
    assert tasks.send_anchor() is None and mailoutbox == []  # nowhere configured: nothing sent
    settings.MOTCUA_AUDIT_ANCHOR_EMAILS = ["kiemtoan@example.vn"]
    assert tasks.send_anchor() == 6
    assert [m.to for m in mailoutbox] == [["kiemtoan@example.vn"]]
    assert "motcua.audit.send_anchor" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
