"""Deadline reminders residents ask for (issue 24): programmes, schedule, sending policy, consent and texts.

Plain Python, no Rasa: the conversation (consent, RAPPELS, FAIT) and the arq delivery plug into it later.
"""
