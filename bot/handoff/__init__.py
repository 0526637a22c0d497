"""Hand-off to human mediators: state machine and queue (Redis), Rasa HTTP API glue, resident messages."""
