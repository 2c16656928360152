import { Polytope } from './linear-bounds.js';

const c = (coef: [number, number][], op: '=' | '<=' | '>=', rhs: number) => ({ coef: new Map(coef), op, rhs });

describe('Polytope.range (the attacker’s linear programme)', () => {
  it('gives the range of a cell of a 2 × 2 table with published margins', () => {
    // a + b = 8, c + d = 18, a + c = 13, b + d = 13, all ≥ 0: a ∈ [0, 8].
    const p = new Polytope(4, [c([[0, 1], [1, 1]], '=', 8), c([[2, 1], [3, 1]], '=', 18), c([[0, 1], [2, 1]], '=', 13), c([[1, 1], [3, 1]], '=', 13)]);
    expect(p.range(new Map([[0, 1]]))).toEqual({ min: 0, max: 8 });
    expect(p.range(new Map([[2, 1], [0, -1]]))).toEqual({ min: -3, max: 13 }); // c − a = 13 − 2a
  });

  it('pins a value that bounds fix: two "<5" in a row of 8', () => {
    const p = new Polytope(2, [c([[0, 1], [1, 1]], '=', 8), c([[0, 1]], '<=', 4), c([[1, 1]], '<=', 4), c([[0, 1]], '>=', 1)]);
    expect(p.range(new Map([[0, 1]]))).toEqual({ min: 4, max: 4 });
  });

  it('says when nothing is feasible, and when a value is unbounded', () => {
    expect(new Polytope(1, [c([[0, 1]], '>=', 3), c([[0, 1]], '<=', 2)]).range(new Map([[0, 1]]))).toBeNull();
    expect(new Polytope(2, [c([[0, 1], [1, -1]], '=', 1)]).range(new Map([[0, 1]]))).toEqual({ min: 1, max: Infinity });
  });
});
