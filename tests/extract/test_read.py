"""Stage 1, read: files become Articles, or a one-line reason why not."""
from __future__ import annotations

import json
from pathlib import Path

from kg.errors import ArticleError
from kg.extract.read import discover, html_to_text, markdown_to_text, read_path


def one(path: Path):
    [item] = read_path(path)
    return item


def test_a_text_file_becomes_an_article_with_its_name_path_and_content_hash(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Acme Robotics Inc. has partnered with Globex.\n", encoding="utf-8")
    article = one(f)
    assert article.name == "a.txt"
    assert article.path == str(f.resolve())
    assert len(article.sha256) == 64
    assert article.text.startswith("Acme Robotics")


def test_citation_markers_are_blanked_keeping_offsets(tmp_path):
    f = tmp_path / "a.txt"
    original = "Acme signed a deal [1] with Globex [2, 3].\n"
    f.write_text(original, encoding="utf-8")
    text = one(f).text
    assert "[" not in text and len(text) == len(original)
    assert text.index("with Globex") == original.index("with Globex")


def test_a_short_first_line_without_final_punctuation_is_the_title(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Acme buys Globex\nAcme said on Monday it would buy Globex.\n", encoding="utf-8")
    assert one(f).title == "Acme buys Globex"


def test_html_keeps_the_article_body_and_drops_scripts_and_navigation(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(
        "<html><head><title>Site | News</title><script>var tracking = 'Globex';</script>"
        '<meta property="article:published_time" content="2025-03-02T10:00:00Z">'
        '<meta property="og:site_name" content="Daily Wire Service"></head>'
        "<body><nav><a href='/'>Home</a> <a>Markets</a></nav>"
        "<article><h1>Acme buys Initech</h1><p>Acme &amp; Sons bought Initech.</p></article>"
        "<footer>Copyright Megacorp</footer><script>alert('x')</script></body></html>",
        encoding="utf-8",
    )
    article = one(f)
    assert "Acme & Sons bought Initech." in article.text
    for junk in ("tracking", "Home", "Markets", "Megacorp", "alert"):
        assert junk not in article.text
    assert article.title == "Acme buys Initech"
    assert article.date == "2025-03-02"
    assert article.source == "Daily Wire Service"


def test_markdown_markup_is_blanked_and_front_matter_read(tmp_path):
    f = tmp_path / "post.md"
    f.write_text("---\ntitle: Big deal\ndate: 2024-11-05\n---\n# Big deal\n\nAcme **signed** with [Globex](https://x.example).\n",
                 encoding="utf-8")
    article = one(f)
    assert article.title == "Big deal" and article.date == "2024-11-05"
    assert "Acme   signed   with  Globex" in article.text
    assert "https" not in article.text


def test_jsonl_gives_one_article_per_line_and_reports_bad_lines(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text(
        json.dumps({"id": "n1", "text": "Acme partnered with Globex.", "title": "Deal", "date": "2025-01-02"}) + "\n"
        + "{not json\n"
        + json.dumps({"body": "no text field"}) + "\n",
        encoding="utf-8",
    )
    first, bad_json, no_text = read_path(f)
    assert first.name == "feed.jsonl#n1" and first.date == "2025-01-02"
    assert isinstance(bad_json, ArticleError) and "feed.jsonl:2" in str(bad_json) and "invalid JSON" in str(bad_json)
    assert isinstance(no_text, ArticleError) and "text" in str(no_text)


def test_an_empty_file_is_reported(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_text("  \n", encoding="utf-8")
    error = one(f)
    assert isinstance(error, ArticleError) and str(error) == f"{f}: empty file"


def test_a_binary_file_is_reported(tmp_path):
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary file" in str(one(f))


def test_a_non_utf8_file_is_reported_with_the_offending_byte(tmp_path):
    f = tmp_path / "latin1.txt"
    f.write_bytes("Société Générale a signé.".encode("latin-1"))
    message = str(one(f))
    assert message.startswith(str(f)) and "not UTF-8" in message and "0xe9" in message


def test_an_oversized_file_is_reported_without_being_read(tmp_path):
    f = tmp_path / "huge.txt"
    f.write_bytes(b"word " * (1024 * 1024 // 5 + 10))
    message = str(read_path(f, max_bytes=1024 * 1024)[0])
    assert "over the" in message and "--max-size" in message


def test_html_with_no_body_text_is_reported(tmp_path):
    f = tmp_path / "empty.html"
    f.write_text("<html><head><script>var a = 1;</script></head><body><nav>Home</nav></body></html>", encoding="utf-8")
    assert "no article text" in str(one(f))


def test_discover_walks_folders_in_name_order_and_reports_what_it_cannot_use(tmp_path):
    (tmp_path / "b.txt").write_text("B", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("A", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "empty").mkdir()
    found = list(discover([tmp_path, tmp_path / "missing.txt", tmp_path / "empty", tmp_path / "notes.pdf"]))
    paths = [f for f in found if isinstance(f, Path)]
    errors = [str(f) for f in found if isinstance(f, ArticleError)]
    assert paths == [tmp_path / "b.txt", tmp_path / "sub" / "a.md"]
    assert errors == [
        f"{tmp_path / 'missing.txt'}: no such file or directory",
        f"{tmp_path / 'empty'}: folder holds no articles (.htm, .html, .jsonl, .markdown, .md, .txt)",
        f"{tmp_path / 'notes.pdf'}: unsupported file type '.pdf'; kg reads .htm, .html, .jsonl, .markdown, .md, .txt",
    ]


def test_helpers_return_text_and_metadata():
    text, meta = html_to_text("<p>Hello <b>world</b></p>")
    assert text == "Hello world" and meta == {}
    text, meta = markdown_to_text("Plain text.")
    assert text == "Plain text." and meta == {}
