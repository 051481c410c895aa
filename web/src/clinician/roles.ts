// Which roles see what of the practice's screens.
import type { Role } from '../api/auth';

/** Physicians and nurses: the clinical record, and break-the-glass. */
export const CARE_ROLES: readonly Role[] = ['physician', 'nurse'];
/** Everyone of the practice, secretaries included: patient lists and identity. */
export const PRACTICE_ROLES: readonly Role[] = ['physician', 'nurse', 'secretary'];
