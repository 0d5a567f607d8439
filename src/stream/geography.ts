/** Where countries are, for impossible travel: one table for the stream's generator and the detector kit. */

/** Capitals as each country's point, for impossible travel. */
export const COUNTRY_POINTS: Record<string, [number, number]> = {
  DE: [52.52, 13.405], FR: [48.857, 2.352], NL: [52.37, 4.895], ES: [40.417, -3.704], IT: [41.903, 12.496],
  GB: [51.507, -0.128], US: [38.907, -77.037], BR: [-15.794, -47.882], JP: [35.68, 139.769], IN: [28.614, 77.209],
  AU: [-35.281, 149.13], NG: [9.076, 7.398],
};

/** Great-circle distance between two countries' capitals, in km. */
export function distanceKm(a: string, b: string): number {
  const [lat1, lon1] = COUNTRY_POINTS[a] ?? [0, 0];
  const [lat2, lon2] = COUNTRY_POINTS[b] ?? [0, 0];
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
