"""Counter appointments: motives, slot calendar, Redis store, reminders, mediator CLI (no Rasa import)."""
