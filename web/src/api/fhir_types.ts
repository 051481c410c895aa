// The parts of FHIR R4 resources the app reads and writes (medvault validates the rest).

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}
export interface Reference {
  reference?: string;
  display?: string;
}
export interface Period {
  start?: string;
  end?: string;
}
export interface Quantity {
  value?: number;
  unit?: string;
  system?: string;
  code?: string;
}
export interface Meta {
  versionId?: string;
  lastUpdated?: string;
  security?: Coding[];
}
export interface HumanName {
  use?: string;
  family?: string;
  given?: string[];
  text?: string;
}
export interface ContactPoint {
  system?: string;
  value?: string;
  use?: string;
}
export interface Address {
  use?: string;
  line?: string[];
  city?: string;
  postalCode?: string;
  country?: string;
}
export interface Identifier {
  use?: string;
  system?: string;
  value?: string;
}
export interface Extension {
  url: string;
  valueString?: string;
}

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: Meta;
}

export interface Patient extends Resource {
  resourceType: 'Patient';
  name?: HumanName[];
  birthDate?: string;
  gender?: string;
  deceasedDateTime?: string;
  identifier?: Identifier[];
  telecom?: ContactPoint[];
  address?: Address[];
  extension?: Extension[];
  managingOrganization?: Reference;
  active?: boolean;
}

export interface Encounter extends Resource {
  resourceType: 'Encounter';
  status: string;
  class: Coding;
  subject?: Reference;
  participant?: { individual?: Reference }[];
  period?: Period;
  reasonCode?: CodeableConcept[];
  serviceProvider?: Reference;
}

export interface Observation extends Resource {
  resourceType: 'Observation';
  status: string;
  category?: CodeableConcept[];
  code: CodeableConcept;
  subject?: Reference;
  encounter?: Reference;
  effectiveDateTime?: string;
  performer?: Reference[];
  valueQuantity?: Quantity;
  valueString?: string;
  component?: { code: CodeableConcept; valueQuantity?: Quantity }[];
  interpretation?: CodeableConcept[];
}

export interface Condition extends Resource {
  resourceType: 'Condition';
  clinicalStatus?: CodeableConcept;
  code?: CodeableConcept;
  onsetDateTime?: string;
  abatementDateTime?: string;
  recordedDate?: string;
}

export interface AllergyIntolerance extends Resource {
  resourceType: 'AllergyIntolerance';
  clinicalStatus?: CodeableConcept;
  criticality?: string;
  code?: CodeableConcept;
  recordedDate?: string;
  reaction?: { manifestation?: CodeableConcept[]; severity?: string }[];
}

export interface MedicationRequest extends Resource {
  resourceType: 'MedicationRequest';
  status: string;
  intent: string;
  medicationCodeableConcept?: CodeableConcept;
  subject?: Reference;
  authoredOn?: string;
  requester?: Reference;
  dosageInstruction?: { text?: string }[];
}

export interface DocumentReference extends Resource {
  resourceType: 'DocumentReference';
  status: string;
  docStatus?: string;
  type?: CodeableConcept;
  subject?: Reference;
  date?: string;
  author?: Reference[];
  custodian?: Reference;
  description?: string;
  content: { attachment: { contentType?: string; language?: string; data?: string; title?: string } }[];
  context?: { encounter?: Reference[]; period?: Period };
}

export interface Bundle<T extends Resource = Resource> {
  resourceType: 'Bundle';
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: { resource: T; search?: { mode?: string } }[];
}
