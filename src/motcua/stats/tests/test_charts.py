from motcua.stats import charts


def test_bars_escape_labels_and_show_missing_values_as_a_dash():
    svg = charts.bars([("Xã <Tân> Phong", 96.5), ("Sở Y tế", None)], title="Tỷ lệ đúng hạn", max_value=100)
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg
    assert "Xã &lt;Tân&gt; Phong" in svg and "<Tân>" not in svg
    assert "96,5%" in svg and "–" in svg
    assert svg.count('class="chart-bar"') == 1  # no bar of zero for "nothing to count"


def test_columns_one_per_month():
    svg = charts.columns([("01", 10), ("02", 0), ("03", None)], title="Hồ sơ tiếp nhận theo tháng")
    assert svg.count('class="chart-bar"') == 2
    assert "<title>Hồ sơ tiếp nhận theo tháng</title>" in svg
