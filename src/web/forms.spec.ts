import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, ValidateNested } from 'class-validator';
import { DomainError } from '../common/domain-error.js';
import { field, parseForm } from './forms.js';

class Slot {
  @IsArray() @ArrayMinSize(1) @IsIn(['MO', 'TU'], { each: true }) byday: string[];
  @IsString() opensAt: string;
}
class Person {
  @IsString() givenName: string;
  @IsOptional() @IsBoolean() disability?: boolean;
}
class Form {
  @ValidateNested() @Type(() => Person) person: Person;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Slot) schedules?: Slot[];
  @IsOptional() @IsInt() minutes?: number;
  @IsOptional() @IsArray() @IsIn(['a', 'b'], { each: true }) tags?: string[];
}

describe('parseForm (HTML forms through the API validation pipe)', () => {
  it('builds nested objects and arrays, and converts booleans, numbers and checkbox groups', async () => {
    const dto = await parseForm(
      Form,
      { 'person.givenName': 'Awa', 'person.disability': 'on', 'schedules.0.byday': ['MO', 'TU'], 'schedules.0.opensAt': '08:30', minutes: '45', tags: 'a', empty: '' },
      { arrays: ['tags', 'schedules.0.byday'], booleans: ['person.disability'], numbers: ['minutes'] },
    );
    expect(dto).toBeInstanceOf(Form);
    expect(dto.person).toEqual({ givenName: 'Awa', disability: true });
    expect(dto.schedules).toEqual([{ byday: ['MO', 'TU'], opensAt: '08:30' }]);
    expect(dto.minutes).toBe(45);
    expect(dto.tags).toEqual(['a']);
  });

  it('refuses what the API refuses, naming the fields (unknown fields included)', async () => {
    const err = await parseForm(Form, { 'person.givenName': 'Awa', minutes: 'x', intruder: '1' }, { numbers: ['minutes'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('VALIDATION_FAILED');
    expect((err as DomainError).errors!.map((e) => e.field).sort()).toEqual(['intruder', 'minutes']);
  });

  it('ignores prototype-polluting names', async () => {
    await parseForm(Form, { 'person.givenName': 'Awa', '__proto__.polluted': 'yes', 'constructor.prototype.x': '1', 'person.__proto__.y': '1' }).catch(() => undefined);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).y).toBeUndefined();
  });

  it('reads one string field, the last of repeated ones, capped', () => {
    expect(field({ a: ['1', '2'] }, 'a')).toBe('2');
    expect(field({ a: 'abcdef' }, 'a', 3)).toBe('abc');
    expect(field({}, 'a')).toBe('');
  });
});
