import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/http';
import { signInProblem } from './signin';

describe('signInProblem', () => {
  it('tells a wrong password from a lock-out, which says how long', () => {
    expect(signInProblem(new ApiError(401, 'sign_in_failed', 'wrong'))).toEqual({ key: 'signIn.wrong' });
    expect(signInProblem(new ApiError(429, 'sign_in_locked', 'locked', [], 600))).toEqual({
      key: 'signIn.locked',
      minutes: 10,
    });
    expect(signInProblem(new ApiError(429, 'sign_in_locked', 'locked', [], 5))).toEqual({
      key: 'signIn.locked',
      minutes: 1,
    });
  });

  it('names a lost network and passes other failures on', () => {
    expect(signInProblem(new NetworkError(new Error('refused')))).toEqual({ key: 'signIn.offline' });
    expect(signInProblem(new ApiError(500, 'internal', 'boom'))).toEqual({
      key: 'signIn.failed',
      message: 'boom',
    });
  });
});
