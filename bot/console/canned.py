"""Ready-made replies mediators insert in the reply box (they can edit them before sending)."""

CANNED_REPLIES: tuple[str, ...] = (
    "Bonjour, je suis médiateur au PIMMS. Je lis votre message et je vous réponds.",
    "Pouvez-vous me donner plus de détails sur votre démarche ?",
    "Je regarde votre situation. Merci de patienter quelques minutes.",
    "Le plus simple est de venir au PIMMS avec vos papiers. Voulez-vous un rendez-vous ?",
    "Ne donnez jamais vos codes ni vos coordonnées bancaires par message.",
    "Merci, bonne journée. Je vous repasse à l'assistant automatique.",
)
