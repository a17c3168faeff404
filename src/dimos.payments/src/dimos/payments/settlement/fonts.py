"""The fonts of receipts (and permits): read and subset once per process, not once per PDF.

Profiling ``receipts.render_receipt`` (cProfile) showed four fifths of its
time in fontTools: pyHanko's ``GlyphAccumulator`` subsets both Nimbus Sans
fonts anew for every PDF, and its subsetter decompiles the GSUB and GPOS
tables it then drops, and compiling the CFF program recomputes the bounding
box of every glyph. Here:

* each font file is read once per process (``FontProgram``: its bytes);
* its subset for a fixed repertoire (printable ASCII, Greek, the punctuation
  and the euro sign receipts print, with the ligatures and other glyphs
  HarfBuzz may shape them into) is made and compiled once, when first needed,
  and embedded as is in every PDF whose glyphs it holds. Glyph ids are kept
  (``retain_gids``, as pyHanko does for these fonts), so the character ids a
  PDF's text uses are the same in the shared program and in a subset of its
  own. It costs a few kB per font over a PDF's own subset;
* a PDF with a glyph outside the repertoire (a Latin accented letter, ...)
  gets a subset of its own as before, made the cheap way: layout tables
  dropped before subsetting, bounding boxes not recomputed.

Thread safety: the shared program is built once under a lock and is immutable
(bytes, a frozenset, strings); whatever fontTools or HarfBuzz change (the
parsed font, the shaping buffers) belongs to one engine, so to one PDF.

With this and ``receipts.Canvas.width`` measuring lines with HarfBuzz alone,
a receipt of 2 debts took 150 ms before and 12 ms after (one of 60 debts: 204
and 22 ms; one with a letter outside the repertoire: 28 ms), measured in the
same run on a shared machine. The first receipt of a process also builds the
shared subsets (about 0.3 s). A receipt is about 12 kB larger (the
repertoire's glyphs); sealed, some 83 kB.

This subclasses pyHanko 0.38's ``GlyphAccumulator`` and ``CIDFontType0`` and
uses their attributes (``_glyphs``, ``_subset_created``, ``_extract_subset``,
``_font_descriptor``); tests/test_receipts.py reads the embedded fonts back.
No Zope or Plone here.
"""

from dataclasses import dataclass
from fontTools import subset
from fontTools import ttLib
from io import BytesIO
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import CIDFontType0
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name

import hashlib
import threading
import zlib


LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF")
# What receipts and permits print: printable ASCII, Greek, some punctuation, €.
REPERTOIRE = (
    *range(0x20, 0x7F),
    *range(0x370, 0x400),
    *(0xA0, 0xA7, 0xAB, 0xB0, 0xB7, 0xBB),
    *(0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x20AC),
)


@dataclass(frozen=True)
class SharedSubset:
    """A font's subset for the repertoire, compiled: what every PDF within it embeds."""

    gids: frozenset  # the glyph ids it holds
    tag: str  # the subset's six-letter tag, the same in every PDF
    postscript_name: str
    deflated: bytes  # the CFF program, Flate-compressed


def _tag(postscript_name, gids):
    digest = hashlib.sha256(f"{postscript_name}:{sorted(gids)}".encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _postscript_name(font):
    return next(name.toUnicode() for name in font["name"].names if name.nameID == 6)


def build_shared_subset(data, codepoints=REPERTOIRE):
    """The SharedSubset of the font ``data`` (an OpenType CFF font's bytes) for ``codepoints``."""
    font = ttLib.TTFont(BytesIO(data))
    postscript_name = _postscript_name(font)
    cmap = font.getBestCmap()
    options = subset.Options(layout_closure=True, notdef_outline=True)
    options.retain_gids = True  # the same glyph ids as the font: see the docstring
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=[code for code in codepoints if code in cmap])
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    subsetter.subset(font)  # with GSUB still there: ligatures are kept (the closure)
    gids = frozenset(order[name] for name in subsetter.glyphs_retained)
    tag = _tag(postscript_name, gids)
    top = font["CFF "].cff[0]
    top.rawDict["FullName"] = f"{tag}+{postscript_name}"
    stream = BytesIO()
    font["CFF "].cff.compile(stream, font)
    return SharedSubset(gids, tag, postscript_name, zlib.compress(stream.getvalue()))


class FontProgram:
    """One OpenType CFF font file, read once; ``engine(writer)`` draws text with it."""

    def __init__(self, path):
        self.path = path
        self.data = path.read_bytes()
        self._lock = threading.Lock()
        self._shared = None

    def shared(self):
        """The SharedSubset, built on first use (once, whichever thread asks first)."""
        if self._shared is None:
            with self._lock:
                if self._shared is None:
                    self._shared = build_shared_subset(self.data)
        return self._shared

    def engine(self, writer, font_size=10):
        """A font engine for one PDF ``writer`` (pyHanko's, with the shared subset)."""
        obj_stream = writer.prepare_object_stream() if writer.stream_xrefs else None
        return Accumulator(self, writer, font_size, obj_stream)


_PROGRAMS = {}
_PROGRAMS_LOCK = threading.Lock()


def font_program(path):
    """The process's FontProgram of the font file ``path``."""
    with _PROGRAMS_LOCK:
        if path not in _PROGRAMS:
            _PROGRAMS[path] = FontProgram(path)
        return _PROGRAMS[path]


class SharedCFF(CIDFontType0):
    """pyHanko's CID-keyed CFF font, embedding the shared subset when it is given one."""

    shared = None

    def use(self, shared):
        self.shared = shared
        self.name = f"{shared.tag}+{shared.postscript_name}"
        self[pdf_name("/BaseFont")] = pdf_name(f"/{self.name}")
        self._font_descriptor[pdf_name("/FontName")] = pdf_name(f"/{self.name}")

    def set_font_file(self, writer):
        if self.shared is None:
            return super().set_font_file(writer)
        stream = generic.StreamObject(
            {
                pdf_name("/Subtype"): pdf_name("/CIDFontType0C"),
                pdf_name("/Filter"): pdf_name("/FlateDecode"),
            },
            encoded_data=self.shared.deflated,
        )
        reference = writer.add_object(stream)
        self._font_descriptor[pdf_name("/FontFile3")] = reference
        return reference


class Accumulator(GlyphAccumulator):
    """pyHanko's glyph accumulator over a FontProgram: its bytes, and its shared subset."""

    def __init__(self, program, writer, font_size, obj_stream):
        super().__init__(writer, BytesIO(program.data), font_size, obj_stream=obj_stream)
        self.program = program
        if isinstance(self.cidfont_obj, CIDFontType0):
            prefix = self.cidfont_obj.subset_prefix
            self.cidfont_obj = SharedCFF(self.tt, _postscript_name(self.tt), prefix)

    def prepare_write(self):
        if not self._write_prepared and isinstance(self.cidfont_obj, SharedCFF):
            shared = self.program.shared()
            if self._glyphs.keys() <= shared.gids:
                self.cidfont_obj.use(shared)
                self._subset_created = True  # nothing of its own to subset
        super().prepare_write()

    def _extract_subset(self, options=None):
        """A subset of this PDF's own glyphs, without the work its result does not need."""
        for tag in LAYOUT_TABLES:
            if tag in self.tt:
                del self.tt[tag]  # shaping reads HarfBuzz's copy; the PDF embeds CFF only
        self.tt.recalcBBoxes = False  # the font's own bounding box holds for a subset
        super()._extract_subset(options)
