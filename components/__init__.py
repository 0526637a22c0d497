"""Custom Rasa NLU graph components (may import rasa)."""
