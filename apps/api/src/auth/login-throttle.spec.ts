import { loginDelaySeconds } from './login-throttle';

describe(loginDelaySeconds.name, () => {
  it('waits nothing below the threshold, then doubles up to 15 minutes', () => {
    expect([3, 4, 5, 6, 7, 8, 20, 100].map((n) => loginDelaySeconds(n, 5))).toEqual([
      0, 0, 1, 2, 4, 8, 900, 900,
    ]);
  });
});
