#!/usr/bin/env python3
"""Generates the display-width table and the grapheme sample the width test checks.

Writes
  Sources/SessionGuideContent/Text/DisplayWidthTable.swift   the per-code-point ranges DisplayWidth reads
  Tests/SessionGuideContentTests/Fixtures/grapheme-widths.txt every sample grapheme with its reference width

The data is the table of jquast/wcwidth (https://github.com/jquast/wcwidth), the maintained one built from the
Unicode data files (EastAsianWidth, DerivedGeneralCategory, emoji-variation-sequences, emoji-data). Regenerate
after upgrading it:

    pip install --upgrade wcwidth && python3 scripts/generate-width-table.py

The reference width of a grapheme is wcwidth.width() with one documented exception: Indic text (a spacing
combining mark, or a conjunct made with a virama) counts every spacing letter and every spacing mark as one
cell, as glibc's wcwidth, ncurses, xterm and tmux 3.3a all do (measured: क्षि takes 3 cells in tmux, where
wcwidth.width says 2). Following wcwidth there would leave every terminal one cell further right than the
layout expects. Every sample where the two differ is marked `indic` in the fixture.
"""
import os
import sys

import wcwidth
from wcwidth import table_wide, table_zero, table_mc, table_vs16, table_grapheme
from wcwidth._constants import _ISC_VIRAMA_SET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VERSION = wcwidth.list_versions()[-1]

def in_ranges(value, ranges):
    return any(lo <= value <= hi for lo, hi in ranges)


def merge(ranges):
    merged = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def subtract(ranges, holes):
    """The code points of `ranges` that are not in `holes`."""
    result = []
    for lo, hi in ranges:
        start = lo
        for hlo, hhi in holes:
            if hhi < start or hlo > hi:
                continue
            if hlo > start:
                result.append((start, hlo - 1))
            start = max(start, hhi + 1)
        if start <= hi:
            result.append((start, hi))
    return merge(result)


WIDE = merge(table_wide.WIDE_EASTASIAN[VERSION])
MC = merge(table_mc.CATEGORY_MC[VERSION])
VS16 = merge(table_vs16.VS16_NARROW_TO_WIDE['9.0.0'])
PICTOGRAPHIC = merge(table_grapheme.EXTENDED_PICTOGRAPHIC)

# Spacing combining marks (Mc) are zero in wcwidth's per-code-point table; we count them as glibc does (above).
# NUL is dropped too: controls are handled in Swift, before the table.
ZERO = subtract(merge(table_zero.ZERO_WIDTH[VERSION]), merge(MC + [(0, 0)]))


# MARK: - The reference width, the same rules as DisplayWidth.of(_: Character)

def scalar_width(value):
    if 0x20 <= value < 0x7F:
        return 1
    if value < 0x20 or 0x7F <= value < 0xA0:
        return 0
    if in_ranges(value, ZERO):
        return 0
    if in_ranges(value, WIDE):
        return 2
    return 1


def table_width(grapheme):
    """Cells one grapheme takes: wcwidth's rules for emoji sequences, plain sums elsewhere."""
    width = 0
    last = None          # the last scalar that took cells, for VS16
    last_pictographic = False
    last_virama = False
    skip_next = False
    regional = 0
    for char in grapheme:
        value = ord(char)
        if skip_next:    # the emoji after a ZWJ joins the one before it
            skip_next = False
            continue
        if value == 0x200D:
            skip_next = not last_virama and width > 0
            continue
        if value == 0xFE0F:
            if last is not None and in_ranges(last, VS16):
                width += 1
            last = None
            continue
        if 0x1F1E6 <= value <= 0x1F1FF:
            regional += 1
            if regional % 2 == 0:
                continue
        if 0x1F3FB <= value <= 0x1F3FF and last_pictographic:
            continue
        w = scalar_width(value)
        width += w
        if w > 0:
            last = value
            last_pictographic = in_ranges(value, PICTOGRAPHIC) or 0x1F1E6 <= value <= 0x1F1FF
        last_virama = value in _ISC_VIRAMA_SET
    return width


# MARK: - The sample

def sample():
    """(class, grapheme) pairs covering every class the issue names, and every range edge of the table."""
    cases = []
    for lo, hi in ZERO + WIDE + MC:
        for value in {lo, hi}:
            if 0xD800 <= value <= 0xDFFF:
                continue
            base = 'a' if in_ranges(value, ZERO) or in_ranges(value, MC) else ''
            cases.append(('table', base + chr(value)))
    for lo, hi in VS16:
        for value in range(lo, hi + 1):
            cases.append(('vs16', chr(value) + '\uFE0F'))
            cases.append(('vs15', chr(value) + '\uFE0E'))
    for value in [0x231A, 0x231B, 0x23E9, 0x2614, 0x2615, 0x26A1, 0x1F600, 0x1F44D]:
        cases.append(('vs15', chr(value) + '\uFE0E'))
        cases.append(('vs16', chr(value) + '\uFE0F'))
    tones = [chr(v) for v in range(0x1F3FB, 0x1F400)]
    for base in ['\U0001F44D', '\U0001F44B', '\U0001F590', '\U0001F64F', '\U0001F9D1', '\U0001F469',
                 '\U0001F468', '\U0001F476', '\u270B', '\u261D', '\U0001F3C3', '\U0001F9D8']:
        for tone in tones:
            cases.append(('skin-tone', base + tone))
    for tone in tones:
        cases.append(('skin-tone', tone))
    zwj = ['\U0001F468\u200D\U0001F469\u200D\U0001F467', '\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466',
           '\U0001F3F3\uFE0F\u200D\U0001F308', '\U0001F3F4\u200D\u2620\uFE0F', '\U0001F469\U0001F3FD\u200D\U0001F52C',
           '\U0001F9D1\u200D\U0001F91D\u200D\U0001F9D1', '\U0001F441\uFE0F\u200D\U0001F5E8\uFE0F',
           '\U0001F408\u200D\u2B1B', '\u2764\uFE0F\u200D\U0001F525', '\U0001F3C3\u200D\u2640\uFE0F',
           '\U0001F9D8\U0001F3FF\u200D\u2642\uFE0F', '\U0001F469\u200D\u2764\uFE0F\u200D\U0001F48B\u200D\U0001F468',
           '\U0001F43B\u200D\u2744\uFE0F', '\U0001F62E\u200D\U0001F4A8']
    cases += [('zwj', s) for s in zwj]
    cases += [('zwj', '\u200D'), ('zwj', 'a\u200D'), ('zwj', '\U0001F44D\u200D')]
    letters = [chr(v) for v in range(0x1F1E6, 0x1F200)]
    for first in letters:
        for second in letters:
            cases.append(('flag', first + second))
        cases.append(('flag', first))
    cases += [('keycap', c + '\uFE0F\u20E3') for c in '#*0123456789']
    cases += [('soft-hyphen', '\u00AD')]
    devanagari = 'नमस्ते हिन्दी क्षत्रिय श्री द्वारा प्रश्न स्त्री क्‍ष राष्ट्र ज्ञान का कि की कु कू के कै को कौ कं कः कँ'
    consonants = [chr(v) for v in range(0x0915, 0x093A)]
    words = devanagari.split() + [c + '\u094D' + d for c in consonants[:12] for d in consonants[:12]]
    for word in words:
        for grapheme in wcwidth.iter_graphemes(word):
            cases.append(('devanagari', grapheme))
    for word in ['漢字', 'かな', 'ｈｅｌｌｏ', '한국어', 'e\u0301', 'n\u0303\u0323', 'שלום', 'مرحبا', 'กำ', 'ไทย']:
        for grapheme in wcwidth.iter_graphemes(word):
            cases.append(('other', grapheme))
    seen = set()
    unique = []
    for kind, text in cases:
        if text not in seen:
            seen.add(text)
            unique.append((kind, text))
    return unique


# MARK: - Output

def swift_ranges(name, ranges, doc):
    lines = [f'    /// {doc}', f'    static let {name}: [UInt32] = [']
    row = []
    for lo, hi in ranges:
        row.append(f'0x{lo:05X}, 0x{hi:05X},')
        if len(row) == 4:
            lines.append('        ' + ' '.join(row))
            row = []
    if row:
        lines.append('        ' + ' '.join(row))
    lines.append('    ]')
    return '\n'.join(lines)


def write_table():
    ZERO_DOC = ('No cells: nonspacing and enclosing marks, format characters, Hangul jamo vowels and finals\n'
                '    /// (less the spacing combining marks, which take one cell).')
    VS16_DOC = 'Characters that VS16 (U+FE0F) turns from one cell into a two-cell emoji (emoji-variation-sequences).'
    values = [f'0x{v:04X},' for v in sorted(_ISC_VIRAMA_SET)]
    viramas = '\n'.join('        ' + ' '.join(values[i:i + 10]) for i in range(0, len(values), 10))
    body = f'''// Generated by scripts/generate-width-table.py from wcwidth {wcwidth.__version__} (jquast/wcwidth),
// Unicode {VERSION}. Do not edit: upgrade wcwidth and run the script again.

/// Code point ranges for `DisplayWidth`, as flat `[low, high, low, high, …]` pairs sorted by code point.
enum DisplayWidthTable {{
    /// The Unicode version the ranges come from.
    static let unicodeVersion = "{VERSION}"

{swift_ranges("zeroWidth", ZERO, ZERO_DOC)}

{swift_ranges("wide", WIDE, "Two cells: East Asian Wide and Fullwidth, which includes the emoji shown as emoji by default.")}

{swift_ranges("narrowToWideWithVS16", VS16, VS16_DOC)}

{swift_ranges("extendedPictographic", PICTOGRAPHIC, "Extended_Pictographic: after one of these, a skin tone (emoji modifier) takes no cell of its own.")}

    /// Viramas of the Indic scripts: a ZWJ after one asks for a half form and joins nothing.
    static let viramas: Set<UInt32> = [
{viramas}
    ]
}}
'''
    path = os.path.join(ROOT, 'Sources/SessionGuideContent/Text/DisplayWidthTable.swift')
    with open(path, 'w', encoding='utf-8') as out:
        out.write(body)


def write_sample():
    rows = []
    deviations = 0
    for kind, text in sample():
        expected = table_width(text)
        reference = wcwidth.width(text, control_codes='ignore')
        if expected != reference:
            indic = any(in_ranges(ord(c), MC) or ord(c) in _ISC_VIRAMA_SET for c in text)
            if not indic:
                sys.exit(f'table_width disagrees with wcwidth.width for {text!r}: {expected} vs {reference}')
            kind = 'indic'
            deviations += 1
        scalars = ' '.join(f'{ord(c):04X}' for c in text)
        rows.append(f'{kind};{scalars};{expected};{reference}')
    header = [
        f'# Generated by scripts/generate-width-table.py from wcwidth {wcwidth.__version__}, Unicode {VERSION}.',
        '# class;code points of one grapheme;cells (the layout must agree);cells by wcwidth.width()',
        '# The two differ only for class indic: see the script.',
    ]
    path = os.path.join(ROOT, 'Tests/SessionGuideContentTests/Fixtures/grapheme-widths.txt')
    with open(path, 'w', encoding='utf-8') as out:
        out.write('\n'.join(header + rows) + '\n')
    print(f'{len(rows)} sample graphemes, {deviations} Indic ones counted as terminals do', file=sys.stderr)


if __name__ == '__main__':
    write_table()
    write_sample()
