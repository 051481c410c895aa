// The free text of the records: visit reasons, the sentences consultation notes are made
// of, and the administrative comments of the patient file.
#include "sim/vocabulary.h"

namespace medvault::sim {
namespace {

constexpr std::string_view kVisitReasons[] = {
    "Renouvellement d'ordonnance",
    "Fièvre depuis deux jours",
    "Toux persistante",
    "Douleurs lombaires",
    "Mal de gorge",
    "Certificat de non contre-indication au sport",
    "Suivi tensionnel",
    "Suivi du diabète",
    "Résultats de prise de sang",
    "Fatigue",
    "Vaccination",
    "Douleur abdominale",
    "Céphalées",
    "Troubles du sommeil",
    "Douleur au genou",
    "Éruption cutanée",
    "Bilan annuel",
    "Anxiété",
    "Vertiges",
    "Brûlures urinaires",
    "Arrêt de travail",
    "Otalgie",
    "Suivi de grossesse",
    "Palpitations",
    "Essoufflement à l'effort",
    "Demande de sevrage tabagique",
};

constexpr std::string_view kExaminationSentences[] = {
    "Examen clinique sans particularité.",
    "Auscultation cardio-pulmonaire normale.",
    "Abdomen souple, indolore, pas d'hépatomégalie.",
    "Gorge inflammatoire, amygdales érythémateuses, pas d'adénopathie.",
    "Tympans congestifs à droite.",
    "Râles sibilants diffus aux deux champs pulmonaires.",
    "Contracture paravertébrale lombaire, Lasègue négatif.",
    "Pas de signe de gravité, patient apyrétique.",
    "Œdèmes des membres inférieurs prenant le godet.",
    "Examen neurologique normal, pas de déficit.",
    "Pouls régulier, pas de souffle.",
    "Peau : plaques érythémato-squameuses des coudes.",
    "Genou droit : épanchement modéré, mobilité conservée.",
    "Humeur triste, pas d'idées suicidaires exprimées.",
    "Bon état général, poids stable.",
    "Pieds : pas de plaie, sensibilité au monofilament conservée.",
    "Fond de gorge propre, pas de fièvre.",
    "Murmure vésiculaire diminué à la base gauche.",
};

constexpr std::string_view kConclusionSentences[] = {
    "Poursuite du traitement en cours.",
    "Revoir dans trois mois avec un bilan biologique.",
    "Reconsulter si pas d'amélioration sous 48 heures.",
    "Conseils hygiéno-diététiques donnés.",
    "Adressé au cardiologue pour avis.",
    "Bilan sanguin prescrit, à revoir avec les résultats.",
    "Arrêt de travail de trois jours.",
    "Traitement symptomatique, surveillance.",
    "Majoration du traitement, contrôle tensionnel dans un mois.",
    "Éducation thérapeutique reprise avec le patient.",
    "Vaccin antigrippal proposé.",
    "Orientation vers le kinésithérapeute.",
    "Courrier au rhumatologue.",
    "Contrôle de l'HbA1c dans trois mois.",
};

constexpr std::string_view kAdministrativeComments[] = {
    "Préfère être appelé(e) sur le portable.",
    "Ne pas laisser de message sur le répondeur du domicile.",
    "Tiers payant intégral (Complémentaire santé solidaire).",
    "ALD exonérante, protocole de soins à renouveler.",
    "Mutuelle MGEN, carte à jour.",
    "Mutuelle Harmonie, tiers payant part complémentaire.",
    "Impayé de 25 € à régulariser.",
    "Vient accompagné(e) de sa fille pour les consultations.",
    "Malentendant(e) : privilégier les SMS.",
    "Adresse de facturation différente, voir courrier.",
    "Sous curatelle renforcée, contact UDAF.",
    "Sous tutelle, contacter le tuteur avant tout rendez-vous.",
    "Carte Vitale non mise à jour.",
    "Aide médicale d'État (AME) en cours de renouvellement.",
    "Rendez-vous uniquement le matin (travail posté).",
    "Accident du travail en cours, dossier CPAM.",
    "Souhaite les comptes rendus par messagerie sécurisée.",
    "Parle peu le français, venir avec un interprète.",
    "Allergie déclarée à l'accueil, voir dossier médical.",
    "Transport en VSL pour les rendez-vous.",
    "Retards fréquents, prévoir un créneau en fin de matinée.",
    "Demande de dossier médical transmise au nouveau médecin.",
    "Conjoint également suivi au cabinet.",
    "Ancien patient du Dr Bertrand (cabinet fermé).",
    "Déclaration de médecin traitant faite en ligne.",
    "Téléconsultation possible.",
    "Ne souhaite pas recevoir de rappels par SMS.",
    "Chèque refusé, paiement par carte.",
};

}  // namespace

std::span<const std::string_view> VisitReasons() { return kVisitReasons; }
std::span<const std::string_view> ExaminationSentences() { return kExaminationSentences; }
std::span<const std::string_view> ConclusionSentences() { return kConclusionSentences; }
std::span<const std::string_view> AdministrativeComments() { return kAdministrativeComments; }

}  // namespace medvault::sim
