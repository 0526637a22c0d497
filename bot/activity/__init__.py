"""Activity log (no resident named; distinct residents in anonymous day counters) and the activity report."""
