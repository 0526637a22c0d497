"""What residents read about inbound delivery (French, vouvoiement, GSM-7, one SMS)."""

SLOWED_DOWN = "Notre service est ralenti. Votre message est bien arrivé : nous vous répondrons dès que possible."
# REST (a web page waiting for its answer): the message cannot be kept, the page must send it again.
NOT_KEPT = "Notre service est ralenti et n'a pas pu lire votre message. Merci de le renvoyer dans quelques minutes."
