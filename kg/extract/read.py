"""Stage 1, read: turn files into Articles (text, title, date, source), or say why not.

Formats: .txt, .md, .html/.htm, and .jsonl (one article per line, with a "text" field).
Markup and citation markers such as `[1]` or `[2, 3]` are blanked with spaces rather than
deleted, so character offsets in the Article text match the text the reader saw.
HTML is parsed with the standard library's html.parser: it is well kept, tolerant of broken
markup, and saves a dependency; script, style, navigation, header, footer, aside and form
elements are dropped, and <article> or <main> is preferred when the page has one.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ArticleError
from ..model import Article

SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
_MB = 1024 * 1024
DEFAULT_MAX_BYTES = 5 * _MB

_CITATION = re.compile(r"\[\d+(?:\s*[,–-]\s*\d+)*\]")
_TITLE_END = re.compile(r"[.!?\"”:;,]$")


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """Replace every match of `pattern` with as many spaces, keeping offsets."""
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def clean_text(text: str) -> str:
    """Normalise line ends and blank citation markers, offsets kept."""
    return blank(text.replace("\r\n", " \n").replace("\r", "\n"), _CITATION)


def discover(paths: Iterable[str | Path]) -> Iterator[Path | ArticleError]:
    """The article files under `paths` (folders searched recursively, in name order).

    Missing paths, folders without articles and unsupported files come out as ArticleError.
    """
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield ArticleError(str(given), "no such file or directory")
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                yield ArticleError(str(given), f"folder holds no articles ({', '.join(sorted(SUFFIXES))})")
            yield from found
        elif path.suffix.lower() not in SUFFIXES:
            yield ArticleError(str(given), f"unsupported file type {path.suffix or '(none)'!r}; "
                                           f"kg reads {', '.join(sorted(SUFFIXES))}")
        else:
            yield path


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Article | ArticleError]:
    """Read one file into articles (several for .jsonl); problems come back as ArticleError."""
    where = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return [ArticleError(where, f"file is {size / _MB:.1f} MB, over the {max_bytes / _MB:.1f} MB limit "
                                        "(raise it with --max-size)")]
        data = path.read_bytes()
    except PermissionError:
        return [ArticleError(where, "permission denied")]
    except OSError as e:
        return [ArticleError(where, f"cannot read: {e.strerror or e}")]
    if not data.strip():
        return [ArticleError(where, "empty file")]
    if b"\x00" in data[:8192]:
        return [ArticleError(where, "binary file, not text")]
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return [ArticleError(where, f"not UTF-8 text (invalid byte 0x{data[e.start]:02x} at offset {e.start})")]
    fmt = SUFFIXES[path.suffix.lower()]
    absolute = str(path.resolve())
    if fmt == "jsonl":
        return list(_read_jsonl(raw, path, absolute))
    try:
        if fmt == "html":
            text, meta = html_to_text(raw)
        elif fmt == "md":
            text, meta = markdown_to_text(raw)
        else:
            text, meta = clean_text(raw), {}
    except ValueError as e:
        return [ArticleError(where, str(e))]
    return [_article(text, path.name, absolute, fmt, meta, where)]


def _article(text: str, name: str, path: str, fmt: str, meta: dict[str, str], where: str) -> Article | ArticleError:
    if not text.strip():
        return ArticleError(where, "no article text (only markup or whitespace)")
    title = meta.get("title") or guess_title(text)
    return Article(
        text=text,
        name=name,
        path=path,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=title,
        date=meta.get("date"),
        source=meta.get("source"),
        format=fmt,
    )


def guess_title(text: str) -> str | None:
    """A first line that reads like a headline: short, no closing punctuation, more text below."""
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if rest.strip() and 0 < len(first) <= 120 and not _TITLE_END.search(first):
        return first
    return None


def _read_jsonl(raw: str, path: Path, absolute: str) -> Iterator[Article | ArticleError]:
    seen_any = False
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        seen_any = True
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield ArticleError(where, f"invalid JSON ({e.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield ArticleError(where, "JSON line has no \"text\" string field")
            continue
        key = str(record.get("id") or number)
        meta = {k: str(record[k]) for k in ("title", "date", "source") if record.get(k)}
        meta["date"] = _iso_date(meta.get("date", "")) or ""
        text = clean_text(record["text"])
        yield _article(text, f"{path.name}#{key}", f"{absolute}#{key}", "jsonl", {k: v for k, v in meta.items() if v},
                       where)
    if not seen_any:
        yield ArticleError(str(path), "empty file")


_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _iso_date(value: str) -> str | None:
    m = _ISO.search(value or "")
    return m.group(1) if m else None


# -- Markdown -------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")
_MD_MARKS = re.compile(r"(^#{1,6}\s|^\s*[-*+]\s|^\s*>\s?|\*\*|__|`+|^\s*[-*_]{3,}\s*$)", re.M)


def markdown_to_text(raw: str) -> tuple[str, dict[str, str]]:
    """Markdown -> plain text with markup blanked (offsets kept), plus front-matter metadata."""
    text = raw.replace("\r\n", " \n")
    meta: dict[str, str] = {}
    m = _FRONT_MATTER.match(text)
    if m:
        for line in m.group(1).splitlines():
            key, _, value = line.partition(":")
            if key.strip().lower() in ("title", "date", "source") and value.strip():
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = _blank_span(text, 0, m.end())
    text = _MD_LINK.sub(_link_text, text)
    text = blank(text, _MD_MARKS)
    heading = re.search(r"^#\s+(.+)$", raw, re.M)
    if heading and "title" not in meta:
        meta["title"] = heading.group(1).strip()
    if "date" in meta:
        meta["date"] = _iso_date(meta["date"]) or ""
    return clean_text(text), {k: v for k, v in meta.items() if v}


def _link_text(link: re.Match[str]) -> str:
    """`[text](url)` -> ` text` padded with spaces; an image disappears."""
    whole = link.group(0)
    if whole.startswith("!"):
        return " " * len(whole)
    return (" " + link.group(1)).ljust(len(whole))


def _blank_span(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


# -- HTML ---------------------------------------------------------------------------------

_DROP = {"script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "iframe", "template",
         "button", "select", "figure"}
_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "main", "tr",
          "blockquote", "ul", "ol", "table", "dd", "dt"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, int]] = []  # (text, depth in <article>/<main>)
        self.skip = 0
        self.main_depth = 0
        self.saw_main = False
        self.meta: dict[str, str] = {}
        self.in_title = False
        self.title_parts: list[str] = []
        self.h1: list[str] = []
        self.in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.skip += 1
        elif tag in ("article", "main"):
            self.main_depth += 1
            self.saw_main = True
        elif tag == "title":
            self.in_title = True
        elif tag == "h1":
            self.in_h1 = True
        elif tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            key = (a.get("property") or a.get("name") or "").lower()
            if key in ("article:published_time", "date", "pubdate", "dc.date"):
                self.meta.setdefault("date", a.get("content", ""))
            elif key in ("og:site_name", "publisher"):
                self.meta.setdefault("source", a.get("content", ""))
            elif key == "og:title":
                self.meta.setdefault("title", a.get("content", ""))
        if tag in _BLOCK and not self.skip:
            self.parts.append(("\n", self.main_depth))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            return
        self.handle_starttag(tag, attrs)
        if tag in ("article", "main"):
            self.main_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("article", "main"):
            self.main_depth = max(0, self.main_depth - 1)
        elif tag == "title":
            self.in_title = False
        elif tag == "h1":
            self.in_h1 = False
        if tag in _BLOCK and not self.skip:
            self.parts.append(("\n", self.main_depth))

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skip:
            return
        if self.in_h1:
            self.h1.append(data)
        self.parts.append((data, self.main_depth))


def html_to_text(raw: str) -> tuple[str, dict[str, str]]:
    """The readable body of an HTML page, one paragraph a line, and its title/date/source."""
    parser = _Collector()
    try:
        parser.feed(raw)
        parser.close()
    except Exception as e:  # html.parser raises only on pathological input
        raise ValueError(f"cannot parse HTML ({e})") from None
    parts = [t for t, depth in parser.parts if depth > 0] if parser.saw_main else [t for t, _ in parser.parts]
    text = unescape("".join(parts))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    body = "\n".join(line for line in lines if line)
    meta = dict(parser.meta)
    title = " ".join("".join(parser.h1).split()) or " ".join("".join(parser.title_parts).split())
    if title and not meta.get("title"):
        meta["title"] = title
    if meta.get("date"):
        meta["date"] = _iso_date(meta["date"]) or ""
    return clean_text(body), {k: v for k, v in meta.items() if v}
