/**
 * The sentence a recipe must carry to end each board with read-out protection: the same
 * explicit, chip-named consent the app's unlock wizard asks for, written down once in the
 * recipe so the line does not have to ask at every board.
 */
import type { Part } from '#shared/catalogue/types';

export function ropConsentText(part: Part): string {
  return `I understand that every ${part.name.toUpperCase()} programmed by this recipe is read-out protected and can only be unprotected again by erasing it.`;
}
