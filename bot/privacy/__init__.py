"""Residents' data: erasure, export, retention of every key, privacy notices and the mediators' access log."""
