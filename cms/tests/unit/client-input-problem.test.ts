import { clientInputProblem } from '../../src/security/client-input-problem';

const pgError = (code: string, message: string) => Object.assign(new Error(`select "t0".* from "accounts" as "t0" where "t0"."id" = $1 - ${message}`), { code });

describe('clientInputProblem', () => {
  it.each([
    ['text for an integer column', pgError('22P02', 'invalid input syntax for type integer: "abc"'), 'A value in the request does not fit the type of its field'],
    ['a NUL byte', pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'), 'A value in the request does not fit the type of its field'],
    ['a date out of range', pgError('22008', 'date/time field value out of range'), 'A value in the request does not fit the type of its field'],
    ['$and not an array', new Error('Operator $and must be an array'), 'Operator $and must be an array'],
    ['a where of a string', new Error('Where must be an array or an object'), 'A filter must be an object or an array'],
    ['$between of one value', new TypeError('The second argument to whereBetween must be an array.'), 'Operator $between must be an array of two values'],
  ])('answers 400 for %s, without the query or the driver text', (_what, error, said) => {
    expect(clientInputProblem(error)).toBe(said);
  });

  it.each([
    ['a lost connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a unique violation (a conflict the server must handle, not bad syntax)', pgError('23505', 'duplicate key value violates unique constraint')],
    ['an undefined column (a server bug)', pgError('42703', 'column "nope" does not exist')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['no error at all', undefined],
    ['a string thrown', 'boom'],
  ])('leaves %s to the 500 path', (_what, error) => {
    expect(clientInputProblem(error)).toBeNull();
  });
});
