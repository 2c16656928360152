/**
 * Where a seeded province or commune is, for measuring distances to services (the suggestions of
 * the referral wizard): a commune's town centre; a province's chief town. Reference data, by place
 * code; a place created later without an entry here simply has no centre (suggestions then score
 * proximity by province and region only).
 */
export const PLACE_CENTRES: Readonly<Record<string, { lat: number; lon: number }>> = {
  // Tanger-Tétouan-Al Hoceïma
  'MA-TNG': { lat: 35.7595, lon: -5.834 },
  'MA-TNG-TNG': { lat: 35.7595, lon: -5.834 },
  'MA-MDF': { lat: 35.6856, lon: -5.3255 },
  'MA-TET': { lat: 35.5785, lon: -5.3684 },
  'MA-TET-TET': { lat: 35.5785, lon: -5.3684 },
  'MA-FAH': { lat: 35.6667, lon: -5.5333 },
  'MA-LAR': { lat: 35.1932, lon: -6.1557 },
  'MA-HOC': { lat: 35.2517, lon: -3.9372 },
  'MA-CHE': { lat: 35.1688, lon: -5.2636 },
  'MA-OUZ': { lat: 34.7978, lon: -5.5836 },
  // L'Oriental
  'MA-OUJ': { lat: 34.6814, lon: -1.9086 },
  'MA-OUJ-OUJ': { lat: 34.6814, lon: -1.9086 },
  'MA-BER': { lat: 34.92, lon: -2.32 },
  'MA-BER-BER': { lat: 34.92, lon: -2.32 },
  'MA-BER-AHF': { lat: 34.9527, lon: -2.1003 },
  'MA-BER-SAI': { lat: 35.085, lon: -2.2392 },
  'MA-NAD': { lat: 35.1681, lon: -2.9335 },
  'MA-NAD-NAD': { lat: 35.1681, lon: -2.9335 },
  'MA-DRI': { lat: 34.9766, lon: -3.3902 },
  'MA-GUF': { lat: 34.2259, lon: -3.3536 },
  'MA-JRA': { lat: 34.3117, lon: -2.163 },
  'MA-TAI': { lat: 34.4073, lon: -2.8973 },
  'MA-TAI-TAI': { lat: 34.4073, lon: -2.8973 },
  'MA-FIG': { lat: 32.1091, lon: -1.2286 },
  // Souss-Massa
  'MA-AGD': { lat: 30.4278, lon: -9.5981 },
  'MA-AGD-AGD': { lat: 30.4278, lon: -9.5981 },
  'MA-INE': { lat: 30.3404, lon: -9.4976 },
  'MA-CHT': { lat: 30.0333, lon: -9.15 },
  'MA-TAR': { lat: 30.4703, lon: -8.877 },
  'MA-TIZ': { lat: 29.6974, lon: -9.7316 },
  'MA-TAT': { lat: 29.7428, lon: -7.9725 },
};
