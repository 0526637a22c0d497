"""Which language a resident writes in, and which one they chose: detection with French as the prior.

``detect.detect(text)`` reads one message; ``choice`` parses the LANGUE command, its menu and FRANCAIS;
``routing.resolve`` combines both with what ``store.LanguageStore`` remembers of the sender. Nothing here
imports Rasa (nor, on import, scikit-learn); the admission path plugs ``resolve`` in later (issue 23).
"""
