// Observations with LOINC codes and UCUM units: the vital signs of a consultation and
// the laboratory tests a general practitioner orders, grouped in panels, with French
// reference ranges (conventional French units: g/L, µmol/L).
#include "sim/vocabulary.h"

namespace medvault::sim {
namespace {

using enum MeasureKind;

// loinc, display, label, unit, kind, panel, mean, deviation, low, high, decimals, min age,
// sex.
constexpr Measure kMeasures[] = {
    // Vital signs. Weight, height, BMI and blood pressure are drawn from the patient's
    // build and history, not from mean and deviation.
    {"29463-7", "Body weight", "Poids", "kg", kVitalSign, 0, 0, 0, 0, 0, 1, 0, 0},
    {"8302-2", "Body height", "Taille", "cm", kVitalSign, 0, 0, 0, 0, 0, 0, 0, 0},
    {"39156-5", "Body mass index (BMI) [Ratio]", "IMC", "kg/m2", kVitalSign, 0, 0, 0, 18.5, 25, 1,
     2, 0},
    {"85354-9", "Blood pressure panel with all children optional", "Pression artérielle", "mm[Hg]",
     kVitalSign, 0, 0, 0, 0, 0, 0, 3, 0},
    {"8480-6", "Systolic blood pressure", "PA systolique", "mm[Hg]", kVitalSign, 0, 0, 0, 90, 140,
     0, 3, 0},
    {"8462-4", "Diastolic blood pressure", "PA diastolique", "mm[Hg]", kVitalSign, 0, 0, 0, 60, 90,
     0, 3, 0},
    {"8867-4", "Heart rate", "Fréquence cardiaque", "/min", kVitalSign, 0, 74, 10, 50, 100, 0, 0,
     0},
    {"8310-5", "Body temperature", "Température", "Cel", kVitalSign, 0, 37.0, 0.5, 36.1, 37.8, 1, 0,
     0},
    {"59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "SpO2", "%", kVitalSign, 0,
     97.2, 1.3, 95, 100, 0, 0, 0},
    {"9279-1", "Respiratory rate", "Fréquence respiratoire", "/min", kVitalSign, 0, 16, 2.5, 12, 20,
     0, 0, 0},
    {"8280-0", "Waist Circumference at umbilicus by Tape measure", "Tour de taille", "cm",
     kVitalSign, 0, 92, 13, 0, 94, 0, 18, 0},
    // 1: lipids.
    {"2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "Cholestérol total", "g/L",
     kLaboratory, 1, 2.0, 0.38, 1.5, 2.0, 2, 18, 0},
    {"2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "HDL-cholestérol", "g/L",
     kLaboratory, 1, 0.55, 0.13, 0.4, 0.9, 2, 18, 0},
    {"13457-7", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation",
     "LDL-cholestérol calculé", "g/L", kLaboratory, 1, 1.25, 0.33, 0, 1.6, 2, 18, 0},
    {"2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "Triglycérides", "g/L", kLaboratory,
     1, 1.2, 0.5, 0.35, 1.5, 2, 18, 0},
    // 2: glucose.
    {"2345-7", "Glucose [Mass/volume] in Serum or Plasma", "Glycémie à jeun", "g/L", kLaboratory, 2,
     1.0, 0.18, 0.7, 1.1, 2, 18, 0},
    {"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "HbA1c", "%", kLaboratory, 2, 6.0, 0.9,
     4.0, 6.0, 1, 18, 0},
    // 3: kidney and electrolytes.
    {"2160-0", "Creatinine [Moles/volume] in Serum or Plasma", "Créatinine", "umol/L", kLaboratory,
     3, 82, 20, 45, 104, 0, 1, 0},
    {"62238-1", "Glomerular filtration rate/1.73 sq M.predicted (CKD-EPI)", "DFG (CKD-EPI)",
     "mL/min/{1.73_m2}", kLaboratory, 3, 84, 20, 60, 200, 0, 18, 0},
    {"2823-3", "Potassium [Moles/volume] in Serum or Plasma", "Kaliémie", "mmol/L", kLaboratory, 3,
     4.2, 0.35, 3.5, 5.0, 1, 1, 0},
    {"2951-2", "Sodium [Moles/volume] in Serum or Plasma", "Natrémie", "mmol/L", kLaboratory, 3,
     140, 2.5, 136, 145, 0, 1, 0},
    {"3084-1", "Urate [Moles/volume] in Serum or Plasma", "Acide urique", "umol/L", kLaboratory, 3,
     320, 80, 150, 420, 0, 18, 0},
    // 4: blood count.
    {"718-7", "Hemoglobin [Mass/volume] in Blood", "Hémoglobine", "g/dL", kLaboratory, 4, 13.8, 1.4,
     12, 17, 1, 0, 0},
    {"6690-2", "Leukocytes [#/volume] in Blood by Automated count", "Leucocytes", "10*9/L",
     kLaboratory, 4, 7.0, 1.8, 4, 10, 1, 0, 0},
    {"777-3", "Platelets [#/volume] in Blood by Automated count", "Plaquettes", "10*9/L",
     kLaboratory, 4, 250, 60, 150, 400, 0, 0, 0},
    {"4544-3", "Hematocrit [Volume Fraction] of Blood by Automated count", "Hématocrite", "%",
     kLaboratory, 4, 41, 4, 36, 50, 1, 0, 0},
    {"787-2", "MCV [Entitic volume] by Automated count", "VGM", "fL", kLaboratory, 4, 90, 5, 80,
     100, 0, 0, 0},
    // 5: liver.
    {"1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "ALAT",
     "U/L", kLaboratory, 5, 26, 12, 0, 45, 0, 1, 0},
    {"1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "ASAT",
     "U/L", kLaboratory, 5, 25, 9, 0, 40, 0, 1, 0},
    {"2324-2", "Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma",
     "Gamma-GT", "U/L", kLaboratory, 5, 36, 25, 0, 55, 0, 1, 0},
    {"6768-6", "Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma",
     "Phosphatases alcalines", "U/L", kLaboratory, 5, 75, 22, 40, 130, 0, 1, 0},
    // 6: thyroid.
    {"3016-3", "Thyrotropin [Units/volume] in Serum or Plasma", "TSH", "m[IU]/L", kLaboratory, 6,
     2.0, 1.1, 0.4, 4.0, 2, 1, 0},
    {"3024-7", "Thyroxine (T4) free [Moles/volume] in Serum or Plasma", "T4 libre", "pmol/L",
     kLaboratory, 6, 15, 2.5, 10, 22, 1, 1, 0},
    // 7: inflammation and iron.
    {"1988-5", "C reactive protein [Mass/volume] in Serum or Plasma", "CRP", "mg/L", kLaboratory, 7,
     4, 5, 0, 5, 1, 0, 0},
    {"2276-4", "Ferritin [Mass/volume] in Serum or Plasma", "Ferritine", "ug/L", kLaboratory, 7,
     120, 80, 20, 300, 0, 1, 0},
    {"2498-4", "Iron [Moles/volume] in Serum or Plasma", "Fer sérique", "umol/L", kLaboratory, 7,
     18, 5, 10, 30, 1, 1, 0},
    // 8: other tests.
    {"1989-3", "25-Hydroxyvitamin D3 [Mass/volume] in Serum or Plasma", "Vitamine D (25-OH)",
     "ng/mL", kLaboratory, 8, 26, 10, 30, 100, 0, 18, 0},
    {"2857-1", "Prostate specific Ag [Mass/volume] in Serum or Plasma", "PSA total", "ng/mL",
     kLaboratory, 8, 1.6, 1.2, 0, 4, 2, 50, 'M'},
    {"6301-6", "INR in Platelet poor plasma by Coagulation assay", "INR", "{INR}", kLaboratory, 8,
     1.1, 0.3, 0.8, 1.2, 1, 18, 0},
    {"14959-1", "Microalbumin/Creatinine [Mass Ratio] in Urine", "Microalbuminurie", "mg/g",
     kLaboratory, 8, 15, 20, 0, 30, 0, 18, 0},
    {"2885-2", "Protein [Mass/volume] in Serum or Plasma", "Protides totaux", "g/L", kLaboratory, 8,
     70, 5, 60, 80, 0, 1, 0},
};

}  // namespace

std::span<const Measure> Measures() { return kMeasures; }

}  // namespace medvault::sim
