// Every migration, in order. A new one is generated with `npm run migration:generate -- migrations/Name`
// (against a database at the latest schema), read and tidied by a person, then listed here.
import { Foundation1795912968504 } from './1795912968504-Foundation.js';
import { Cases1795913450710 } from './1795913450710-Cases.js';
import { Directory1795914720709 } from './1795914720709-Directory.js';

export const MIGRATIONS: Function[] = [Foundation1795912968504, Cases1795913450710, Directory1795914720709];
