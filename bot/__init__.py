"""PIMMS assistant: the application around Rasa (plain Python, no Rasa import)."""
