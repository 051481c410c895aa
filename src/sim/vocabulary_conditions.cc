// Conditions (ICD-10, French labels) and allergies (SNOMED CT substances).
#include "sim/vocabulary.h"

namespace medvault::sim {
namespace {

// icd10, label, chronic, min age, weight, sex.
constexpr ConditionCode kConditions[] = {
    // Long-term conditions.
    {"I10", "Hypertension artérielle essentielle", true, 30, 30},
    {"E11.9", "Diabète de type 2", true, 35, 12},
    {"E78.0", "Hypercholestérolémie pure", true, 30, 18},
    {"E03.9", "Hypothyroïdie", true, 20, 8},
    {"J45.9", "Asthme", true, 3, 9},
    {"J44.9", "Bronchopneumopathie chronique obstructive", true, 45, 5},
    {"I48.9", "Fibrillation auriculaire", true, 55, 5},
    {"I25.9", "Cardiopathie ischémique chronique", true, 50, 5},
    {"I50.9", "Insuffisance cardiaque", true, 60, 3},
    {"N18.3", "Maladie rénale chronique stade 3", true, 55, 4},
    {"F32.1", "Épisode dépressif moyen", true, 15, 9},
    {"F41.1", "Anxiété généralisée", true, 15, 8},
    {"F51.0", "Insomnie non organique", true, 18, 6},
    {"G47.3", "Syndrome d'apnées du sommeil", true, 35, 5},
    {"M17.9", "Gonarthrose", true, 50, 8},
    {"M16.9", "Coxarthrose", true, 55, 4},
    {"M81.9", "Ostéoporose", true, 55, 5},
    {"E66.9", "Obésité", true, 10, 10},
    {"K21.9", "Reflux gastro-œsophagien", true, 18, 9},
    {"G43.9", "Migraine", true, 10, 7},
    {"G40.9", "Épilepsie", true, 1, 1},
    {"G20", "Maladie de Parkinson", true, 60, 1},
    {"G30.9", "Maladie d'Alzheimer", true, 65, 2},
    {"C50.9", "Cancer du sein (antécédent)", true, 40, 2, 'F'},
    {"C61", "Cancer de la prostate", true, 55, 2, 'M'},
    {"N40", "Hypertrophie bénigne de la prostate", true, 50, 5, 'M'},
    {"L40.0", "Psoriasis", true, 10, 3},
    {"M06.9", "Polyarthrite rhumatoïde", true, 25, 1},
    {"E10.9", "Diabète de type 1", true, 5, 1},
    {"F17.2", "Tabagisme (dépendance à la nicotine)", true, 15, 12},
    {"F10.2", "Dépendance à l'alcool", true, 20, 3},
    {"K58.9", "Syndrome de l'intestin irritable", true, 18, 4},
    {"H40.9", "Glaucome", true, 45, 3},
    {"J30.1", "Rhinite allergique aux pollens", true, 5, 9},
    {"L20.9", "Dermatite atopique", true, 0, 5},
    {"D50.9", "Anémie par carence en fer", true, 12, 3},
    {"B18.2", "Hépatite virale C chronique", true, 20, 1},
    {"Z21", "Infection asymptomatique par le VIH", true, 18, 1},
    {"F31.9", "Trouble affectif bipolaire", true, 18, 1},
    {"F20.9", "Schizophrénie", true, 18, 1},
    // Episodes of care.
    {"J06.9", "Rhinopharyngite aiguë", false, 0, 30},
    {"J02.9", "Angine aiguë", false, 2, 12},
    {"J20.9", "Bronchite aiguë", false, 0, 12},
    {"J11.1", "Grippe", false, 0, 10},
    {"U07.1", "COVID-19", false, 0, 8},
    {"A09", "Gastro-entérite aiguë", false, 0, 14},
    {"N39.0", "Infection urinaire", false, 2, 9},
    {"H66.9", "Otite moyenne aiguë", false, 0, 8},
    {"H10.9", "Conjonctivite", false, 0, 6},
    {"M54.5", "Lombalgie commune", false, 16, 14},
    {"M54.2", "Cervicalgie", false, 16, 6},
    {"S93.4", "Entorse de la cheville", false, 6, 5},
    {"J01.9", "Sinusite aiguë", false, 6, 6},
    {"J18.9", "Pneumopathie aiguë", false, 0, 3},
    {"R51", "Céphalées", false, 6, 6},
    {"R10.4", "Douleurs abdominales", false, 2, 5},
    {"F43.0", "Réaction aiguë à un facteur de stress", false, 15, 4},
    {"L02.9", "Abcès cutané", false, 2, 3},
    {"B01.9", "Varicelle", false, 0, 2},
    {"T78.4", "Réaction allergique", false, 0, 3},
    {"Z00.0", "Examen médical général", false, 0, 16},
};

// snomed, display, label, category, reaction.
constexpr AllergyCode kAllergies[] = {
    {"764146007", "Penicillin", "Pénicilline", "medication", "Urticaire généralisée"},
    {"372687004", "Amoxicillin", "Amoxicilline", "medication", "Éruption cutanée"},
    {"387207008", "Ibuprofen", "Ibuprofène", "medication", "Œdème de Quincke"},
    {"387458008", "Aspirin", "Aspirine", "medication", "Bronchospasme"},
    {"363528008", "Sulfonamide", "Sulfamides", "medication", "Éruption cutanée"},
    {"387494007", "Codeine", "Codéine", "medication", "Nausées et vomissements"},
    {"373529000", "Morphine", "Morphine", "medication", "Prurit"},
    {"385420005", "Contrast media", "Produit de contraste iodé", "medication", "Urticaire"},
    {"387467008", "Diclofenac", "Diclofénac", "medication", "Urticaire"},
    {"762952008", "Peanut", "Arachide", "food", "Œdème des lèvres"},
    {"102263004", "Eggs", "Œuf", "food", "Eczéma"},
    {"3718001", "Cow's milk protein", "Protéines de lait de vache", "food", "Diarrhée"},
    {"44027008", "Seafood", "Fruits de mer", "food", "Urticaire"},
    {"256350002", "Kiwi fruit", "Kiwi", "food", "Syndrome oral"},
    {"256259004", "Pollen", "Pollens de graminées", "environment", "Rhinite"},
    {"260147004", "House dust mite", "Acariens", "environment", "Rhinite et toux"},
    {"264287008", "Animal dander", "Poils de chat", "environment", "Conjonctivite"},
    {"111088007", "Latex", "Latex", "environment", "Eczéma de contact"},
    {"288328004", "Bee venom", "Venin d'hyménoptère", "environment", "Choc anaphylactique"},
    {"428607008", "Nickel", "Nickel", "environment", "Eczéma de contact"},
};

}  // namespace

std::span<const ConditionCode> Conditions() { return kConditions; }
std::span<const AllergyCode> Allergies() { return kAllergies; }

}  // namespace medvault::sim
