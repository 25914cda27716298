"""Seeded synthetic French helpline notes with planted themes (shared by tests and bench)."""

from __future__ import annotations

import random
from itertools import accumulate, product

# Each planted theme has its own vocabulary (raw, accented, some plurals) and a helpline topic.
PLANTED: dict[str, tuple[str, ...]] = {
    "housing": (
        "logement",
        "insalubre",
        "humidité",
        "moisissures",
        "bailleur",
        "loyer",
        "expulsion",
        "chauffage",
        "relogement",
        "HLM",
        "propriétaire",
        "appartement",
        "ascenseur",
        "fuite",
    ),
    "transport": (
        "transport",
        "taxi",
        "VSL",
        "ambulance",
        "trajet",
        "véhicule",
        "conduire",
        "permis",
        "bus",
        "déplacement",
        "navette",
        "gare",
        "kilomètres",
        "covoiturage",
    ),
    "administrative": (
        "dossier",
        "MDPH",
        "CAF",
        "formulaire",
        "courrier",
        "papiers",
        "mutuelle",
        "carte vitale",
        "démarches",
        "allocation",
        "préfecture",
        "attestation",
        "impôts",
    ),
    "isolation": (
        "seule",
        "solitude",
        "isolée",
        "voisine",
        "visites",
        "ennui",
        "famille éloignée",
        "sortir",
        "amis",
        "tristesse",
        "contacts",
        "téléassistance",
        "silence",
    ),
    "carer_support": (
        "aidant",
        "épuisé",
        "épuisement",
        "répit",
        "conjoint",
        "relais",
        "accueil de jour",
        "fatigue",
        "soutien",
        "plateforme",
        "hébergement temporaire",
        "charge",
        "aidante",
    ),
}
DISEASES = (
    "BPCO",
    "diabète",
    "insuffisance cardiaque",
    "dialyse",
    "sclérose en plaques",
    "Parkinson",
    "cancer",
    "polyarthrite",
    "oxygène",
    "insuline",
)
OPENERS = (
    "Appel de la patiente",
    "Appel du fils",
    "Rappel prévu",
    "La fille appelle",
    "Appel entrant",
    "Suivi téléphonique",
    "Patient joint ce jour",
    "Message laissé puis rappel",
    "Appel de l'aidante",
)
CLOSERS = (
    "à revoir la semaine prochaine.",
    "rappel prévu lundi.",
    "orientée vers l'assistante sociale.",
    "conseils donnés.",
    "on fait le point dans 15 jours.",
    "RDV le 12/03 à 14h30.",
    "",
)
GLUE = (", ", " et ", "; ", ", problème de ", ", souci de ", ". Elle signale ", ", besoin de ", " avec ")
FIRST_NAMES = ("Marie", "Jeanne", "Pierre", "Jean", "Hélène", "Françoise", "Michel", "André", "Josiane", "Karim")
LAST_NAMES = ("Dupont", "Lefèvre", "Moreau", "Girard", "Nguyen", "Benali", "Rousseau", "Fournier", "Lemaire")
KNOWN_NAMES = tuple(f"{f} {n}" for f, n in zip(FIRST_NAMES, LAST_NAMES + ("Le Gall",), strict=False))

_SYLLABLES = tuple("".join(p) for p in product("bcdfglmnprstv", "aeiou"))


def tail_vocabulary(size: int, seed: int = 12345) -> tuple[str, ...]:
    """Return `size` distinct pseudo-French words (a realistic long vocabulary tail)."""
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))] = None
    return tuple(words)


def make_notes(
    n: int, seed: int = 0, *, mix: float = 0.15, tail_size: int = 3000, names: bool = True
) -> tuple[list[str], list[str]]:
    """Return (notes, planted labels): n seeded notes, each mostly about one planted theme."""
    rng = random.Random(seed)
    labels = sorted(PLANTED)
    tail = tail_vocabulary(tail_size)
    tail_cum = list(accumulate(1.0 / (rank + 1) for rank in range(len(tail))))
    notes, planted = [], []
    for _ in range(n):
        label = rng.choice(labels)
        words = rng.sample(PLANTED[label], rng.randint(3, 6))
        if rng.random() < mix:
            words.append(rng.choice(PLANTED[rng.choice(labels)]))
        rng.shuffle(words)
        body = words[0] + "".join(rng.choice(GLUE) + w for w in words[1:])
        parts = [rng.choice(OPENERS)]
        if names and rng.random() < 0.5:
            parts.append(f"{rng.choice(('Mme', 'M.', 'Madame', 'Dr'))} {rng.choice(LAST_NAMES)}")
        parts.append(f"({rng.choice(DISEASES)}, {rng.randint(55, 95)} ans) : {body}")
        parts.append(" ".join(rng.choices(tail, cum_weights=tail_cum, k=rng.randint(1, 4))))
        if names and rng.random() < 0.3:
            parts.append(f"sa fille {rng.choice(FIRST_NAMES)} passe le {rng.randint(1, 28)}")
        parts.append(rng.choice(CLOSERS))
        notes.append(" ".join(parts))
        planted.append(label)
    return notes, planted


def make_calls(n: int, seed: int = 0, *, second: float = 0.25) -> list[tuple[str, list[str]]]:
    """Return n (summary, ticked topics) pairs; some calls carry a second planted topic."""
    rng = random.Random(seed)
    labels = sorted(PLANTED)
    calls = []
    for _ in range(n):
        topics = [rng.choice(labels)]
        if rng.random() < second:
            topics.append(rng.choice([t for t in labels if t != topics[0]]))
        words = [w for t in topics for w in rng.sample(PLANTED[t], rng.randint(2, 4))]
        rng.shuffle(words)
        calls.append((f"{rng.choice(OPENERS)} ({rng.choice(DISEASES)}) : {', '.join(words)}.", topics))
    return calls
