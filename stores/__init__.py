"""Rasa-facing storage classes named in endpoints.yml (the logic they wrap lives in ``bot/``)."""
