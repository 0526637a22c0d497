"""Activity log (no resident named; distinct residents in anonymous day counters) and Rasa events into it."""
