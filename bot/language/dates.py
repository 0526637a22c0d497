"""Dates and hours in the resident's language (issue 23): weekday and month names written by hand.

French goes through :mod:`bot.french_dates` unchanged. The other languages use the 24-hour clock
(``9:30``) and a plain day form (``Tuesday 1 December``, ``1 Aralık Salı``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot import french_dates
from bot.language.codes import PRIOR

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "pt": ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"),
    "tr": ("Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"),
    "ro": ("luni", "marți", "miercuri", "joi", "vineri", "sâmbătă", "duminică"),
}
MONTHS: dict[str, tuple[str, ...]] = {
    "ar": (
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio",
        "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    ),
    "pt": (
        "janeiro", "fevereiro", "março", "abril", "maio", "junho",
        "julho", "agosto", "setembro", "outubro", "novembro", "dezembro",
    ),
    "tr": (
        "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
        "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık",
    ),
    "ro": (
        "ianuarie", "februarie", "martie", "aprilie", "mai", "iunie",
        "iulie", "august", "septembrie", "octombrie", "noiembrie", "decembrie",
    ),
}  # fmt: skip
# "{weekday} {day} {month}" per language; "{day} {hour}" joined by the word for "at".
_DAY_FORMS = {
    "ar": "{weekday} {day} {month}",
    "en": "{weekday} {day} {month}",
    "es": "{weekday} {day} de {month}",
    "pt": "{weekday}, {day} de {month}",
    "tr": "{day} {month} {weekday}",
    "ro": "{weekday}, {day} {month}",
}
_WHEN_FORMS = {
    "ar": "{day} الساعة {hour}",
    "en": "{day} at {hour}",
    "es": "{day} a las {hour}",
    "pt": "{day} às {hour}",
    "tr": "{day} saat {hour}",
    "ro": "{day}, ora {hour}",
}


def _french(language: str | None) -> bool:
    return not language or language == PRIOR.value or language not in WEEKDAYS


def hour_label(moment: time | datetime, language: str | None = None) -> str:
    """``9h30`` in French, ``9:30`` elsewhere (wall-clock time as given)."""
    if _french(language):
        return french_dates.hour_label(moment)
    return f"{moment.hour}:{moment.minute:02d}"


def day_label(day: date, language: str | None = None) -> str:
    """``mardi 1er décembre``, ``Tuesday 1 December``, ``1 Aralık Salı``..."""
    if _french(language):
        return french_dates.day_label(day)
    code = str(language)
    return _DAY_FORMS[code].format(
        weekday=WEEKDAYS[code][day.weekday()], day=day.day, month=MONTHS[code][day.month - 1]
    )


def when_label(moment: datetime, language: str | None = None) -> str:
    """``mardi 1er décembre à 9h30``, ``Tuesday 1 December at 9:30``..."""
    if _french(language):
        return french_dates.when_label(moment)
    code = str(language)
    return _WHEN_FORMS[code].format(day=day_label(moment, code), hour=hour_label(moment, code))


_DAYS = {
    "ar": ("يوم", "أيام"), "en": ("day", "days"), "es": ("día", "días"),
    "pt": ("dia", "dias"), "tr": ("gün", "gün"), "ro": ("zi", "zile"),
}  # fmt: skip
_WEEKS = {
    "ar": ("أسبوع", "أسابيع"), "en": ("week", "weeks"), "es": ("semana", "semanas"),
    "pt": ("semana", "semanas"), "tr": ("hafta", "hafta"), "ro": ("săptămână", "săptămâni"),
}  # fmt: skip


def days_label(days: int, language: str | None = None) -> str:
    """A booking horizon: ``4 semaines``, ``4 weeks``, ``10 días``."""
    if _french(language):
        return french_dates.days_label(days)
    code = str(language)
    count, names = (days // 7, _WEEKS[code]) if days % 7 == 0 else (days, _DAYS[code])
    return f"{count} {names[0] if count == 1 else names[1]}"


_TODAY = {"ar": "اليوم", "en": "today", "es": "hoy", "pt": "hoje", "tr": "bugün", "ro": "azi"}
_TOMORROW = {"ar": "غدا", "en": "tomorrow", "es": "mañana", "pt": "amanhã", "tr": "yarın", "ro": "mâine"}


def span_label(start: time, end: time, language: str | None = None) -> str:
    """``9h-12h`` in French, ``9:00-12:00`` elsewhere."""
    if _french(language):
        return french_dates.span_label(start, end)
    return f"{hour_label(start, language)}-{hour_label(end, language)}"


def relative_day(day: date, today: date, language: str | None = None) -> str:
    """``aujourd'hui``, ``tomorrow``, a weekday within the week, else the full day."""
    if _french(language):
        return french_dates.relative_day(day, today)
    code = str(language)
    if day == today:
        return _TODAY[code]
    if day == today + timedelta(days=1):
        return _TOMORROW[code]
    if day < today + timedelta(days=7):
        return WEEKDAYS[code][day.weekday()]
    return day_label(day, code)


def weekday_name(index: int, language: str | None = None) -> str:
    """The name of a weekday (0: Monday)."""
    return french_dates.WEEKDAYS_FR[index] if _french(language) else WEEKDAYS[str(language)][index]


_DAY_MONTH_FORMS = {
    "ar": "{day} {month}",
    "en": "{day} {month}",
    "es": "{day} de {month}",
    "pt": "{day} de {month}",
    "tr": "{day} {month}",
    "ro": "{day} {month}",
}


def day_month(day: date, language: str | None = None) -> str:
    """``15 January``, ``15 de enero`` (French: ``15 janvier``, ``1er mars``)."""
    if _french(language):
        number = "1er" if day.day == 1 else str(day.day)
        return f"{number} {french_dates.MONTHS_FR[day.month - 1]}"
    code = str(language)
    return _DAY_MONTH_FORMS[code].format(day=day.day, month=MONTHS[code][day.month - 1])
