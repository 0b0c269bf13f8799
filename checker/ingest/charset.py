"""Bytes to text the way real mail needs it, never raising.

Order: the declared charset strictly (read as its usual superset, e.g. gb2312
as gb18030, since senders label GBK text gb2312), then the
declared multi-byte charset or UTF-8 with a few corrupt bytes replaced (one
bad byte in a long UTF-8 body is damage, not another charset), then
charset-normalizer's best guess, then cp1252 with replacement characters.
Two exceptions to declared-first, both from production mail:

* bytes that are valid UTF-8 (and not plain ASCII) are UTF-8 whatever the
  declaration: latin-1 and gb18030 decoding almost never fail, so a wrong
  latin-1 or gb2312 label on UTF-8 text would otherwise decode to mojibake,
  while valid multi-byte UTF-8 almost never happens by chance in other charsets;
* mostly-ASCII text with a few 8-bit letters, or a guess in a Latin script, is
  read as cp1252: charset-normalizer cannot tell cp1250 from cp1252 on short
  Western text ("crčme" for "crème"), reads a lone "Caf\\xe9" as CJK, and
  cp1252 is what US office mail uses.

Quoted-printable left in a part that was not declared QP (soft breaks `=\\n`,
`=20`, `=E9`) is undone first, so a quote that spans a soft break matches.
"""

from __future__ import annotations

import codecs
import quopri
import re

from charset_normalizer import from_bytes

# Labels senders use for a charset whose superset is what they really wrote.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "big5": "big5hkscs",
    "tis-620": "cp874",
    "iso-8859-8-i": "iso-8859-8",
    "ansi_x3.4-1968": "ascii",
    "us-ascii": "ascii",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
}
# A soft break ends a line in "=" after a visible character (not a "=====" rule);
# escapes count only for bytes QP must escape, outside URLs, paths and "=" runs.
_SOFT_BREAK = re.compile(rb"(?m)[^=\s]=\r?$")
_QP_ESCAPE = re.compile(rb"=(?:20|09|3D|[89A-F][0-9A-F])")
_NOT_QP = re.compile(rb"\S*(?:://|www\.|[?&/<>])\S*|={2,}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_ASCII_LETTER = re.compile(rb"[A-Za-z]")
_SURROGATES = re.compile("[\udc80-\udcff]")


def codec_for(declared: str | None) -> str | None:
    """The Python codec to read a declared charset with, or None if it is unknown."""
    if not declared:
        return None
    label = declared.strip().strip("\"'").lower()
    label = _SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _single_byte(codec: str) -> bool:
    return codec in ("ascii", "latin-1", "iso8859-1") or codec.startswith(("cp125", "iso8859"))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mostly(data: bytes, codec: str) -> str | None:
    """`data` in a multi-byte `codec` with a few corrupt bytes replaced, when the valid
    non-ASCII characters outnumber the corrupt ones ten to one; else None."""
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        return None
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    return text if good > 0 and good >= 10 * bad else None


def _mostly_latin(data: bytes) -> bool:
    """Few 8-bit bytes among the letters: Western text with some accents, where a
    statistical guess on so little evidence goes wrong (a CJK reading of "Caf\\xe9")."""
    high = len(_HIGH_BYTE.findall(data))
    letters = len(_ASCII_LETTER.findall(data))
    return high < 0.3 * (high + letters)


def _guess(data: bytes) -> str | None:
    if _mostly_latin(data):
        return data.decode("cp1252", errors="replace")
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    if all("Latin" in a or "Punctuation" in a or "Symbol" in a for a in best.alphabets):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    return str(best)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """`data` as text: valid UTF-8 as UTF-8, else the declared charset strictly, else
    nearly-valid multi-byte text, else a guess, else cp1252 with replacements."""
    codec = codec_for(declared)
    if codec and (data.isascii() or codec.startswith(("utf-16", "utf-32"))):
        try:  # 7-bit charsets (iso-2022-jp, utf-7) and UTF-16 look like ASCII or binary
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    if data.isascii():
        return data.decode("ascii")
    if _is_utf8(data):
        return data.decode("utf-8")
    for attempt in (codec, "latin-1" if codec == "cp1252" else None):
        if attempt:
            try:
                return data.decode(attempt)
            except (UnicodeDecodeError, LookupError):
                pass
    for attempt in dict.fromkeys(c for c in (codec, "utf-8") if c and not _single_byte(c)):
        mostly = _mostly(data, attempt)
        if mostly is not None:
            return mostly
    try:
        guessed = _guess(data)
    except Exception:  # noqa: BLE001 - a guesser bug must not lose the text
        guessed = None
    if guessed is not None:
        return guessed
    return data.decode("cp1252", errors="replace")


def has_qp_residue(data: bytes) -> bool:
    """Whether text not declared quoted-printable still carries QP encoding.

    Wanted, outside URLs: a soft line break and an escape (`=20`, `=E9`), or
    three of either; `?id=20` in a link or a `=====` rule is not QP.
    """
    if b"=" not in data:
        return False
    plain = _NOT_QP.sub(b" ", data)
    breaks = len(_SOFT_BREAK.findall(plain))
    escapes = len(_QP_ESCAPE.findall(plain))
    return (breaks >= 1 and escapes >= 1) or breaks >= 3 or escapes >= 3


def undo_qp(data: bytes) -> bytes:
    """Decode quoted-printable residue (soft breaks and `=XX` escapes)."""
    return quopri.decodestring(data)


def decode_body(data: bytes, declared: str | None, transfer_encoding: str = "") -> str:
    """A MIME part's decoded payload as text; undoes QP residue when the part was
    not declared quoted-printable or base64. Line ends become `\\n`."""
    if transfer_encoding.strip().lower() not in ("quoted-printable", "base64") and has_qp_residue(
        data
    ):
        data = undo_qp(data)
    text = decode_bytes(data, declared)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fix_surrogates(value: str, declared: str | None = None) -> str:
    """A header parsed from bytes keeps raw 8-bit bytes as surrogate escapes; decode them."""
    if not _SURROGATES.search(value):
        return value
    return decode_bytes(value.encode("utf-8", "surrogateescape"), declared)
