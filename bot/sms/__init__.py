"""SMS shaping: GSM-7 transliteration, segments, splitting, numbered buttons."""

from bot.sms.buttons import ButtonMemory, render_buttons, resolve_choice
from bot.sms.gsm import is_gsm7, segment_count, transliterate
from bot.sms.split import format_sms

__all__ = [
    "ButtonMemory",
    "format_sms",
    "is_gsm7",
    "render_buttons",
    "resolve_choice",
    "segment_count",
    "transliterate",
]
