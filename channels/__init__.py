"""Rasa input/output channels: SMS (Twilio) and Telegram."""
