import { IsInt, IsString } from 'class-validator';
import { globalValidationPipe } from './validation.js';

describe('the global validation pipe with class rules remembered (issue #18)', () => {
  const pipe = globalValidationPipe();
  const check = (metatype: new () => object, value: unknown) => pipe.transform(value, { type: 'body', metatype });

  it('validates the same class the same way every time, and sees a rule added after its first use', async () => {
    class Probe {
      @IsString()
      name!: string;
    }
    await expect(check(Probe, { name: 'a' })).resolves.toEqual({ name: 'a' });
    await expect(check(Probe, { name: 1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(check(Probe, { name: 'a', n: 1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    // A rule declared later (a class decorated after the first lookup): remembered rules are forgotten.
    IsInt()(Probe.prototype, 'n');
    await expect(check(Probe, { name: 'a', n: 1 })).resolves.toEqual({ name: 'a', n: 1 });
    await expect(check(Probe, { name: 'a', n: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('applies a parent class rule to a subclass declared after the parent was used', async () => {
    class Parent {
      @IsString()
      name!: string;
    }
    await expect(check(Parent, { name: 'a' })).resolves.toEqual({ name: 'a' });
    class Child extends Parent {
      @IsInt()
      n!: number;
    }
    await expect(check(Child, { name: 2, n: 1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(check(Child, { name: 'a', n: 1 })).resolves.toEqual({ name: 'a', n: 1 });
  });
});
