// Medications (ATC codes, French labels and dosage instructions) with the condition
// each one is prescribed for.
#include "sim/vocabulary.h"

namespace medvault::sim {
namespace {

// atc, label, dosage, indication (ICD-10 prefix), days.
constexpr MedicationCode kMedications[] = {
    {"C09AA05", "Ramipril 5 mg", "1 comprimé le matin", "I10", 90},
    {"C08CA01", "Amlodipine 5 mg", "1 comprimé le soir", "I10", 90},
    {"C09CA01", "Losartan 50 mg", "1 comprimé par jour", "I10", 90},
    {"C03AA03", "Hydrochlorothiazide 25 mg", "1 comprimé le matin", "I10", 90},
    {"C03CA01", "Furosémide 40 mg", "1 comprimé le matin", "I50", 90},
    {"C07AB07", "Bisoprolol 2,5 mg", "1 comprimé le matin", "I50", 90},
    {"C07AB07", "Bisoprolol 5 mg", "1 comprimé le matin", "I48", 90},
    {"B01AF01", "Rivaroxaban 20 mg", "1 comprimé au dîner", "I48", 90},
    {"B01AF02", "Apixaban 5 mg", "1 comprimé matin et soir", "I48", 90},
    {"B01AC06", "Aspirine 75 mg", "1 sachet par jour au déjeuner", "I25", 90},
    {"C10AA07", "Rosuvastatine 10 mg", "1 comprimé le soir", "I25", 90},
    {"C10AA01", "Simvastatine 20 mg", "1 comprimé le soir", "E78", 90},
    {"C10AA05", "Atorvastatine 20 mg", "1 comprimé le soir", "E78", 90},
    {"A10BA02", "Metformine 1000 mg", "1 comprimé matin et soir au cours des repas", "E11", 90},
    {"A10BK01", "Dapagliflozine 10 mg", "1 comprimé le matin", "E11", 90},
    {"A10BH01", "Sitagliptine 100 mg", "1 comprimé par jour", "E11", 90},
    {"A10AE04", "Insuline glargine 100 U/mL", "20 unités le soir, à adapter", "E10", 90},
    {"H03AA01", "Lévothyroxine 75 µg", "1 comprimé le matin à jeun", "E03", 90},
    {"R03AC02", "Salbutamol 100 µg/dose", "2 bouffées si gêne respiratoire", "J45", 90},
    {"R03AK06", "Salmétérol/fluticasone 50/250 µg", "1 inhalation matin et soir", "J45", 90},
    {"R03BB04", "Tiotropium 18 µg", "1 inhalation par jour", "J44", 90},
    {"N06AB10", "Escitalopram 10 mg", "1 comprimé le matin", "F32", 28},
    {"N06AB06", "Sertraline 50 mg", "1 comprimé par jour", "F41", 28},
    {"N05BA12", "Alprazolam 0,25 mg", "1 comprimé si anxiété, 3 par jour au maximum", "F41", 12},
    {"N05CF01", "Zopiclone 7,5 mg", "1/2 à 1 comprimé au coucher", "F51", 14},
    {"N02AX02", "Tramadol 50 mg", "1 gélule toutes les 6 heures si douleur", "M17", 14},
    {"M05BA04", "Acide alendronique 70 mg", "1 comprimé par semaine à jeun", "M81", 90},
    {"A11CC05", "Cholécalciférol 100 000 UI", "1 ampoule tous les 3 mois", "M81", 90},
    {"A02BC01", "Oméprazole 20 mg", "1 gélule le matin à jeun", "K21", 56},
    {"A02BC05", "Ésoméprazole 20 mg", "1 comprimé le soir", "K21", 28},
    {"N02CC01", "Sumatriptan 50 mg", "1 comprimé dès le début de la crise", "G43", 90},
    {"N03AX14", "Lévétiracétam 500 mg", "1 comprimé matin et soir", "G40", 90},
    {"N04BA02", "Lévodopa/bensérazide 100/25 mg", "1 gélule 3 fois par jour", "G20", 90},
    {"N06DA02", "Donépézil 10 mg", "1 comprimé au coucher", "G30", 90},
    {"G04CA02", "Tamsulosine 0,4 mg", "1 gélule le soir", "N40", 90},
    {"L04AX03", "Méthotrexate 10 mg", "1 prise par semaine, le lundi", "M06", 90},
    {"D05AX02", "Calcipotriol 50 µg/g pommade", "1 application par jour", "L40", 30},
    {"R06AE07", "Cétirizine 10 mg", "1 comprimé le soir", "J30", 30},
    {"D07AC01", "Bétaméthasone 0,05 % crème", "1 application par jour sur les plaques", "L20", 14},
    {"B03AA07", "Sulfate ferreux 80 mg", "1 comprimé par jour à distance des repas", "D50", 90},
    {"N07BA01", "Nicotine 21 mg/24 h patch", "1 patch par jour", "F17", 28},
    {"N07BB03", "Acamprosate 333 mg", "2 comprimés 3 fois par jour", "F10", 28},
    {"N05AN01", "Carbonate de lithium 400 mg", "1 comprimé matin et soir", "F31", 28},
    {"N05AX08", "Rispéridone 2 mg", "1 comprimé le soir", "F20", 28},
    {"J05AP55", "Sofosbuvir/velpatasvir 400/100 mg", "1 comprimé par jour", "B18", 28},
    {"J05AR20", "Bictégravir/emtricitabine/ténofovir", "1 comprimé par jour", "Z21", 90},
    {"S01ED01", "Timolol 0,5 % collyre", "1 goutte matin et soir", "H40", 90},
    {"A03AX12", "Phloroglucinol 80 mg", "2 comprimés si douleurs", "K58", 14},
    {"J01CA04", "Amoxicilline 1 g", "1 comprimé matin et soir pendant 6 jours", "J02", 6},
    {"J01CA04", "Amoxicilline 1 g", "1 comprimé 3 fois par jour pendant 7 jours", "J18", 7},
    {"J01CR02", "Amoxicilline/acide clavulanique 1 g/125 mg", "1 sachet matin et soir", "J01", 7},
    {"J01CA04", "Amoxicilline 500 mg/5 mL suspension", "selon le poids, 2 prises par jour", "H66",
     8},
    {"J01XX01", "Fosfomycine trométamol 3 g", "1 sachet en prise unique", "N39", 1},
    {"A07XA04", "Racécadotril 100 mg", "1 gélule 3 fois par jour", "A09", 5},
    {"M01AE01", "Ibuprofène 400 mg", "1 comprimé 3 fois par jour au cours des repas", "M54", 5},
    {"M02AA10", "Kétoprofène 2,5 % gel", "2 applications par jour", "S93", 7},
    {"R06AX27", "Desloratadine 5 mg", "1 comprimé par jour", "T78", 7},
    {"N02BE01", "Paracétamol 1 g", "1 comprimé toutes les 6 heures si douleur ou fièvre", "", 5},
};

}  // namespace

std::span<const MedicationCode> Medications() { return kMedications; }

}  // namespace medvault::sim
