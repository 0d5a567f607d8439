/** How big a lab's generated dataset is; each generator says what a scale means for its data. */
export const SCALE_NAMES = ['small', 'medium', 'large'] as const;
export type Scale = (typeof SCALE_NAMES)[number];

export function isScale(value: string): value is Scale {
  return (SCALE_NAMES as readonly string[]).includes(value);
}
