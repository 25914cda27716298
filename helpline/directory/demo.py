"""A synthetic demo directory: every category in the demo service area (postcodes 4000-4690)."""

from __future__ import annotations

import sqlalchemy as sa

from models import Structure

from ..extensions import db

# (category, name, services, territory ranges, status). All names, phones and addresses are invented.
DEMO_STRUCTURES = (
    (
        "home_care_coordination",
        "Centre de coordination Exemple-Liège",
        ["Coordination des soins à domicile", "Aide familiale"],
        [(4000, 4690)],
        "active",
    ),
    (
        "home_care_coordination",
        "Coordination à domicile Meuse-Démo",
        ["Coordination des soins à domicile"],
        [(4400, 4470)],
        "active",
    ),
    (
        "social_service",
        "Service social Fictif de la mutualité",
        ["Droits sociaux", "Aide administrative"],
        [(4000, 4690)],
        "active",
    ),
    ("social_service", "CPAS de Démoville", ["Aide financière", "Accompagnement social"], [(4020, 4032)], "active"),
    (
        "housing_service",
        "Agence immobilière sociale Modèle",
        ["Logement adapté", "Aménagement du domicile"],
        [(4000, 4690)],
        "active",
    ),
    (
        "transport_service",
        "Transport adapté Essai",
        ["Transport vers les soins", "Véhicule adapté"],
        [(4000, 4690)],
        "active",
    ),
    ("transport_service", "Taxi social de Démoville", ["Transport local"], [(4100, 4190)], "temporarily_closed"),
    ("carer_support", "Maison des aidants Exemple", ["Répit", "Groupe de parole"], [(4000, 4690)], "active"),
    ("carer_support", "Répit à domicile Fictif", ["Garde à domicile"], [(4000, 4040)], "active"),
    (
        "mental_health_service",
        "Service de santé mentale Démo",
        ["Consultation psychologique", "Soutien psychiatrique à domicile"],
        [(4000, 4690)],
        "active",
    ),
    (
        "palliative_care",
        "Plate-forme de soins palliatifs Exemple",
        ["Équipe de soutien palliatif", "Deuil"],
        [(4000, 4690)],
        "active",
    ),
    (
        "social_link",
        "Visites de convivialité Modèle",
        ["Visites à domicile", "Appels de convivialité"],
        [(4000, 4690)],
        "active",
    ),
    (
        "general_practitioner",
        "Garde de médecine générale Essai",
        ["Médecin de garde", "Recherche d'un médecin traitant"],
        [(4000, 4690)],
        "active",
    ),
    (
        "general_practitioner",
        "Maison médicale Fictive",
        ["Médecine générale", "Soins infirmiers"],
        [(4020, 4020), (4030, 4032)],
        "inactive",
    ),
)


def demo_structures() -> list[Structure]:
    """Build the demo structures (not yet added to the session)."""
    structures = []
    for index, (category, name, services, ranges, status) in enumerate(DEMO_STRUCTURES, start=1):
        postcodes = [f"{n:04d}" for low, high in ranges for n in range(low, high + 1)]
        structure = Structure(
            external_id=f"demo-structure-{index:02d}",
            name=name,
            category=category,
            services=services,
            description="",
            phone=f"+32470999{500 + index}",
            email=f"contact{index}@demo.invalid",
            address_1=f"Rue de l'Exemple {index}",
            postal_code=postcodes[0],
            city="Démoville",
            country="BE",
            opening_hours="lun-ven 09:00-17:00",
            eligibility="Personnes vivant dans la zone couverte.",
            status=status,
        )
        structure.postcodes = postcodes
        structures.append(structure)
    return structures


def load_demo_directory(users_by_role: dict, persons: list) -> None:
    """Create the demo directory unless structures already exist."""
    if db.session.scalar(sa.select(Structure.id).limit(1)) is not None:
        return
    from ..formatting import local_now

    structures = demo_structures()
    for structure in structures:
        structure.assured_date = local_now().date()  # just confirmed: the demo asks nobody to confirm
    db.session.add_all(structures)
    db.session.flush()
