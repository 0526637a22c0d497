"""Rasa SDK custom actions: thin adapters over the plain-Python code in ``bot``."""
