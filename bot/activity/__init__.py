"""Pseudonymised activity log and the activity report partners ask for."""
