"""Danger phrases in Arabic script (issue 23), beside ``bot.danger_phrases`` (Latin letters, Darija included).

Matched on :func:`fold_arabic`'s output: hamza forms -> ``ا``, ``ى`` -> ``ي``, short vowels and tatweel removed.
Groups are those of ``bot.danger``.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic script (Modern Standard Arabic and the dialects), on fold_arabic's output.
ARABIC: dict[str, tuple[str, ...]] = {
    "threat": (
        r"(يقتلني|يقتلوني|تقتلني|بيقتلني|يقتلنى)",
        r"(هددني|يهددني|تهددني|هددوني)\s+(ب)?(ال)?قتل",
        r"تهديد\s+بال?قتل",
    ),
    "suicide": (
        r"نتح(ا)?ر",
        r"(اقتل|نقتل|قتل)\s+(نفسي|روحي|راسي)",
        r"(اريد|بدي|ابغى|ابي|حاب|بغيت|نحب|نبغي)\s+(ان\s+)?(اموت|نموت|موت)",
        r"(لا|ما)\s+(اريد|بدي|ابغى|بغيتش|نحبش)\s+(ان\s+)?(اعيش|نعيش|عيش)",
        r"(انهي|نهي)\s+حياتي",
    ),
    "medical": (
        r"(لا|ما|مش|مو|عدم|ماقدرش|مايقدرش)\s+(\S+\s+)?(ي|ت|ا|ن)?(ست)?(ال)?تنفس",
        r"تنفسش",
        r"ضيق\s+(في\s+)?(ال)?تنفس",
        r"(نوبه|نوبة|ازمه|ازمة|سكته|سكتة)\s+قلبي",
        r"جلط",
        r"(الم|وجع)\s+(في\s+)?(ال)?صدر",
        r"(فقد|فاقد|فاقده|فاقدة)\s+(ال)?وعي",
        r"(اغمي|مغمى|مغمي)\s+علي",
        r"نزيف",
        r"جرعه?\s+زائده?|جرعة\s+زائدة",
        r"(تشنج|صرع)",
        r"(ال)?اسعاف",
        r"طوارئ\s+طبي",
    ),
    "child": (
        r"(طفل|طفلي|طفلتي|اطفال|اطفالي|ابني|بنتي|ابنتي|ولدي|اولادي|وليدي|الطفل|الاطفال)\s+(\S+\s+)?(في\s+)?خطر",
        r"(يضرب|يضربون|تضرب|يعنف|يعتدي\s+على|يغتصب)\s+(\S+\s+)?(طفل|طفلي|ابني|بنتي|ابنتي|ولدي|اولادي|الاطفال|اطفالي"
        r"|الطفل)",
        r"(تعنيف|اعتداء|تحرش)\s+(جنسي\s+)?(على\s+|ب)?(ال)?(اطفال|طفل)",
    ),
    "violence": (
        r"(يضربني|تضربني|يضربوني|ضربني|ضربتني|بيضربني|كيضربني|كايضربني|يعنفني|عنفني|اغتصبني|اغتصاب|يخنقني|خنقني"
        r"|يهددني|هددني|يعذبني)",
        r"(اعتدى|يعتدي|اعتدوا)\s+علي",
        r"(ال)?عنف",
        r"(خايفه|خايفة|خائفه|خائفة|خايف)\s+من\s+(زوجي|راجلي|رجلي|جوزي)",
    ),
    "shelter": (
        r"(انام|ننام|نرقد|نبات|نايم|نايمه|نايمة|نعس)\s+(في\s+|ف\s*)?(ال)?(شارع|زنقه|زنقة|برا|خارج|سياره|سيارة)",
        r"(وين|فين|اين)\s+(انام|ننام|نبات|نرقد|نعس)",
        r"(بلا|بدون|بدوت)\s+ماوى",
        r"(مشرد|متشرد)",
        r"(انا|احنا|نحن|اصبحت|بقيت|صرت|رانا|راني)\s+(في|ف)\s*(ال)?(شارع|زنقه|زنقة)",
        r"(طردني|طردوني|طردنا|خرجوني)\s+(من|م)\s+(ال)?(دار|بيت|منزل|سكن)",
    ),
}

_ARABIC_LETTERS = re.compile(r"[\u0621-\u064a]")
_NOT_ARABIC = re.compile(r"[^\u0621-\u064a0-9]+")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": ""})


def has_arabic(text: str) -> bool:
    """Whether the text has Arabic letters."""
    return bool(_ARABIC_LETTERS.search(text))


def fold_arabic(text: str) -> str:
    """Arabic letters only, hamza carriers and alef maqsura folded, short vowels and tatweel removed."""
    bare = "".join(c for c in unicodedata.normalize("NFC", text) if not unicodedata.combining(c))
    return _NOT_ARABIC.sub(" ", bare.translate(_ARABIC_FOLD)).strip()
