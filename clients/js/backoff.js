// When to try again: the schedule of `arraycast record` (src/core/backoff.cpp).
// Attempt n waits a uniform draw from [d/2, d], d = min(initialMs * 2^n, capMs),
// so many clients cut off at once do not come back in step. The jitter source
// (a function returning a value in [0, 1)) is injected for tests.
export class Backoff {
  constructor({ initialMs = 100, capMs = 5000, jitter = Math.random } = {}) {
    Object.assign(this, { initialMs, capMs, jitter, attempt: 0 });
  }

  nextMs() {
    const ceiling = Math.min(this.initialMs * 2 ** Math.min(this.attempt, 32), this.capMs);
    this.attempt++;
    return ceiling / 2 + (ceiling / 2) * this.jitter();
  }

  reset() {
    this.attempt = 0;
  }
}
