"""The mediators' web console (Starlette): queue, transcripts, replies, hand-back."""
