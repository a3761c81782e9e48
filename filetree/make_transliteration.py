#!/usr/bin/env python3
"""filetree/make_transliteration.py: writes filetree/transliteration_data.cpp.

Zou slugifies every token value with python-slugify, which transliterates to ASCII (NFKD, then
unidecode) and decodes HTML entities. Slate does the same from a table built here, from two
sources only: the Unicode Character Database shipped with Python (unicodedata: NFKD
decompositions, combining marks) and the hand-written tables below (letters that do not
decompose: Latin specials, Greek, Cyrillic, and the punctuation whose ASCII form matters to a
slug: quotes). Characters outside the table transliterate to nothing, as unidecode does for
characters it does not know (so CJK text is not romanised: a known difference).

Each entry holds two ASCII strings for one code point:
  - translit: NFKD then transliteration (the first slugify stage);
  - nfkd: NFKD alone, every non-ASCII character of the result written as "-" (what an
    HTML-entity-decoded character becomes, since slugify decodes entities after transliterating).

Run: python3 filetree/make_transliteration.py > filetree/transliteration_data.cpp
"""

import html.entities
import re
import unicodedata

RANGES = [
    (0x0080, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, ...)
    (0x2000, 0x218F),  # punctuation, super/subscripts, letterlike symbols, number forms
    (0x2460, 0x24FF),  # enclosed alphanumerics
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFF01, 0xFF5E),  # fullwidth ASCII
]

# Letters that NFKD leaves whole, written the way a reader of the language spells them.
LATIN = {
    "Æ": "AE", "æ": "ae", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "Þ": "Th", "þ": "th",
    "ß": "ss", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "ĸ": "q", "Ł": "L",
    "ł": "l", "Ŋ": "NG", "ŋ": "ng", "Œ": "OE", "œ": "oe", "Ŧ": "T", "ŧ": "t", "ƀ": "b",
    "Ɓ": "B", "Ƃ": "B", "ƃ": "b", "Ƈ": "C", "ƈ": "c", "Ɖ": "D", "Ɗ": "D", "Ƌ": "D",
    "ƌ": "d", "Ǝ": "E", "Ɛ": "E", "Ƒ": "F", "ƒ": "f", "Ɠ": "G", "Ɨ": "I", "Ƙ": "K",
    "ƙ": "k", "ƚ": "l", "Ɲ": "N", "ƞ": "n", "Ƥ": "P", "ƥ": "p", "ƫ": "t", "Ƭ": "T",
    "ƭ": "t", "Ʈ": "T", "Ʋ": "V", "Ƴ": "Y", "ƴ": "y", "Ƶ": "Z", "ƶ": "z", "Ǥ": "G",
    "ǥ": "g", "ȡ": "d", "Ȥ": "Z", "ȥ": "z", "ȴ": "l", "ȵ": "n", "ȶ": "t", "ȷ": "j",
    "Ⱥ": "A", "Ȼ": "C", "ȼ": "c", "Ƚ": "L", "Ⱦ": "T", "ȿ": "s", "ɀ": "z", "Ƀ": "B",
    "Ʉ": "U", "Ɇ": "E", "ɇ": "e", "Ɉ": "J", "ɉ": "j", "Ɍ": "R", "ɍ": "r", "Ɏ": "Y",
    "ɏ": "y", "ẞ": "Ss", "ĸ": "k", "Ə": "E", "ə": "e", "Ɔ": "O", "ɔ": "o", "Ɣ": "G",
    "ɣ": "g", "Ʃ": "Sh", "ʃ": "sh", "Ʒ": "Zh", "ʒ": "zh", "Ȝ": "Y", "ȝ": "y",
}

GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψω",
    ["a", "b", "g", "d", "e", "z", "e", "th", "i", "k", "l", "m", "n", "ks", "o", "p", "r",
     "s", "s", "t", "u", "ph", "kh", "ps", "o"]))
GREEK["ξ"] = "x"
GREEK_CAPITALS = {"Ξ": "Ks"}

CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґў",
    ["a", "b", "v", "g", "d", "e", "io", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "'", "y", "'", "e", "iu",
     "ia", "ie", "i", "i", "g", "u"]))
CYRILLIC_CAPITALS = {"Є": "E"}
CYRILLIC.update({"ђ": "dj", "ѕ": "dz", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "tsh", "џ": "dzh",
                 "ѣ": "e", "ѳ": "f", "ѵ": "y", "ә": "e", "ө": "o", "ү": "u", "ұ": "u",
                 "һ": "h", "ҳ": "kh", "ҷ": "ch"})

# Punctuation whose ASCII form changes a slug: quotes are removed where other punctuation
# separates words. Every other symbol of the ranges becomes a separator.
PUNCTUATION = {
    "\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201b": "'", "\u2032": "'",
    "\u02bc": "'", "¢": "C/", "£": "PS", "¥": "Y=", "§": "SS", "©": "(c)", "®": "(r)",
    "°": "deg", "¶": "P", "×": "x", "€": "EUR", "‰": "%0", "‱": "%00",
}
# Invisible characters: most vanish (see transliterate_char), these few separate words.
PUNCTUATION.update({chr(code_point): "-" for code_point in [0x200B, *range(0x2060, 0x206A)]})


def capitalised(table):
    """Adds the capital letters, capitalised the way a title is."""
    out = dict(table)
    for letter, ascii_form in table.items():
        capital = letter.upper()
        if len(capital) == 1 and capital != letter:
            out.setdefault(capital, ascii_form[:1].upper() + ascii_form[1:])
    return out


LETTERS = {**LATIN, **capitalised(GREEK), **GREEK_CAPITALS, **capitalised(CYRILLIC),
           **CYRILLIC_CAPITALS, **PUNCTUATION}


LETTER_NAME = re.compile(r"^(LATIN|GREEK|CYRILLIC) (SMALL|CAPITAL) LETTER (\w+)(?: WITH .*)?$")


def base_letter(char):
    """A letter with a hook, stroke or tail reads as the letter it is built on."""
    match = LETTER_NAME.match(unicodedata.name(char, ""))
    if not match:
        return None
    script, case, letter = match.groups()
    if script == "LATIN" and len(letter) == 1:
        return letter.lower() if case == "SMALL" else letter
    try:
        base = unicodedata.lookup(f"{script} {case} LETTER {letter}")
    except KeyError:
        return None
    return LETTERS.get(base) if base != char else None


def transliterate_char(char):
    """One character after NFKD: ASCII kept, accents dropped, letters from the tables."""
    if ord(char) < 0x80:
        return char
    if char in LETTERS:
        return LETTERS[char]
    if unicodedata.category(char) in ("Cc", "Cf") or 0x0300 <= ord(char) <= 0x036F:
        return ""  # controls, format characters and accents vanish
    return base_letter(char) or "-"  # anything else separates words


def transliterate(code_point):
    return "".join(transliterate_char(c) for c in unicodedata.normalize("NFKD", chr(code_point)))


def nfkd_only(code_point):
    return "".join(c if ord(c) < 0x80 else "-"
                   for c in unicodedata.normalize("NFKD", chr(code_point)))


def c_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    rows = []
    for first, last in RANGES:
        for code_point in range(first, last + 1):
            translit, nfkd = transliterate(code_point), nfkd_only(code_point)
            if translit == "" and nfkd == "-":
                continue  # the default for a code point missing from the table
            rows.append(f"{{0x{code_point:04X}, {c_string(translit)}, {c_string(nfkd)}}},")
    entities = [f"{{{c_string(name)}, 0x{cp:04X}}},"
                for name, cp in sorted(html.entities.name2codepoint.items())]

    print("// filetree/transliteration_data.cpp: GENERATED by filetree/make_transliteration.py"
          " (Unicode " + unicodedata.unidata_version + "); do not edit.")
    print('#include "filetree/transliteration.h"\n')
    print("namespace slate::filetree::detail {\n")
    print("const TransliterationEntry transliteration_table[] = {")
    for start in range(0, len(rows), 4):
        print("    " + " ".join(rows[start:start + 4]))
    print("};")
    print(f"const std::size_t transliteration_table_size = {len(rows)};\n")
    print("const HtmlEntity html_entity_table[] = {")
    for start in range(0, len(entities), 5):
        print("    " + " ".join(entities[start:start + 5]))
    print("};")
    print(f"const std::size_t html_entity_table_size = {len(entities)};\n")
    print("} // namespace slate::filetree::detail")


if __name__ == "__main__":
    main()
