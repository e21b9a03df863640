"""Makes the test fonts: Noto subsets holding only the characters the test
profiles and the built-in language files use, so the tests need no fonts
installed. Run from the repository root after changing those files, on a
machine with Debian's fonts-noto-cjk and fonts-noto-core and fontTools:

    python3 tests/fonts/subset.py
"""
import glob
import subprocess

sources = (
    glob.glob("tests/scripts/*.toml")
    + glob.glob("tests/fixtures/privacy/*.toml")
    + glob.glob("tests/fixtures/languages/**/*.toml", recursive=True)
    + glob.glob("tests/fixtures/translations/*.toml")
) + [
    f"layouts/lang/{code}.toml" for code in ["zh", "zh-TW", "ja", "ko", "ar", "he", "hi", "th"]
]
text = "".join(open(path, encoding="utf-8").read() for path in sources)
chars = sorted({c for c in text if ord(c) > 0x2FF})
with open("/tmp/cvgen-subset-chars.txt", "w", encoding="utf-8") as out:
    out.write("".join(chars))

CJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-{}.ttc"
NOTO = "/usr/share/fonts/truetype/noto/NotoSans{}-{}.ttf"
fonts = [(CJK.format(w), 2, f"NotoSansCJKsc-{w}-subset.otf") for w in ["Regular", "Bold"]]
for script in ["Arabic", "Hebrew", "Devanagari", "Thai"]:
    for weight in ["Regular", "Bold"]:
        fonts.append((NOTO.format(script, weight), 0, f"NotoSans{script}-{weight}-subset.ttf"))
# Arabic prefers Naskh (its lam-alef is two glyphs, which extractors read
# in order; Noto Sans Arabic draws one ligature glyph they read reversed).
for weight in ["Regular", "Bold"]:
    fonts.append((f"/usr/share/fonts/truetype/noto/NotoNaskhArabic-{weight}.ttf", 0,
                  f"NotoNaskhArabic-{weight}-subset.ttf"))
for source, number, name in fonts:
    subprocess.run(
        [
            "pyftsubset", source, f"--font-number={number}",
            "--text-file=/tmp/cvgen-subset-chars.txt", "--unicodes=U+0020-007E",
            "--layout-features=*", "--name-IDs=*", "--name-languages=*",
            "--no-hinting", f"--output-file=tests/fonts/{name}",
        ],
        check=True,
    )
    print(name)
