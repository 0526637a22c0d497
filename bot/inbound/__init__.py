"""Inbound messages that are never lost: a Redis journal written before the webhook answers, a pump that
turns them into conversation turns (and recovers those of a stopped process), a local spool while Redis is down."""
