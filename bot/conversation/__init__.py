"""A conversation, not a list of questions (issue 25): context of the last answers, follow-ups, offers.

Plain Python over the tracker's events (dicts as Rasa stores them): :mod:`context` reads what the last turns
were about, :mod:`followup` recognises a short elliptical follow-up ("et le mardi ?", "comment je fais"),
:mod:`offers` finds what the last answer offered ("écrivez RDV") and :mod:`replies` a plain yes or no.
"""
