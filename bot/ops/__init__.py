"""Running the stack: processes, embedded Redis, training, generated Rasa files, deployment helpers."""
