"""The PDF machinery: shipped fonts, and a URL fetcher that reaches nothing but the project's own files."""

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from motcua.documents.pdf import FONT_FAMILY, FONTS, FONTS_DIR, ProjectFilesFetcher, font_faces_css

# Every letter Vietnamese adds to ASCII (Latin Extended Additional U+1EA0-1EF9 and the rest), and the dong.
VIETNAMESE = "ĂăÂâĐđÊêÔôƠơƯư₫" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA))


@pytest.mark.parametrize(("name", "weight", "style"), FONTS)
def test_each_shipped_font_is_a_small_subset_that_writes_every_vietnamese_letter(name, weight, style):
    path = FONTS_DIR / name
    font = TTFont(path)
    missing = {ch for ch in VIETNAMESE if ord(ch) not in font.getBestCmap()}

    assert not missing
    assert path.stat().st_size < 100_000  # subsets, not the 600 KB originals
    assert font["name"].getDebugName(1) == "Noto Serif"
    assert (FONTS_DIR / "OFL.txt").read_text().count("SIL OPEN FONT LICENSE Version 1.1") == 1


def test_the_font_faces_point_at_the_shipped_files():
    css = font_faces_css()
    for name, weight, style in FONTS:
        assert (
            f'src: url("{(FONTS_DIR / name).as_uri()}"); font-weight: {weight}; font-style: {style};' in css
        )
    assert css.count(f'font-family: "{FONT_FAMILY}"') == len(FONTS)


def test_the_fetcher_gives_the_shipped_fonts_and_data_uris():
    fetcher = ProjectFilesFetcher()
    font = fetcher.fetch((FONTS_DIR / FONTS[0][0]).as_uri())
    assert font.read() == (FONTS_DIR / FONTS[0][0]).read_bytes()
    assert fetcher.fetch("data:text/plain;base64,eGlu").read() == b"xin"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/portal/portal.css",
        "https://fonts.example.com/noto.ttf",
        "ftp://example.com/x",
        "file:///etc/passwd",
        (FONTS_DIR / ".." / ".." / "settings.py").as_uri(),  # out of the fonts folder by ".."
        (FONTS_DIR / "missing.ttf").as_uri(),
        "file://intranet.example/share/x.ttf",
    ],
)
def test_the_fetcher_refuses_the_network_and_other_files(url):
    with pytest.raises(ValueError, match="only use the project's own files"):
        ProjectFilesFetcher().fetch(url)


def test_static_files_of_the_project_apps_may_be_embedded():
    favicon = Path(__file__).resolve().parents[2] / "portal" / "static" / "portal" / "favicon.svg"
    response = ProjectFilesFetcher().fetch(favicon.as_uri())
    assert response.read() == favicon.read_bytes()
    assert response.content_type == "image/svg+xml"
