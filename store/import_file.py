"""Opening a file to import: what it is, how its text is encoded, whether it is too big.

Imports stream: a CSV file is never read whole. It is read a buffer at a time, in two
passes over its lines: one checks the whole file (``store.csv_file.check_csv``: delimiter,
header, quotes, number of rows), one plans its rows. Memory then grows with the companies
a plan adds, never with the file's text; those are kept until they are written, because
an import lands whole or not at all. So a file is refused up front, in one sentence and
before any row is planned, when it is larger than ``MAX_BYTES`` or has more than
``MAX_ROWS`` rows (the check stops reading at the first row past the limit): moatscope
imports that much at a time, and a bigger file is split. A moatscope JSON export is
parsed whole, so the size limit is what bounds it. Before either, a file whose import
would take more memory than the machine has available (its size times the expansion
measured for its kind, ``CSV_EXPANSION`` or ``JSON_EXPANSION``) is refused in a sentence
that gives the three figures, rather than run out of memory halfway.

Text is UTF-8 (with or without a BOM), UTF-16 or UTF-32 with a BOM, UTF-16 without one
(Excel's "Unicode text"), or Windows-1252 when it is not valid UTF-8. A file with NUL
bytes that is none of these is refused as binary.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from store.errors import MoatscopeError
from store.text import visible

MAX_BYTES = 512 * 2**20
"""The largest file imported at once."""
MAX_ROWS = 200_000
"""The most rows (companies) a CSV file may have: twice the companies a database is built
for, and what a plan holds in memory comfortably on a laptop."""
CSV_EXPANSION = 13
"""Peak memory an import takes per byte of CSV, planned and applied: 12 measured for a
Crunchbase export at 10k and 100k rows (0.9 KB a row), rounded up."""
JSON_EXPANSION = 8
"""The same for a moatscope JSON export, parsed whole: 7.3 measured at 10k companies."""
HEAD_BYTES = 65_536
"""How much of a file is read to tell what it is (and, for CSV, its delimiter)."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ImportFileError(MoatscopeError):
    """The file cannot be imported at all; the message says why in one sentence."""


def shown(path: Path) -> str:
    """A path as a message shows it: control characters made visible."""
    return visible(str(path))


def size_text(size: int) -> str:
    """``915 MB``, ``1.2 GB``."""
    if size >= 2**30:
        return f"{size / 2**30:.1f} GB"
    return f"{size / 2**20:.0f} MB" if size >= 10 * 2**20 else f"{size / 2**20:.1f} MB"


@dataclass(frozen=True)
class SourceFile:
    """A file to import, before its rows are read."""

    path: Path
    size: int
    """Bytes on disk."""
    head: bytes
    """The first ``HEAD_BYTES`` bytes."""
    encoding: str | None
    """The text encoding, or None when it is UTF-8 or else Windows-1252 (a full read tells)."""

    def head_text(self, encoding: str | None = None) -> str:
        """The head decoded (a character cut at its end is dropped; bad bytes replaced)."""
        decoder = codecs.getincrementaldecoder(encoding or self.encoding or "utf-8")("replace")
        return decoder.decode(self.head, final=self.size <= len(self.head))

    @property
    def is_json(self) -> bool:
        """True for JSON (a CSV never starts with "{"); a full read checks it is an export."""
        return self.head_text().lstrip().startswith("{")

    def encodings(self) -> list[tuple[str, str]]:
        """The encodings to try, in order, each with its error handling; the last one
        replaces what it cannot decode, so it always reads the file."""
        if self.encoding is not None:
            return [(self.encoding, "replace")]
        return [("utf-8", "strict"), ("cp1252", "replace")]

    def read_text(self) -> str:
        """The whole text (for JSON, whose size the limit bounds)."""
        try:
            raw = self.path.read_bytes()
        except OSError as error:
            raise _unreadable(self.path, error) from None
        *first, (encoding, errors) = self.encodings()
        for tried, strict in first:
            try:
                return raw.decode(tried, strict)
            except UnicodeDecodeError:
                continue
        return raw.decode(encoding, errors)


def open_source(path: Path) -> SourceFile:
    """``path`` checked for what can be told from its first bytes: it exists, is a regular
    file, is not empty, too big or binary; its text encoding."""
    try:
        info = path.stat()
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
            # Reading a FIFO or a device could wait forever or never end; opening a folder
            # fails below with the system's own words.
            raise ImportFileError(f"Cannot read {shown(path)}: it is not a regular file.")
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        raise ImportFileError(f"There is no file {shown(path)}.") from None
    except OSError as error:
        raise _unreadable(path, error) from None
    size = max(info.st_size, len(head))
    if size > MAX_BYTES:
        raise ImportFileError(
            f"{shown(path)} is {size_text(size)}; moatscope imports files of up to "
            f"{size_text(MAX_BYTES)} at a time: split the file."
        )
    source = SourceFile(path, size, head, text_encoding(head))
    _check_memory(source)
    if source.encoding is None and b"\x00" in head[:8192]:
        raise ImportFileError(
            f"{shown(path)} is not a text file (it looks binary); export it as CSV first."
        )
    if size <= len(head) and not source.head_text().strip():
        raise ImportFileError(f"{shown(path)} is empty: there is nothing to import.")
    return source


def _check_memory(source: SourceFile) -> None:
    """Refuse a file whose import would need more memory than the machine has available."""
    expansion = JSON_EXPANSION if source.is_json else CSV_EXPANSION
    needed, available = source.size * expansion, available_memory()
    if available is not None and needed > available:
        raise ImportFileError(
            f"{shown(source.path)} is {size_text(source.size)}; importing it takes about "
            f"{size_text(needed)} of memory and this machine has {size_text(available)} "
            "available: split the file, or close other programs and try again."
        )


def available_memory() -> int | None:
    """Bytes of memory the machine can give without swapping (``MemAvailable``, else the
    free pages), or None when it cannot tell."""
    try:
        with open("/proc/meminfo", "rb") as meminfo:
            for line in meminfo:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def text_encoding(head: bytes) -> str | None:
    """The encoding a BOM or the pattern of NUL bytes gives, or None (UTF-8 or Windows-1252)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    pairs = len(head) // 2
    if pairs < 2:
        return None
    # Text in UTF-16 without a BOM: mostly Latin letters, so every other byte is NUL.
    even, odd = head[0 : 2 * pairs : 2].count(0), head[1 : 2 * pairs : 2].count(0)
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= pairs * 0.3 and others <= pairs * 0.02 and _textual(head, encoding):
            return encoding
    return None


def _textual(head: bytes, encoding: str) -> bool:
    text = codecs.getincrementaldecoder(encoding)("replace").decode(head)
    odd = sum(1 for char in text if char < " " and char not in "\t\r\n" or char == "\ufffd")
    return odd <= len(text) * 0.01


def estimate_rows(path: Path) -> int:
    """About how many lines ``path`` has, from its size and its first lines (0 if unreadable)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return 0  # opening a FIFO would wait for a writer
        size = info.st_size
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return 0
    breaks = head.count(b"\n")
    if not head or size <= len(head):
        return breaks
    return max(round(breaks * size / len(head)), 1)


class Lines:
    """The lines of a text file read a buffer at a time, line breaks kept as they are.

    Every line ends with a line break (the last gets one if it has none), so a CSV reader
    asks for another line only when a quoted cell is still open; ``ended`` is True once
    the file is exhausted. ``bytes_read`` is how far into the file reading has got.
    """

    def __init__(self, source: SourceFile, encoding: str, errors: str = "replace") -> None:
        self.path = source.path
        try:
            self._binary = source.path.open("rb")
        except OSError as error:
            raise _unreadable(source.path, error) from None
        self._text = io.TextIOWrapper(self._binary, encoding=encoding, errors=errors, newline="")
        self.ended = False

    def __iter__(self) -> Iterator[str]:
        try:
            for line in self._text:
                yield line if line.endswith(("\n", "\r")) else line + "\n"
        except OSError as error:
            raise _unreadable(self.path, error) from None
        self.ended = True

    @property
    def bytes_read(self) -> int:
        """Bytes read from the file so far."""
        return self._binary.tell()

    def close(self) -> None:
        """Close the file."""
        self._text.close()

    def __enter__(self) -> Lines:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _unreadable(path: Path, error: OSError) -> ImportFileError:
    return ImportFileError(f"Cannot read {shown(path)}: {error.strerror or error}.")
