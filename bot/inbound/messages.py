"""What residents read about inbound delivery (French, vouvoiement, GSM-7, one SMS)."""

SLOWED_DOWN = "Notre service est ralenti. Votre message est bien arrivé : nous vous répondrons dès que possible."
