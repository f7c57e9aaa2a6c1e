"""Dates as administrative documents write them, in local time (Asia/Ho_Chi_Minh)."""

from datetime import UTC, date, datetime

from motcua.documents.templatetags.motcua_documents import date_line, time_and_date


def test_time_and_date_is_written_in_local_time():
    assert time_and_date(datetime(2026, 12, 2, 2, 5, tzinfo=UTC)) == "09 giờ 05 phút, ngày 02/12/2026"
    assert time_and_date(None) == ""


def test_the_date_line_pads_days_and_only_the_months_january_and_february():
    assert date_line(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert date_line(date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"
    # 23:30 UTC on 30 November is already 1 December in Viet Nam.
    assert date_line(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "ngày 01 tháng 12 năm 2026"
