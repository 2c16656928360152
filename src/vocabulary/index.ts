/**
 * The vocabulary at the bottom of the house: languages, the programme's clock, every code list and
 * what people read for each code. It imports nothing of the app; everything may import it.
 */
export * from './codes.js';
export * from './labels.js';
export * from './languages.js';
export * from './time-zone.js';
export * from './vocabulary.js';
